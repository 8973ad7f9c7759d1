// Problems and failures as GitHub annotations, within the runner's per-step limit.

import { count } from "../count.js";
import type { Problem, SourceInfo } from "../model.js";
import type { ReconcileOutcome } from "../reconcile/types.js";
import { changeLabel } from "../report/labels.js";
import { displayPath } from "../report/problems-text.js";
import { workflowCommand } from "../report/sinks/workflow-command.js";

/** GitHub shows at most 10 annotations of each level per step and silently drops the rest. */
export const ANNOTATIONS_PER_STEP = 10;

export interface Annotation {
  /** Default: error. Warnings become `::warning` (problems with severity warning). */
  level?: "error" | "warning";
  /** Path relative to the workspace, so GitHub can place it on the file in a PR diff. */
  file?: string;
  line?: number;
  col?: number;
  title: string;
  message: string;
}

/**
 * Up to `limit` `::error` and `limit` `::warning` commands (GitHub's limit is per level), then
 * one `::notice` per level saying how many more there are and that they are in the log (the
 * caller prints the full list there).
 */
export function renderErrorAnnotations(
  annotations: readonly Annotation[],
  limit = ANNOTATIONS_PER_STEP,
): string {
  let out = "";
  for (const level of ["error", "warning"] as const) {
    const ofLevel = annotations.filter((a) => (a.level ?? "error") === level);
    const shown = ofLevel.slice(0, limit);
    out += shown
      .map((a) =>
        workflowCommand(
          level,
          { file: a.file, line: a.line, col: a.col, title: a.title },
          a.message,
        ),
      )
      .join("");
    const more = ofLevel.length - shown.length;
    if (more > 0) {
      out += workflowCommand(
        "notice",
        { title: `s3ap: more ${level}s in the log` },
        `${count(more, `more ${level} is`, `more ${level}s are`)} not annotated (GitHub shows ${limit} per step); the full list is in this step's log.`,
      );
    }
  }
  return out;
}

/** The problems, access points that could not be planned and failed writes of a run. */
export function outcomeAnnotations(outcome: ReconcileOutcome, cwd: string): Annotation[] {
  if (outcome.status === "invalid") {
    return outcome.problems.map((p) => problemAnnotation(p, outcome.source, cwd));
  }
  // A warning s3ap.yaml excuses is in the log, not an annotation: it was accepted until its date.
  const annotations = outcome.warnings
    .filter((p) => p.exception === undefined)
    .map((p) => problemAnnotation(p, outcome.source, cwd));
  if (outcome.plan !== null) {
    for (const change of outcome.plan.changes) {
      if (change.action !== "error") continue;
      annotations.push({
        file: displayPath(change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(change)}`,
        message: change.reason,
      });
    }
  }
  if (outcome.status === "applied") {
    for (const result of outcome.results) {
      if (result.status !== "failed") continue;
      annotations.push({
        file: displayPath(result.change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(result.change)} not applied`,
        message: result.message,
      });
    }
  }
  return annotations;
}

function problemAnnotation(problem: Problem, source: SourceInfo, cwd: string): Annotation {
  return {
    level: problem.severity,
    file: displayPath(problem.file, source, cwd),
    line: problem.line,
    col: problem.col,
    title: `s3ap: ${problem.rule}`,
    message: problem.message,
  };
}
