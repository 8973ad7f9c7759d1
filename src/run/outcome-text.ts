// The words both entries print for an outcome: the report on stdout (text, JSON or Markdown),
// the problems and refusals on stderr, and the one-line reason a run failed.

import { count } from "../count.js";
import type { Plan, ReconcileOutcome } from "../reconcile/types.js";
import { hasDrift, pendingCount } from "../reconcile/types.js";
import {
  countStatuses,
  failedAccessPoints,
  type ReportedResult,
  renderApplyMarkdown,
  renderApplyText,
} from "../report/apply-text.js";
import { outcomePlanJson, renderProblemsJson } from "../report/plan-json.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { type OptionNames, refusalLine } from "../report/refusal-text.js";
import type { JsonChunks } from "../report/sinks/json.js";
import { terminalText } from "../report/sinks/terminal.js";
import type { FailOnCondition, ReportFormat } from "./options.js";

export interface ReportOptions {
  format: ReportFormat;
  color: boolean;
  verbose: boolean;
  retries: number;
  /** Where paths are shown from (see displayRoot). */
  root: string;
  /** How the run reached AWS; shown on stderr with verbose. */
  notices?: readonly string[];
  /** How this entry names its options in a refusal. */
  names: OptionNames;
  /** The text plan was already shown before the writes: the report adds the results only. */
  planShown?: boolean;
  /** `apply --remediate`: the Markdown says which drift it leaves alone. */
  remediate?: boolean;
}

/**
 * A report in the order a terminal must show it, stdout and stderr being one screen: `notes`
 * first, then `stdout`, then `stderr`, so that the last line says why the run failed (an
 * apply's "Failed: …", a refusal) and no warning prints after it.
 */
export interface Report {
  /** For stderr, before the report: notices (--verbose), the warnings that did not stop the run. */
  notes: string;
  stdout: string;
  /** For stdout, after `stdout`: the plan JSON (--format json), to be written piece by piece. */
  json?: JsonChunks;
  /** For stderr, after the report: the problems that stopped the run, the refusal. */
  stderr: string;
}

export function renderReport(outcome: ReconcileOutcome, options: ReportOptions): Report {
  const report = renderOutcome(outcome, options);
  if (!options.verbose || !options.notices?.length) return report;
  const notes = options.notices.map((notice) => `s3ap: note: ${terminalText(notice)}\n`).join("");
  return { ...report, notes: notes + report.notes };
}

function renderOutcome(outcome: ReconcileOutcome, options: ReportOptions): Report {
  if (outcome.status === "invalid") {
    return {
      notes: "",
      stdout:
        options.format === "json"
          ? renderProblemsJson(outcome.source, outcome.files, outcome.problems)
          : "",
      stderr:
        renderProblemsText(outcome.problems, outcome.source, options.root) +
        `s3ap: ${invalidReason(outcome.problems.length)}.\n`,
    };
  }
  // Warnings that did not stop the run (no --strict) are shown before anything else.
  const excepted = outcome.warnings.filter((p) => p.exception !== undefined).length;
  const exceptedNote =
    excepted > 0 ? `; ${excepted} excepted in s3ap.yaml, which it never fails on` : "";
  const notes =
    outcome.warnings.length === 0
      ? ""
      : renderProblemsText(outcome.warnings, outcome.source, options.root) +
        `s3ap: ${count(outcome.warnings.length, "warning")} in the policy files ` +
        `(${options.names.name("strict")} fails on warnings${exceptedNote}).\n`;
  const stderr =
    outcome.status === "refused"
      ? `s3ap: ${terminalText(refusalLine(outcome.refusal, options.names))}\n`
      : "";
  const { plan } = outcome;
  if (plan === null) return { notes, stdout: "", stderr };
  const results = outcome.status === "applied" ? outcome.results : undefined;
  const stats = { retries: options.retries };
  let stdout: string;
  switch (options.format) {
    case "json": {
      const json = outcomePlanJson(outcome, options.retries);
      return { notes, stdout: "", ...(json !== undefined ? { json } : {}), stderr };
    }
    case "markdown":
      stdout = renderPlanMarkdown(
        outcome.status === "refused" && outcome.refusal.kind === "max-changes"
          ? { ...plan, refusal: outcome.refusal }
          : plan,
        { names: options.names, ...(options.remediate === true ? { remediate: true } : {}) },
      );
      if (results) stdout += `\n${renderApplyMarkdown(results, stats)}`;
      break;
    case "text": {
      const apply = results
        ? renderApplyText(plan, results, stats, { color: options.color })
        : undefined;
      if (options.planShown === true && apply !== undefined) stdout = apply;
      else {
        stdout = renderPlanText(plan, {
          color: options.color,
          verbose: options.verbose,
          names: options.names,
        });
        if (apply !== undefined) stdout += `\n${apply}`;
      }
      break;
    }
  }
  return { notes, stdout, stderr };
}

export function invalidReason(problems: number): string {
  return `${count(problems, "problem")} in the policy files; nothing was sent to AWS`;
}

/**
 * Why the run failed, in one line (the Action's failure-reason output), or undefined when it did
 * not. Drift fails a plan only when `failOnDrift` is set; exit code 2 says it on the CLI.
 */
export function failureReason(
  outcome: ReconcileOutcome,
  failOnDrift: boolean,
  names: OptionNames,
  failOn: readonly FailOnCondition[] = [],
): string | undefined {
  const trust = "plan" in outcome && outcome.plan !== null ? outcome.plan : undefined;
  const outside = trust !== undefined ? failOnReason(trust, failOn, names) : undefined;
  const reason = runFailure(outcome, failOnDrift, names);
  return reason ?? outside;
}

/**
 * Why `fail-on` fails a run whose plan holds, in one line, or undefined: a change or drift that
 * grants access outside s3ap.yaml's trust, with the first grant that does.
 */
export function failOnReason(
  plan: Plan,
  failOn: readonly FailOnCondition[],
  names: OptionNames,
): string | undefined {
  if (!failOn.includes("widens-outside-trust") || plan.widensOutsideTrust !== true)
    return undefined;
  // The files' own changes first: in a pull request's plan they are what the review is about.
  const grants = [
    ...plan.changes.flatMap((c) =>
      (c.changeTrust?.outside ?? []).map((g) => `${c.name}: ${g.text}`),
    ),
    ...plan.changes.flatMap((c) =>
      (c.driftTrust?.outside ?? []).map((g) => `${c.name} (live): ${g.text}`),
    ),
  ];
  const more = grants.length > 1 ? ` (and ${count(grants.length - 1, "more grant")})` : "";
  return (
    `widens access outside trust: ${grants[0] ?? "a grant outside trust"}${more} ` +
    `(${names.name("failOn")} widens-outside-trust)`
  );
}

function runFailure(
  outcome: ReconcileOutcome,
  failOnDrift: boolean,
  names: OptionNames,
): string | undefined {
  switch (outcome.status) {
    case "invalid":
      return invalidReason(outcome.problems.length);
    case "refused":
      return refusalLine(outcome.refusal, names);
    case "planned": {
      const { summary } = outcome.plan;
      if (summary.error > 0) return unplannedReason(summary.error);
      if (failOnDrift && hasDrift(outcome.plan)) {
        const drift = pendingCount(outcome.plan);
        return `drift: ${count(drift, "access point differs", "access points differ")} from ${drift === 1 ? "its file" : "their files"} (fail-on-drift is set)`;
      }
      return undefined;
    }
    case "applied":
      return unreconciledReason(outcome.results);
  }
}

/** Why a run fails whose plan has errors (access points not read or planned). */
export function unplannedReason(errors: number): string {
  return `${count(errors, "access point")} could not be read or planned`;
}

/** Why an apply fails whose writes failed, naming them; undefined when none did. */
export function unreconciledReason(results: readonly ReportedResult[]): string | undefined {
  const names = failedAccessPoints(results, (label) => label);
  if (names === undefined) return undefined;
  const failed = countStatuses(results).failed;
  return `${count(failed, "access point")} could not be reconciled: ${names}`;
}
