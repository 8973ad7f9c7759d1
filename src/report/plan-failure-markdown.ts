// What a pull request's comment says when there is no plan for its head commit: the plan step
// failed (invalid files, AWS, a refusal) or the job never got that far. It replaces the older
// plan, so nobody reads a plan of a commit that is no longer the head.

import { count } from "../count.js";
import type { Problem } from "../model.js";
import type { ReportLinks } from "./file-links.js";
import { SHA_LENGTH } from "./labels.js";
import { markdownCode, markdownLink, markdownText } from "./sinks/markdown.js";

export interface PlanFailure {
  /** The head commit the failure is for (null: unknown). */
  commit: string | null;
  /** The errors found in the policy files at that commit (first ones are shown). */
  problems: readonly Problem[];
  /** Why the plan step failed, in its own words (its failure-reason output), if it said. */
  reason?: string;
  runUrl?: string;
  links?: ReportLinks;
}

/** Problems shown in the comment; the run's log and annotations have all of them. */
const SHOWN = 20;

export function renderPlanFailureMarkdown(failure: PlanFailure, title = "s3ap plan"): string {
  const links = failure.links ?? {};
  const sha = failure.commit;
  const head =
    sha === null
      ? "the head commit"
      : `commit ${markdownLink(markdownCode(sha.slice(0, SHA_LENGTH)), links.commit?.(sha))}`;
  const run = failure.runUrl !== undefined ? markdownLink("the run", failure.runUrl) : "the run";
  const lines = [
    `## ${title} · ❌ failed`,
    "",
    `No plan could be made for ${head}, the head of this pull request (a plan shown here before was for an older commit). See ${run} for the whole log.`,
    "",
  ];
  const errors = failure.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    const files = new Set(errors.map((p) => p.file)).size;
    lines.push(
      `> ❌ **${count(errors.length, "problem")} in ${count(files, "policy file")}**; nothing was sent to AWS. Fix ${errors.length === 1 ? "it" : "them"} and push again:`,
      "",
      "| Where | Problem |",
      "|---|---|",
    );
    for (const p of errors.slice(0, SHOWN)) {
      const where = markdownLink(
        markdownCode(`${p.file}:${p.line}:${p.col}`),
        links.file?.(p.file, p.line),
      );
      lines.push(`| ${where} | ${markdownText(p.message)} (${markdownText(p.rule)}) |`);
    }
    if (errors.length > SHOWN) {
      lines.push("", `… and ${errors.length - SHOWN} more in the run's log and annotations.`);
    }
    lines.push("");
  } else {
    const why = failure.reason ?? "the job failed before s3ap could plan (credentials, set-up)";
    lines.push(`> ❌ **The plan failed:** ${markdownText(why)}`, "");
  }
  return lines.join("\n");
}
