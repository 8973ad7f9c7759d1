// Markdown for GitHub: job summaries, PR comments and `--format markdown`, in the order a
// reviewer needs it: errors first; what the change to the files does (base → head, its verdict in
// the title); the drift already in live (base → live, as it happened, its own ⚠️); then what apply
// (merging) writes (live → head). Tables are kept first; collapsible details fill the byte budget
// that is left, and what is cut is said.

import { accessPointKey } from "../access-point/arn.js";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { MergedPlan, Plan, PlannedChange } from "../reconcile/types.js";
import { type ChangeParts, partsOf } from "../reconcile/types.js";
import {
  ACCESS_LABEL,
  analyzerDetails,
  analyzerSummary,
  changeVerdict,
  driftVerdict,
  mayWiden,
  shownReasons,
  verdictBadge,
  WIDENS_BADGE,
  widensAccess,
} from "./access-labels.js";
import { byteLength } from "./byte-length.js";
import type { ReportLinks } from "./file-links.js";
import {
  attributionSentence,
  exceptionSentence,
  outsideGrants,
  planTrustBadge,
  remediationSentence,
  trustBadge,
  trustBadgeOf,
} from "./governance-words.js";
import { hasKindDetails, proposedPolicyText, scopeChangeLines } from "./kind-details.js";
import {
  changeLabel,
  narrowedText,
  provenanceText,
  SHA_LENGTH,
  SYMBOL,
  summaryLine,
} from "./labels.js";
import {
  baseWarnings,
  changedByFiles,
  combinedAccess,
  driftedInLive,
  fileChangeKind,
  releasedOf,
  shownBase,
  showsChangeSection,
} from "./plan-sections.js";
import { renderPolicyDiffMarkdown } from "./policy-diff-markdown.js";
import { type OptionNames, refusalText, refusedShardText } from "./refusal-text.js";
import { markdownCode, markdownFence, markdownLink, markdownText } from "./sinks/markdown.js";
import { renderUnmanagedMarkdown } from "./unmanaged-markdown.js";
import { unmanagedSuffix } from "./unmanaged-text.js";

export interface MarkdownOptions {
  title?: string;
  /** Byte budget for the whole document (GitHub: 1 MiB job summary, 65,536 chars PR comment). */
  maxBytes?: number;
  /** Where the full plan can be found when the document is cut (e.g. an artifact URL). */
  fullPlanHint?: string;
  /** Whose change the files hold: a pull request (PR comments) or a change (default). */
  changeOf?: "pull request" | "change";
  /** Links to the files at the plan's commit and to commits (in GitHub). */
  links?: ReportLinks;
  /** How the entry names its options, to word a refusal the plan carries (none: not shown). */
  names?: OptionNames;
  /** The run's own errors (a refusal, failed writes), Markdown: shown before everything else. */
  errors?: readonly string[];
  /** `apply --remediate`: only the drift s3ap.yaml's `remediate` says to revert is written. */
  remediate?: boolean;
}

/**
 * A plan, or the merge of a fan-out run's shard plans (which names the accounts it lacks), as
 * read back from its JSON: an apply refused over it carries its refusal.
 */
export type MarkdownPlan = Plan &
  Pick<MergedPlan, "missingAccounts" | "refusedShards" | "refusal" | "results">;

/**
 * A part of the document: pinned parts (short, bounded) are always kept, tables are kept before
 * any details are.
 */
interface Block {
  kind: "pinned" | "table" | "details";
  text: string;
}

/** Access points named in a line; the tables list every one. */
const MAX_NAMED = 10;

export function renderPlanMarkdown(plan: MarkdownPlan, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const words = wordsFor(options.changeOf ?? "change");
  const links = options.links ?? {};
  const withChange = showsChangeSection(plan);
  // The title's verdict is the pull request's (its change) when there is one: drift it did not
  // make gets its badge in the drift section's heading.
  const outside = withChange
    ? trustBadgeOf(changedByFiles(plan).map((c) => c.changeTrust))
    : planTrustBadge(plan);
  const head = [
    `## ${options.title ?? "s3ap plan"}${titleBadge(plan, withChange, words)}${outside !== "" ? ` · ${outside}` : ""}`,
    "",
    `${sourceLine(plan, links, words)} · ${summaryLine(plan.summary)}${unmanagedSuffix(plan)}`,
    "",
    ...(options.errors ?? []).flatMap((line) => [line, ""]),
    ...errorLines(plan, links, options.names),
    ...governanceLines(plan, links),
  ];
  const narrowed = narrowedText(plan.only, markdownCode);
  if (narrowed !== undefined) head.splice(4, 0, `> ${narrowed}`, "");
  const blocks: Block[] = [];
  if (withChange) appendAll(blocks, changeSection(plan, links, words));
  appendAll(blocks, driftSection(plan, links, words, withChange));
  appendAll(blocks, applySection(plan, links, words, heldBackBy(plan, options.remediate === true)));
  const unmanaged = renderUnmanagedMarkdown(plan);
  // At most 20 names and the warnings: it always fits, and is always shown.
  if (unmanaged.length > 0) blocks.push({ kind: "pinned", text: unmanaged.join("\n") });
  return fitToBudget(head.join("\n"), blocks, maxBytes, options.fullPlanHint);
}

interface Words {
  /** "this pull request" / "this change" */
  subject: string;
  changeHeading: string;
  applyHeading: string;
  /** What writes the files over live: "merging" / "apply". */
  writer: string;
}

function wordsFor(changeOf: "pull request" | "change"): Words {
  return changeOf === "pull request"
    ? {
        subject: "this pull request",
        changeHeading: "What this pull request changes",
        applyHeading: "What merging will apply",
        writer: "merging",
      }
    : {
        subject: "this change",
        changeHeading: "What this change to the files does",
        applyHeading: "What apply will do",
        writer: "apply",
      };
}

/**
 * The verdict of what the files' change does, and what could not be planned (the verdict is
 * then only of the rest); without a change, of what drift did.
 */
function titleBadge(plan: MarkdownPlan, withChange: boolean, words: Words): string {
  if (withChange) {
    const verdict = combinedAccess(changedByFiles(plan).map((c) => c.changeAccess));
    const unplanned = unplannedText(plan);
    const failed = unplanned === undefined ? "" : ` · ❌ ${unplanned}`;
    if (verdict === undefined) {
      return unplanned === undefined ? ` · ${words.subject} changes no policy` : failed;
    }
    return ` · ${words.subject} ${verdict === "same" ? "keeps the same access" : verdictBadge(verdict)}${failed}`;
  }
  const drift = combinedAccess(driftedInLive(plan).map((c) => c.driftAccess));
  return widensAccess(drift) ? " · ⚠️ **live widens access**" : "";
}

function commitText(sha: string, links: ReportLinks): string {
  return markdownLink(markdownCode(sha.slice(0, SHA_LENGTH)), links.commit?.(sha));
}

function sourceLine(plan: Plan, links: ReportLinks, words: Words): string {
  const label = words.subject === "this pull request" ? "Head" : "Source";
  const provenance = provenanceText(plan, () =>
    plan.commit === null ? "" : commitText(plan.commit, links),
  );
  const base = shownBase(plan);
  if (base === undefined) return `${label}: ${provenance}`;
  const ref = base.ref === undefined ? "" : ` (${markdownCode(base.ref)})`;
  return `${label}: ${provenance} · base ${commitText(base.commit, links)}${ref}`;
}

/**
 * Errors, before everything else: accounts with no plan, a refused apply, access points not
 * read; then the base revision's warnings.
 */
function errorLines(plan: MarkdownPlan, links: ReportLinks, names?: OptionNames): string[] {
  const lines: string[] = [];
  const missing = missingAccountsOf(plan);
  if (missing.length > 0) lines.push(missingAccountsNote(missing), "");
  if (names !== undefined) appendAll(lines, refusalNotes(plan, names));
  const errors = plan.changes.filter((c) => c.action === "error");
  if (errors.length > 0) {
    lines.push(
      `> ❌ **${count(errors.length, "access point")} could not be read or planned**: nothing is known of ${errors.length === 1 ? "its" : "their"} live policy, and apply leaves ${errors.length === 1 ? "it" : "them"} alone.`,
    );
    for (const c of errors.slice(0, MAX_NAMED)) {
      lines.push(`> - ${apLink(c, links)}: ${markdownText(c.reason)}`);
    }
    if (errors.length > MAX_NAMED) lines.push(`> - and ${errors.length - MAX_NAMED} more`);
    lines.push("");
  }
  const warnings = baseWarnings(plan);
  if (warnings.length > 0) {
    const [first, ...rest] = warnings;
    lines.push(`> ⚠️ ${markdownText(first ?? "")}`);
    for (const line of rest) lines.push(`> - ${markdownText(line)}`);
    lines.push("");
  }
  return lines;
}

/**
 * What s3ap.yaml's rules say of the whole plan, right after the errors: grants outside trust, a
 * pause, exceptions that end soon, and why CloudTrail could not say who made the drift.
 */
function governanceLines(plan: Plan, links: ReportLinks): string[] {
  const lines: string[] = [];
  // The files' own changes first, then drift: as the title and fail-on's reason do.
  const grants = [
    ...plan.changes.flatMap((c) =>
      outsideGrants(c.changeTrust).map((g) => ({ c, g, live: false })),
    ),
    ...plan.changes.flatMap((c) => outsideGrants(c.driftTrust).map((g) => ({ c, g, live: true }))),
  ];
  if (grants.length > 0) {
    lines.push(
      `> ${planTrustBadge(plan)}: ${count(grants.length, "grant reaches", "grants reach")} outside the trust of s3ap.yaml:`,
    );
    for (const { c, g, live } of grants.slice(0, MAX_NAMED)) {
      lines.push(`> - ${apLink(c, links)}${live ? " (live)" : ""}: ${markdownText(g)}`);
    }
    if (grants.length > MAX_NAMED) lines.push(`> - and ${grants.length - MAX_NAMED} more`);
    lines.push("");
  }
  if (plan.paused !== undefined) {
    lines.push(
      `> ⏸️ **Paused until ${markdownText(plan.paused.until)}** (${markdownText(plan.paused.reason)}): every run reports only; apply writes nothing.`,
      "",
    );
  }
  for (const e of plan.exceptionsExpiring ?? []) {
    const when = e.daysLeft === 0 ? "today" : `in ${count(e.daysLeft, "day")}`;
    lines.push(
      `> ⚠️ s3ap.yaml exception ${markdownCode(e.id)} of ${markdownText(e.owner)} expires on ${markdownText(e.expires)} (${when}): then it excuses nothing and every run fails until it is renewed or removed.`,
      "",
    );
  }
  for (const warning of plan.attribution?.warnings ?? []) {
    lines.push(`> ⚠️ Who made the drift: ${markdownText(warning)}`, "");
  }
  return lines;
}

/** What the plan knows nothing of ("1 access point not planned, no plan for 1 account"). */
function unplannedText(plan: MarkdownPlan): string | undefined {
  const parts: string[] = [];
  if (plan.summary.error > 0)
    parts.push(`${count(plan.summary.error, "access point")} not planned`);
  const missing = missingAccountsOf(plan).length;
  if (missing > 0) parts.push(`no plan for ${count(missing, "account")}`);
  return parts.length === 0 ? undefined : parts.join(", ");
}

/** Accounts of the shard list that no shard plan covers. */
function missingAccountsOf(plan: MarkdownPlan): readonly string[] {
  return plan.missingAccounts ?? [];
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

/** The access point's label, linked to its file at the plan's commit. */
function apLink(change: PlannedChange, links: ReportLinks): string {
  return markdownLink(markdownCode(changeLabel(change)), links.file?.(change.file, change.line));
}

function fileLink(change: PlannedChange, links: ReportLinks): string {
  return markdownLink(markdownCode(change.file), links.file?.(change.file, change.line));
}

function reasonItems(reasons: ChangeParts["accessReasons"]): string[] {
  return shownReasons(reasons ?? []).map((r) => `- ${r.direction}: ${markdownText(r.text)}`);
}

/** A verdict with the badge of its trust tier, when it reaches outside trust. */
function withTrust(verdict: string, trust: PlannedChange["changeTrust"]): string {
  const badge = trustBadge(trust);
  return badge === "" ? verdict : `${verdict} ${badge}`;
}

/** Each grant outside trust, as list items under a heading line. */
function outsideItems(trust: PlannedChange["changeTrust"]): string[] {
  const grants = outsideGrants(trust);
  if (grants.length === 0) return [];
  return ["", `${trustBadge(trust)}:`, "", ...grants.map((g) => `- ${markdownText(g)}`)];
}

function details(summary: string, body: string[]): Block {
  return {
    kind: "details",
    text: [`<details><summary>${summary}</summary>`, "", ...body, "", "</details>", ""].join("\n"),
  };
}

/** `<summary>` is HTML: GitHub does not render Markdown emphasis inside it. */
function htmlBadge(markdown: string): string {
  return markdown.replace(/\*\*(.+?)\*\*/, "<b>$1</b>");
}

// --- what the change to the files does (base → head) -------------------------------------------

function changeSection(plan: MarkdownPlan, links: ReportLinks, words: Words): Block[] {
  const changed = changedByFiles(plan);
  const released = releasedOf(plan);
  const lines = [`### ${words.changeHeading}`, ""];
  if (changed.length === 0 && released.length === 0) {
    lines.push(
      unplannedText(plan) === undefined
        ? `${capitalized(words.subject)} changes no access point's policy.`
        : `${capitalized(words.subject)} changes the policy of no access point that was planned; the errors above say which were not.`,
      "",
    );
    return [{ kind: "table", text: lines.join("\n") }];
  }
  if (changed.length > 0) {
    const widening = changed.filter((c) => widensAccess(c.changeAccess)).length;
    lines.push(
      `${count(changed.length, "access point")} compared with the files at the base${widening > 0 ? `; ⚠️ **${widening === 1 ? "1 widens" : `${widening} widen`} access**` : ""}.`,
      "",
      "| Access point | File | Change | Access |",
      "|---|---|---|---|",
    );
    for (const c of changed) {
      const overrides = overriddenLine(c, words);
      lines.push(
        `| ${markdownCode(changeLabel(c))} | ${fileLink(c, links)} | ${fileChangeKind(c)} | ${withTrust(verdictBadge(c.changeAccess), c.changeTrust)}${overrides} |`,
      );
    }
    lines.push("");
  }
  for (const r of released) {
    lines.push(
      `- ${markdownCode(`${r.accountId}/${r.region}/${r.outpostId !== undefined ? `${r.outpostId}/` : ""}${r.name}`)}: ${markdownCode(r.file)} is removed, so s3ap no longer manages it; its live policy stays as it is.`,
    );
  }
  if (released.length > 0) lines.push("");
  const blocks: Block[] = [{ kind: "table", text: lines.join("\n") }];
  for (const c of changed) {
    const verdict = changeVerdict(c);
    const badge =
      c.changeAccess === undefined ? "" : ` — ${htmlBadge(verdictBadge(c.changeAccess))}`;
    const body = [`File: ${fileLink(c, links)}`, ""];
    const { changeAccessReasons, changeDiff } = partsOf(c);
    if (verdict !== null) body.push(`${markdownText(capitalized(verdict))}:`, "");
    appendAll(body, reasonItems(changeAccessReasons));
    appendAll(body, outsideItems(c.changeTrust));
    if (changeDiff !== undefined) {
      body.push("", "The files at the base compared with this change (`-` base, `+` head):", "");
      body.push(renderPolicyDiffMarkdown(changeDiff));
    }
    blocks.push(details(`${markdownText(changeLabel(c))}${badge}`, body));
  }
  return blocks;
}

/** `<br>⚠️ merging writes over drift excepted by …` when an exception no longer holds it back. */
function overriddenLine(change: PlannedChange, words: Words): string {
  if (change.exception?.status !== "overridden") return "";
  return `<br>⚠️ ${markdownText(capitalized(exceptionSentence(change, words.writer) ?? ""))}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- the drift already in live (base → live) ----------------------------------------------------

function driftSection(plan: Plan, links: ReportLinks, words: Words, withChange: boolean): Block[] {
  const drifted = driftedInLive(plan);
  if (drifted.length === 0) return [];
  const widening = drifted.filter((c) => widensAccess(c.driftAccess));
  const title = withChange ? "Drift already in live" : "Drift in live";
  const outside = trustBadgeOf(drifted.map((c) => c.driftTrust));
  const heading = `${
    widening.length > 0
      ? `### ⚠️ ${title}: live widens access on ${count(widening.length, "access point")}`
      : `### ${title}`
  }${outside !== "" ? ` · ${outside}` : ""}`;
  const pr = words.subject === "this pull request";
  const lines = [
    heading,
    "",
    `${count(drifted.length, "access point")} ${drifted.length === 1 ? "was" : "were"} changed outside git (console, CLI, another tool): live differs from the files${withChange ? " at the base" : ""}${pr ? ", and not because of this pull request" : ""}.`,
    "",
    "| Access point | File | Mode | What live did |",
    "|---|---|---|---|",
  ];
  for (const c of drifted) {
    const first = c.driftAccess === undefined ? undefined : partsOf(c).driftAccessReasons?.[0];
    const what =
      c.driftAccess === undefined
        ? markdownText("differs")
        : `${verdictBadge(c.driftAccess)}${first !== undefined ? `: ${markdownText(first.text)}` : ""}`;
    const adopted = c.action === "noop" ? ` (${words.subject} adopts it)` : "";
    const excepted =
      c.exception?.status === "excepted"
        ? ` — excepted by ${markdownCode(c.exception.id)} until ${markdownText(c.exception.expires)}`
        : c.exception?.status === "overridden"
          ? ` — excepted by ${markdownCode(c.exception.id)}, but ${words.writer} writes over it`
          : "";
    const who = c.attribution?.events[0];
    const by = who !== undefined ? `<br>by ${markdownText(who.actor.name)} (${who.agent})` : "";
    lines.push(
      `| ${markdownCode(changeLabel(c))} | ${fileLink(c, links)} | ${markdownText(c.mode)} | ${withTrust(what, c.driftTrust)}${adopted}${excepted}${by} |`,
    );
  }
  lines.push("");
  const blocks: Block[] = [{ kind: "table", text: lines.join("\n") }];
  for (const c of drifted) {
    const verdict = driftVerdict(c);
    const badge = c.driftAccess === undefined ? "" : ` — live ${ACCESS_LABEL[c.driftAccess]}`;
    const body = [`File: ${fileLink(c, links)}`, ""];
    const { driftAccessReasons, driftDiff } = partsOf(c);
    const who = attributionSentence(c);
    if (who !== null) body.push(`**Who changed it:** ${markdownText(who)}`, "");
    if (verdict !== null) body.push(`${markdownText(capitalized(verdict))}:`, "");
    appendAll(body, reasonItems(driftAccessReasons));
    appendAll(body, outsideItems(c.driftTrust));
    for (const sentence of [exceptionSentence(c, words.writer), remediationSentence(c)]) {
      if (sentence !== null) body.push("", `${markdownText(capitalized(sentence))}.`);
    }
    if (driftDiff !== undefined) {
      body.push("", "The live policy compared with the file (`-` in the file, `+` in live):", "");
      body.push(renderPolicyDiffMarkdown(driftDiff));
    }
    blocks.push(
      details(
        `${markdownText(changeLabel(c))}${widensAccess(c.driftAccess) ? badge.replace(" — ", " — ⚠️ ") : badge}`,
        body,
      ),
    );
  }
  return blocks;
}

// --- what apply (merging) will write (live → head) ----------------------------------------------

/**
 * Why apply leaves a change it could write alone, in Markdown; undefined when it writes it:
 * excepted drift, a pause, and with `--remediate` whatever `remediate` does not revert.
 */
type HeldBack = (change: PlannedChange) => string | undefined;

function heldBackBy(plan: MarkdownPlan, remediate: boolean): HeldBack {
  // A merged apply's results say what its shards held back: each knew whether it remediated.
  const reported =
    plan.results === undefined
      ? undefined
      : new Set(plan.results.filter((r) => r.status === "reported").map(accessPointKey));
  return (change) => {
    if (change.action !== "create" && change.action !== "update" && change.action !== "delete") {
      return undefined;
    }
    if (change.exception?.status === "excepted") {
      return `never written: excepted by ${markdownCode(change.exception.id)} until ${markdownText(change.exception.expires)}`;
    }
    if (plan.paused !== undefined) {
      return `not written: paused until ${markdownText(plan.paused.until)}`;
    }
    if (reported !== undefined) {
      return reported.has(accessPointKey(change)) ? remediationHeldBack(change) : undefined;
    }
    if (!remediate || change.remediation?.action === "revert") return undefined;
    return remediationHeldBack(change);
  };
}

/** Why `apply --remediate` did not write a change: the rule that says to report it. */
function remediationHeldBack(change: PlannedChange): string {
  return change.remediation === undefined
    ? "not written: remediation reverts drift only"
    : `not written: ${markdownText(change.remediation.rule)}: report`;
}

function applySection(
  plan: MarkdownPlan,
  links: ReportLinks,
  words: Words,
  heldBack: HeldBack,
): Block[] {
  const classified = plan.base !== undefined;
  const lines = classified ? [`### ${words.applyHeading}`, ""] : [];
  const writes = plan.changes.filter(
    (c) => c.action === "create" || c.action === "update" || c.action === "delete",
  );
  // Observe mode is never written: applying it widens nothing.
  const widening = writes.filter(
    (c) => c.mode === "enforce" && heldBack(c) === undefined && mayWiden(c),
  );
  if (widening.length > 0) {
    const mixed = widening.filter((c) => c.access === "mixed").length;
    const listed = widening.slice(0, MAX_NAMED).map((c) => markdownCode(changeLabel(c)));
    const more = widening.length - MAX_NAMED;
    const names = `${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
    lines.push(
      `> ${WIDENS_BADGE} on ${count(widening.length, "access point")}` +
        `${mixed > 0 ? ` (${count(mixed, "also narrows", "also narrow")})` : ""}: ${names}`,
      "",
    );
  }
  if (writes.length === 0 && plan.summary.error === 0) {
    // A merge with accounts missing is not all in sync: no green tick for what was not planned.
    const inSync = `${count(plan.summary.noop, "access point")} in sync`;
    lines.push(
      missingAccountsOf(plan).length === 0
        ? `✅ No changes: ${inSync}.`
        : `No changes in the accounts that were planned: ${inSync}.`,
      "",
    );
  }
  const blocks: Block[] = [];
  if (lines.length > 0) blocks.push({ kind: "table", text: lines.join("\n") });
  appendAll(blocks, accountTables(plan, links, classified ? "####" : "###", heldBack));
  // The change and drift sections already show the diffs of a change from the files alone and of
  // drift alone; apply's own diff is shown where it is neither (both at once, or no base).
  for (const c of writes) {
    // A directory bucket's scope and a Proposed Multi-Region policy are said here only.
    if ((c.origin === "change" || c.origin === "drift") && !hasKindDetails(c)) continue;
    const parts = partsOf(c);
    if (parts.diff === null && !hasKindDetails(c)) continue;
    blocks.push(applyDetails(c, parts, links));
  }
  return blocks;
}

function accountTables(
  plan: Plan,
  links: ReportLinks,
  heading: string,
  heldBack: HeldBack,
): Block[] {
  const byAccount = new Map<string, PlannedChange[]>();
  for (const change of plan.changes) {
    const list = byAccount.get(change.accountId) ?? [];
    list.push(change);
    byAccount.set(change.accountId, list);
  }
  const tables: Block[] = [];
  for (const [account, changes] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    const rows = changes.filter((c) => c.action !== "noop");
    const inSync = changes.length - rows.length;
    const lines = [`${heading} Account ${markdownText(account)}`, ""];
    if (rows.length > 0) {
      lines.push(
        "| | Access point | Region | Action | Mode | Access | Reason |",
        "|---|---|---|---|---|---|---|",
      );
      for (const c of rows) {
        const name = markdownLink(markdownCode(c.name), links.file?.(c.file, c.line));
        lines.push(
          `| ${SYMBOL[c.action]} | ${name} | ${markdownText(c.region)} | ${c.action} | ${markdownText(c.mode)} | ${accessCell(c, heldBack(c))} | ${markdownText(c.reason)} |`,
        );
      }
      lines.push("");
    }
    lines.push(`${count(inSync, "access point")} in sync.`, "");
    tables.push({ kind: "table", text: lines.join("\n") });
  }
  return tables;
}

/** The access verdict of applying; IAM Access Analyzer's beside it when it was asked. */
function accessCell(change: PlannedChange, heldBack: string | undefined): string {
  const analyzer = analyzerSummary(change);
  const own =
    change.mode === "observe" && change.access !== undefined
      ? "never written (observe mode)"
      : (heldBack ?? verdictBadge(change.access));
  return analyzer === null ? own : `${own}<br>IAM Access Analyzer: ${markdownText(analyzer)}`;
}

function applyDetails(change: PlannedChange, parts: ChangeParts, links: ReportLinks): Block {
  const lines = reasonItems(parts.accessReasons);
  const analyzer = analyzerSummary(change);
  if (analyzer !== null) {
    lines.push(`- IAM Access Analyzer: ${markdownText(analyzer)}`);
    for (const detail of analyzerDetails(change)) lines.push(`  - ${markdownText(detail)}`);
  }
  const badge = change.access === undefined ? "" : ` — ${htmlBadge(verdictBadge(change.access))}`;
  const scope = scopeChangeLines(change).map((line) => `- ${markdownText(line)}`);
  const proposed = proposedPolicyText(change);
  return details(
    `${SYMBOL[change.action]} ${markdownText(changeLabel(change))} — ${change.action}${badge}`,
    [
      `File: ${fileLink(change, links)}`,
      "",
      ...lines,
      ...(lines.length > 0 ? [""] : []),
      ...(scope.length > 0 ? [scope.join("\n"), ""] : []),
      ...(proposed !== undefined
        ? ["Proposed policy (AWS is still applying it):", "", markdownFence([proposed], "json"), ""]
        : []),
      parts.diff === null ? "" : renderPolicyDiffMarkdown(parts.diff),
    ],
  );
}

// --- the byte budget ------------------------------------------------------------------------------

/**
 * Every table first, in order, while they fit; then the details, in order, in what is left. The
 * document keeps its order; a note says how many parts were cut and where the whole plan is.
 */
function fitToBudget(head: string, blocks: Block[], maxBytes: number, hint?: string): string {
  const reserve = 400; // room for the "cut" note
  const keep = new Set<number>();
  let used = byteLength(head) + 1;
  for (const kind of ["pinned", "table", "details"] as const) {
    let full = false;
    for (const [index, block] of blocks.entries()) {
      if (block.kind !== kind || full) continue;
      const size = byteLength(block.text) + 1;
      if (kind !== "pinned" && used + size > maxBytes - reserve) {
        // Tables stay in order: once one does not fit, no later one is shown without it.
        if (kind === "table") full = true;
        continue;
      }
      keep.add(index);
      used += size;
    }
  }
  let out = `${head}\n`;
  for (const [index, block] of blocks.entries()) if (keep.has(index)) out += `${block.text}\n`;
  const cut = blocks.length - keep.size;
  if (cut > 0) {
    const where = hint
      ? ` The full plan: ${hint}.`
      : " Run `s3ap plan --format json` for the full plan.";
    out += `\n> ⚠️ ${count(cut, "section was", "sections were")} cut to stay under ${maxBytes} bytes.${where}\n`;
  }
  return out;
}
