// Problems and failures as GitHub annotations, within the runner's per-step limit.
import { workflowCommand } from "../report/sinks/workflow-command.js";

/** GitHub shows at most 10 annotations of each level per step and silently drops the rest. */
export const ANNOTATIONS_PER_STEP = 10;

export interface Annotation {
  /** Path relative to the workspace, so GitHub can place it on the file in a PR diff. */
  file?: string;
  line?: number;
  col?: number;
  title: string;
  message: string;
}

/**
 * Up to `limit` `::error` commands, then one `::notice` saying how many more there are and that
 * they are in the log (the caller prints the full list there).
 */
export function renderErrorAnnotations(
  annotations: readonly Annotation[],
  limit = ANNOTATIONS_PER_STEP,
): string {
  const shown = annotations.slice(0, limit);
  let out = shown
    .map((a) =>
      workflowCommand(
        "error",
        { file: a.file, line: a.line, col: a.col, title: a.title },
        a.message,
      ),
    )
    .join("");
  const more = annotations.length - shown.length;
  if (more > 0) {
    out += workflowCommand(
      "notice",
      { title: "s3ap: more errors in the log" },
      `${more} more error${more === 1 ? " is" : "s are"} not annotated (GitHub shows ${limit} per step); the full list is in this step's log.`,
    );
  }
  return out;
}
