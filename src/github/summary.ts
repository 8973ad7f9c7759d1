// The job summary (GITHUB_STEP_SUMMARY): Markdown appended once per run, within GitHub's limit.
import { appendFileSync, statSync } from "node:fs";
import { count } from "../count.js";
import { byteLength } from "../report/byte-length.js";

/** GitHub refuses a step summary over 1 MiB (and then shows none of it). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Bytes this step may still add to its summary file, keeping a little headroom. */
export function summaryBudget(env: NodeJS.ProcessEnv): number {
  const path = env.GITHUB_STEP_SUMMARY;
  let used = 0;
  if (path !== undefined && path !== "") {
    try {
      used = statSync(path).size;
    } catch {
      used = 0;
    }
  }
  return Math.max(0, SUMMARY_LIMIT_BYTES - used - 1024);
}

export function appendSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  const path = env.GITHUB_STEP_SUMMARY;
  if (path === undefined || path === "") return false;
  appendFileSync(path, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  return true;
}

/**
 * Keeps whole lines of `markdown` while they fit in `maxBytes`, then says how many lines were
 * cut and where the rest is. Used for sections that are lists or tables.
 */
export function cutLines(markdown: string, maxBytes: number, whereTheRestIs: string): string {
  if (byteLength(markdown) <= maxBytes) return markdown;
  const lines = markdown.split("\n");
  const reserve = 300 + byteLength(whereTheRestIs);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = byteLength(line) + 1;
    if (used + size > maxBytes - reserve) break;
    kept.push(line);
    used += size;
  }
  const cut = lines.length - kept.length;
  return `${kept.join("\n")}\n\n> ⚠️ ${count(cut, "line was", "lines were")} cut to stay under ${maxBytes} bytes. ${whereTheRestIs}\n`;
}
