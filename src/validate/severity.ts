// Which problems fail a run: errors always, warnings only with --strict.

import type { Problem } from "../model.js";

export const isError = (problem: Problem): boolean => problem.severity === "error";

/** Whether these problems stop the run (validate exits 1, plan and apply write nothing). */
export function problemsFail(problems: readonly Problem[], strict: boolean): boolean {
  // A warning an s3ap.yaml exception excuses never fails a run, --strict or not.
  return strict ? problems.some((p) => p.exception === undefined) : problems.some(isError);
}
