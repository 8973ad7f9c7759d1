// Which problems fail a run: errors always, warnings only with --strict.

import { count } from "../count.js";
import type { Problem } from "../model.js";

export const isError = (problem: Problem): boolean => problem.severity === "error";

/** Whether these problems stop the run (validate exits 1, plan and apply send nothing). */
export function problemsFail(problems: readonly Problem[], strict: boolean): boolean {
  return strict ? problems.length > 0 : problems.some(isError);
}

/** `2 errors, 1 warning` (or `no problems`), for summaries. */
export function countBySeverity(problems: readonly Problem[]): string {
  const errors = problems.filter(isError).length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return "no problems";
  const parts: string[] = [];
  if (errors > 0) parts.push(count(errors, "error"));
  if (warnings > 0) parts.push(count(warnings, "warning"));
  return parts.join(", ");
}
