// The Action's job summary of a plan or apply step (Markdown, within GitHub's 1 MiB budget), and
// of a step that failed before it had anything to show.
import { count } from "../count.js";
import type { ReconcileOutcome } from "../reconcile/types.js";
import {
  countStatuses,
  failedAccessPoints,
  type ReportedResult,
  renderApplyMarkdown,
} from "./apply-text.js";
import { cutLines } from "./cut-lines.js";
import type { ReportLinks } from "./file-links.js";
import { provenanceText } from "./labels.js";
import { renderPlanMarkdown } from "./plan-markdown.js";
import { displayPath } from "./problems-text.js";
import { markdownCode, markdownText } from "./sinks/markdown.js";

export interface RunSummaryOptions {
  /** "plan", "apply", "apply (dry run)". */
  mode: string;
  retries: number;
  /** What file paths are shown relative to. */
  cwd: string;
  /** Bytes the summary may take. */
  budget: number;
  /** The plan JSON written for the plan-path output ("" when none was). */
  planPath: string;
  /** The refusal in the entry's words, when the outcome is one. */
  refusal?: string;
  /** Why `fail-on` fails the step although the plan holds (outcome-text.ts failOnReason). */
  failOn?: string;
  /** `apply --remediate`: the plan says which drift it leaves alone. */
  remediate?: boolean;
  /** A pull request's plan says "this pull request"; links to files and commits (GitHub). */
  changeOf?: "pull request" | "change";
  links?: ReportLinks;
}

/** `> ❌ This step fails: <fail-on reason>`, first in a job summary (one job or merged shards). */
export function failOnLine(reason: string): string {
  return `> ❌ **This step fails:** ${markdownText(reason)}`;
}

/** What the run itself got wrong, before the plan: the refusal, the writes that failed. */
function runErrors(outcome: ReconcileOutcome, options: RunSummaryOptions): string[] {
  const errors: string[] = [];
  if (outcome.status === "refused" && options.refusal !== undefined) {
    errors.push(`> ❌ **Refused:** ${markdownText(options.refusal)}`);
  }
  if (options.failOn !== undefined) errors.push(failOnLine(options.failOn));
  if (outcome.status === "applied") {
    const failed = failedWritesLine(outcome.results);
    if (failed !== undefined) errors.push(failed);
  }
  return errors;
}

/**
 * `> ❌ N access points could not be written: …`, among the errors first in the job summary of an
 * apply (one job or merged shards); undefined when every write held.
 */
export function failedWritesLine(results: readonly ReportedResult[]): string | undefined {
  const names = failedAccessPoints(results, markdownCode);
  if (names === undefined) return undefined;
  const failed = countStatuses(results).failed;
  return `> ❌ **${count(failed, "access point")} could not be written**: ${names}; the apply table below says why.`;
}

export function renderRunSummary(outcome: ReconcileOutcome, options: RunSummaryOptions): string {
  const rest = "The full list is in this step's log.";
  if (outcome.status === "invalid") {
    const lines = [
      `## s3ap ${options.mode}: invalid policy files`,
      "",
      `Source: ${provenanceText(outcome.source, markdownCode)} · ${count(outcome.problems.length, "problem")} in ${count(outcome.files, "file")}; nothing was sent to AWS.`,
      "",
      "| File | Line | Column | Severity | Rule | Problem |",
      "|---|---|---|---|---|---|",
      ...outcome.problems.map(
        (p) =>
          `| ${markdownCode(displayPath(p.file, outcome.source, options.cwd))} | ${p.line} | ${p.col} | ${p.severity} | ${markdownText(p.rule)} | ${markdownText(p.message)} |`,
      ),
      "",
    ];
    return cutLines(lines.join("\n"), options.budget, rest);
  }
  const path = options.planPath === "" ? "not written" : markdownCode(options.planPath);
  const hint = `the plan JSON (\`plan-path\` output: ${path})`;
  let applyPart = "";
  if (outcome.status === "applied") {
    applyPart = cutLines(
      renderApplyMarkdown(outcome.results, { retries: options.retries }),
      Math.floor(options.budget / 2),
      rest,
    );
  }
  const errors = runErrors(outcome, options);
  const planBudget = options.budget - Buffer.byteLength(applyPart);
  const planPart =
    outcome.plan === null
      ? [
          `## s3ap ${options.mode}`,
          "",
          `Source: ${provenanceText(outcome.source, markdownCode)}`,
          "",
          ...errors.flatMap((line) => [line, ""]),
        ].join("\n")
      : renderPlanMarkdown(outcome.plan, {
          title: `s3ap ${options.mode}`,
          maxBytes: planBudget,
          fullPlanHint: hint,
          errors,
          ...(options.remediate === true ? { remediate: true } : {}),
          ...(options.changeOf !== undefined ? { changeOf: options.changeOf } : {}),
          ...(options.links !== undefined ? { links: options.links } : {}),
        });
  return `${planPart}${applyPart ? `\n${applyPart}` : ""}`;
}

/** A step that failed with an error (bad input, a GitHub or git failure); `command` may be "". */
export function renderFailureSummary(command: string, message: string): string {
  const title = command === "" ? "s3ap" : `s3ap ${command}`;
  return `## ${title}: failed\n\n> ❌ ${markdownText(message)}\n`;
}
