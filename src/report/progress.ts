// Progress for long runs: a bar redrawn in place on a terminal and cleared when done, a plain line
// every few seconds in CI logs.
import type { Phase } from "../reconcile/types.js";

export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  now: () => number;
  /** Non-TTY: at most one line per interval. */
  intervalMs?: number;
}

const LABEL: Record<Phase, string> = { read: "reading live policies", apply: "applying" };
/** Back to the start of the line and erase it (ECMA-48 EL 2): the bar leaves nothing behind. */
const CLEAR_LINE = "\r\u001b[2K";

export function createProgress(options: ProgressOptions) {
  const interval = options.intervalMs ?? 5000;
  let lastLine = options.now();
  let barVisible = false;

  return {
    update(phase: Phase, done: number, total: number): void {
      if (total === 0) return;
      if (options.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
        options.write(`\r${LABEL[phase]} [${bar}] ${done}/${total}`);
        barVisible = done < total;
        if (!barVisible) options.write(CLEAR_LINE);
        return;
      }
      const now = options.now();
      if (now - lastLine >= interval && done < total) {
        lastLine = now;
        options.write(`${LABEL[phase]}: ${done}/${total} (${Math.floor((100 * done) / total)}%)\n`);
      }
    },
    /** Clears an unfinished bar, so the next output starts on a clean line. */
    finish(): void {
      if (barVisible) options.write(CLEAR_LINE);
      barVisible = false;
    },
  };
}
