// A deterministic clock for pacing tests: sleep() parks the caller until run() advances time.
import { setImmediate as flush } from "node:timers/promises";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class VirtualTime {
  private current = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now = (): number => this.current;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Fires timers in time order until none is left before `untilMs`. */
  async run(untilMs: number): Promise<void> {
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (next === undefined || next.at > untilMs) break;
      this.timers.shift();
      this.current = next.at;
      next.resolve();
      await flush();
    }
    this.current = Math.max(this.current, untilMs);
  }
}
