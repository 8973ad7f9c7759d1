// The per-access-point result table printed at the end of `apply`.

import { count } from "../count.js";
import type { AccessPointRef } from "../model.js";
import type { ApplyResult, ApplyStatus, PlannedChange } from "../reconcile/types.js";
import { changeLabel, type Provenance, provenanceText } from "./labels.js";
import { accountWideErrors, errorKey } from "./plan-text.js";
import { markdownCode, markdownText } from "./sinks/markdown.js";
import { terminalText } from "./sinks/terminal.js";
import { style } from "./style.js";

export interface RunStats {
  /**
   * Requests retried after throttling, 5xx, timeouts or dropped connections; unknown (not said)
   * for a merge of shard plans one of which does not carry them (written by an older s3ap).
   */
  retries?: number;
}

/** What the result reports need of a result: an ApplyResult, or one of a plan JSON's results. */
export interface ReportedResult {
  change: AccessPointRef & Pick<PlannedChange, "action">;
  status: ApplyStatus;
  message: string;
}

export function countStatuses(results: readonly ReportedResult[]): Record<ApplyStatus, number> {
  const counts: Record<ApplyStatus, number> = {
    applied: 0,
    failed: 0,
    observed: 0,
    reported: 0,
    unchanged: 0,
  };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

export function applySummaryLine(results: readonly ReportedResult[], stats: RunStats): string {
  const c = countStatuses(results);
  // Drift an s3ap.yaml rule held back (pause, exception, remediate) is named only when there is.
  const reported = c.reported > 0 ? `, ${c.reported} reported (held back by s3ap.yaml)` : "";
  return (
    `${c.applied} applied and verified, ${c.failed} failed, ${c.unchanged} in sync, ` +
    `${c.observed} observed (not written)${reported}` +
    (stats.retries !== undefined ? `; ${count(stats.retries, "retry", "retries")}` : "")
  );
}

/** How many failed access points the last line of an apply names before it counts the rest. */
export const MAX_FAILED_NAMED = 10;

/**
 * The access points that failed, by label: up to MAX_FAILED_NAMED, then how many more
 * (`a, b and 3 more`); undefined when none failed. Labels are outside text: pass them through
 * the sink (`shown`).
 */
export function failedAccessPoints(
  results: readonly ReportedResult[],
  shown: (label: string) => string,
): string | undefined {
  const failed = results.filter((r) => r.status === "failed").map((r) => changeLabel(r.change));
  if (failed.length === 0) return undefined;
  const named = failed.slice(0, MAX_FAILED_NAMED).map(shown).join(", ");
  const more = failed.length - MAX_FAILED_NAMED;
  return more > 0 ? `${named} and ${more} more` : named;
}

export function renderApplyText(
  source: Provenance,
  results: readonly ApplyResult[],
  stats: RunStats,
  options: { color: boolean },
): string {
  const s = style(options.color);
  // An account whose every access point failed for one reason (a role that cannot be assumed)
  // gets one row: the plan above already says why.
  const accountErrors = accountWideErrors(results.map((r) => r.change));
  const accountRows = new Set<string>();
  const shown = results.filter((r) => {
    if (r.status === "unchanged") return false;
    const key = errorKey(r.change);
    if (!accountErrors.has(key)) return true;
    if (accountRows.has(key)) return false;
    accountRows.add(key);
    return true;
  });
  const lines = [`s3ap apply — ${provenanceText(source)}`, ""];
  if (shown.length > 0) {
    const label = (r: ApplyResult) => terminalText(changeLabel(r.change));
    const width = shown.reduce((widest, r) => Math.max(widest, label(r).length), 12);
    lines.push(
      `  ${"RESULT".padEnd(9)} ${"ACCESS POINT".padEnd(width)} ${"ACTION".padEnd(7)} MESSAGE`,
    );
    for (const r of shown) {
      const paint = r.status === "applied" ? s.green : r.status === "failed" ? s.red : s.yellow;
      const group = accountErrors.get(errorKey(r.change));
      const rowLabel = group === undefined ? label(r) : `account ${r.change.accountId}`;
      const message =
        group === undefined
          ? terminalText(r.message)
          : `all ${count(group.length, "access point")}: the account's error is in the plan above`;
      lines.push(
        `  ${paint(r.status.padEnd(9))} ${rowLabel.padEnd(width)} ${r.change.action.padEnd(7)} ${message}`,
      );
    }
    lines.push("");
  }
  const failed = failedAccessPoints(results, terminalText);
  const line = `Apply: ${applySummaryLine(results, stats)}.`;
  if (failed === undefined) lines.push(s.green(line));
  // The last line names what failed: in a long apply the failed rows are far above.
  else lines.push(s.red(s.bold(line)), s.red(s.bold(`Failed: ${failed}.`)));
  return `${lines.join("\n")}\n`;
}

export function renderApplyMarkdown(results: readonly ReportedResult[], stats: RunStats): string {
  const shown = results.filter((r) => r.status !== "unchanged");
  const lines = ["## s3ap apply", "", `${applySummaryLine(results, stats)}.`, ""];
  const failed = failedAccessPoints(results, markdownCode);
  if (failed !== undefined) lines.push(`**Failed:** ${failed}.`, "");
  if (shown.length > 0) {
    lines.push("| Result | Access point | Action | Message |", "|---|---|---|---|");
    for (const r of shown) {
      const icon =
        r.status === "applied"
          ? "✅"
          : r.status === "failed"
            ? "❌"
            : r.status === "reported"
              ? "⏸️"
              : "👁️";
      lines.push(
        `| ${icon} ${r.status} | ${markdownCode(changeLabel(r.change))} | ${r.change.action} | ${markdownText(r.message)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
