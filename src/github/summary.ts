// The job summary (GITHUB_STEP_SUMMARY): Markdown appended once per run, within GitHub's limit.
import { appendFileSync, statSync } from "node:fs";

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
