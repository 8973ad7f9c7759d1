// Markdown for GitHub: job summaries, PR comments and `--format markdown`.
// Sections are added whole until the byte budget would be exceeded; what is cut is said.

import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { MergedPlan, Plan, PlannedChange } from "../reconcile/types.js";
import {
  analyzerDetails,
  analyzerSummary,
  mayWiden,
  verdictBadge,
  WIDENS_BADGE,
} from "./access-labels.js";
import { byteLength } from "./byte-length.js";
import { hasKindDetails, proposedPolicyText, scopeChangeLines } from "./kind-details.js";
import { changeLabel, provenanceText, SYMBOL, summaryLine } from "./labels.js";
import { renderPolicyDiffMarkdown } from "./policy-diff-markdown.js";
import { type OptionNames, refusalText, refusedShardText } from "./refusal-text.js";
import { markdownCode, markdownFence, markdownText } from "./sinks/markdown.js";
import { renderUnmanagedMarkdown } from "./unmanaged-markdown.js";
import { unmanagedSuffix } from "./unmanaged-text.js";

export interface MarkdownOptions {
  title?: string;
  /** Byte budget for the whole document (GitHub: 1 MiB job summary, 65,536 chars PR comment). */
  maxBytes?: number;
  /** Where the full plan can be found when the document is cut (e.g. an artifact URL). */
  fullPlanHint?: string;
  /** How the entry names its options, to word a refusal the plan carries (none: not shown). */
  names?: OptionNames;
}

/**
 * A plan, or the merge of a fan-out run's shard plans (which names the accounts it lacks), as
 * read back from its JSON: an apply refused over it carries its refusal.
 */
export type MarkdownPlan = Plan & Pick<MergedPlan, "missingAccounts" | "refusedShards" | "refusal">;

export function renderPlanMarkdown(plan: MarkdownPlan, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const head = [
    `## ${options.title ?? "s3ap plan"}`,
    "",
    `Source: ${provenanceText(plan, markdownCode)} · ${summaryLine(plan.summary)}${unmanagedSuffix(plan)}`,
    "",
  ];
  const missing = missingAccountsOf(plan);
  if (missing.length > 0) head.push(missingAccountsNote(missing), "");
  if (options.names !== undefined) appendAll(head, refusalNotes(plan, options.names));
  const drifted = plan.changes.filter((c) => c.action !== "noop");
  const widening = drifted.filter(mayWiden);
  if (widening.length > 0) {
    const mixed = widening.filter((c) => c.access === "mixed").length;
    const listed = widening.slice(0, MAX_NAMED).map((c) => markdownCode(changeLabel(c)));
    const more = widening.length - MAX_NAMED;
    const names = `${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
    head.push(
      `> ${WIDENS_BADGE} on ${count(widening.length, "access point")}` +
        `${mixed > 0 ? ` (${count(mixed, "also narrows", "also narrow")})` : ""}: ${names}`,
      "",
    );
  }
  if (drifted.length === 0) {
    // A merge with accounts missing is not all in sync: no green tick for what was not planned.
    const inSync = `${count(plan.summary.noop, "access point")} in sync`;
    head.push(
      missing.length === 0
        ? `✅ No changes: ${inSync}.`
        : `No changes in the accounts that were planned: ${inSync}.`,
      "",
    );
  }
  appendAll(head, renderUnmanagedMarkdown(plan));

  const sections = [
    ...accountTables(plan),
    ...drifted.filter((c) => c.diff !== null || hasKindDetails(c)).map(diffSection),
  ];
  return fitToBudget(head.join("\n"), sections, maxBytes, options.fullPlanHint);
}

/** Accounts of the shard list that no shard plan covers. */
function missingAccountsOf(plan: MarkdownPlan): readonly string[] {
  return plan.missingAccounts ?? [];
}

/** Accounts whose shard job left no plan: said before anything else, so no one reads "in sync". */
function missingAccountsNote(missing: readonly string[]): string {
  const listed = missing.slice(0, MAX_NAMED).map(markdownCode);
  const more = missing.length - MAX_NAMED;
  return (
    `> ❌ **No plan for ${count(missing.length, "account")}** (their shard jobs failed): ` +
    `${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}. ` +
    "Their access points are not in this plan; re-run the failed jobs to plan them."
  );
}

/** An apply refused over this plan wrote nothing: said before the changes it did not write. */
function refusalNotes(plan: MarkdownPlan, names: OptionNames): string[] {
  const notes: string[] = [];
  if (plan.refusal !== undefined) {
    notes.push(
      `> ❌ **Refused, nothing was written:** ${markdownText(refusalText(plan.refusal, names))}`,
      "",
    );
  }
  for (const shard of plan.refusedShards ?? []) {
    notes.push(`> ❌ **Nothing was written:** ${markdownText(refusedShardText(shard, names))}`, "");
  }
  return notes;
}

function accountTables(plan: Plan): string[] {
  const byAccount = new Map<string, PlannedChange[]>();
  for (const change of plan.changes) {
    const list = byAccount.get(change.accountId) ?? [];
    list.push(change);
    byAccount.set(change.accountId, list);
  }
  const tables: string[] = [];
  for (const [account, changes] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    const rows = changes.filter((c) => c.action !== "noop");
    const inSync = changes.length - rows.length;
    const lines = [`### Account ${markdownText(account)}`, ""];
    if (rows.length > 0) {
      lines.push(
        "| | Access point | Region | Action | Mode | Access | Reason |",
        "|---|---|---|---|---|---|---|",
      );
      for (const c of rows) {
        lines.push(
          `| ${SYMBOL[c.action]} | ${markdownCode(c.name)} | ${markdownText(c.region)} | ${c.action} | ${markdownText(c.mode)} | ${accessBadge(c)} | ${markdownText(c.reason)} |`,
        );
      }
      lines.push("");
    }
    lines.push(`${count(inSync, "access point")} in sync.`, "");
    tables.push(lines.join("\n"));
  }
  return tables;
}

/** Access points named in the header; the tables list every one. */
const MAX_NAMED = 10;

/** The access verdict as a badge; the widening ones stand out. */
function accessBadge(change: PlannedChange): string {
  const analyzer = analyzerSummary(change);
  const own = ownBadge(change);
  return analyzer === null ? own : `${own}<br>IAM Access Analyzer: ${markdownText(analyzer)}`;
}

function ownBadge(change: PlannedChange): string {
  return verdictBadge(change.access);
}

function accessReasons(change: PlannedChange): string {
  const reasons = change.accessReasons ?? [];
  const lines = reasons.map((r) => `- ${r.direction}: ${markdownText(r.text)}`);
  const analyzer = analyzerSummary(change);
  if (analyzer !== null) {
    lines.push(`- IAM Access Analyzer: ${markdownText(analyzer)}`);
    for (const detail of analyzerDetails(change)) lines.push(`  - ${markdownText(detail)}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function diffSection(change: PlannedChange): string {
  const diff = change.diff === null ? "" : renderPolicyDiffMarkdown(change.diff);
  const scope = scopeChangeLines(change).map((line) => `- ${markdownText(line)}`);
  const proposed = proposedPolicyText(change);
  // <summary> is HTML: GitHub does not render Markdown emphasis inside it.
  const badge =
    change.access === undefined
      ? ""
      : ` — ${ownBadge(change).replace(/\*\*(.+?)\*\*/, "<b>$1</b>")}`;
  return [
    `<details><summary>${SYMBOL[change.action]} ${markdownText(changeLabel(change))} — ${change.action}${badge}</summary>`,
    "",
    `File: ${markdownCode(change.file)}`,
    "",
    accessReasons(change),
    ...(scope.length > 0 ? [scope.join("\n"), ""] : []),
    ...(proposed !== undefined
      ? ["Proposed policy (AWS is still applying it):", "", markdownFence([proposed], "json"), ""]
      : []),
    diff,
    "",
    "</details>",
    "",
  ].join("\n");
}

function fitToBudget(head: string, sections: string[], maxBytes: number, hint?: string): string {
  const reserve = 400; // room for the "cut" note
  let out = `${head}\n`;
  let used = byteLength(out);
  let cut = 0;
  for (const section of sections) {
    const size = byteLength(section) + 1;
    if (cut > 0 || used + size > maxBytes - reserve) {
      cut += 1;
      continue;
    }
    out += `${section}\n`;
    used += size;
  }
  if (cut > 0) {
    const where = hint
      ? ` The full plan: ${hint}.`
      : " Run `s3ap plan --format json` for the full plan.";
    out += `\n> ⚠️ ${count(cut, "section was", "sections were")} cut to stay under ${maxBytes} bytes.${where}\n`;
  }
  return out;
}
