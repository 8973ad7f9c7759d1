// What `validate` prints besides the problems: the JSON report and the closing count line.
import { count } from "../count.js";
import type { Problem } from "../model.js";
import { type Provenance, provenanceText } from "./labels.js";
import { jsonDocument } from "./sinks/json.js";

/** The JSON report of `s3ap validate --format json` (paths relative to the repository root). */
export interface ValidateReport {
  formatVersion: 1;
  commit: string | null;
  dirty: boolean;
  files: number;
  accessPoints: number;
  problems: Problem[];
}

export function renderValidateJson(report: ValidateReport): string {
  return jsonDocument(report);
}

/** `N files, M access points, K problems (E errors, W warnings) at commit …`. */
export function validateSummaryLine(
  files: number,
  accessPoints: number,
  problems: readonly Problem[],
  source: Provenance,
): string {
  const bySeverity = problems.length > 0 ? ` (${countBySeverity(problems)})` : "";
  const origin =
    source.commit === null ? ` (${provenanceText(source)})` : ` at ${provenanceText(source)}`;
  return `${count(files, "file")}, ${count(accessPoints, "access point")}, ${count(problems.length, "problem")}${bySeverity}${origin}`;
}

/** `2 errors, 1 warning` (or `no problems`), for summaries. */
export function countBySeverity(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  const excepted = problems.filter((p) => p.exception !== undefined).length;
  if (problems.length === 0) return "no problems";
  const parts: string[] = [];
  if (errors > 0) parts.push(count(errors, "error"));
  if (warnings > 0) parts.push(count(warnings, "warning"));
  if (excepted > 0) parts.push(`${excepted} excepted in s3ap.yaml`);
  return parts.join(", ");
}
