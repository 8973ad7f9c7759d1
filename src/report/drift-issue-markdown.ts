// The words of the drift issues: what live did, in the direction it happened (file → live), then
// what apply will do about it. One issue per access point, or one per account when many drifted.

import { accessPointKey } from "../access-point/arn.js";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { Plan, PlannedChange } from "../reconcile/types.js";
import { type ChangeParts, partsOf } from "../reconcile/types.js";
import {
  ACCESS_LABEL,
  accessVerb,
  applyVerdict,
  driftVerdict,
  shownReasons,
  verdictBadge,
  widensAccess,
} from "./access-labels.js";
import { byteLength } from "./byte-length.js";
import type { ReportLinks } from "./file-links.js";
import {
  attributionSentence,
  exceptionSentence,
  outsideGrants,
  remediationSentence,
  trustBadge,
} from "./governance-words.js";
import { shortSha } from "./labels.js";
import { renderPolicyDiffMarkdown } from "./policy-diff-markdown.js";
import { markdownCode, markdownLink, markdownText } from "./sinks/markdown.js";
import { showControls } from "./sinks/terminal.js";

export interface DriftIssueContext {
  runUrl?: string;
  /** Links to the policy files at the plan's commit. */
  links?: ReportLinks;
}

export interface IssueText {
  /** Plain text: GitHub shows issue titles as they are (controls are shown, not obeyed). */
  title: string;
  body: string;
}

/** What a drifted access point's issue heading says: live's verdict, or plainly "differs". */
function driftHeading(change: PlannedChange): string {
  const drift = change.driftAccess;
  if (drift === undefined) return "The live policy differs from its file";
  if (drift === "same") return "Live rewrote the policy: same access as the file";
  const text = `Live ${ACCESS_LABEL[drift]} compared with the file`;
  return widensAccess(drift) ? `⚠️ ${text}` : text;
}

function fileCell(change: PlannedChange, context: DriftIssueContext): string {
  return markdownLink(markdownCode(change.file), context.links?.file?.(change.file, change.line));
}

function seenAt(plan: Plan, context: DriftIssueContext): string {
  const run = context.runUrl !== undefined ? ` in ${markdownLink("this run", context.runUrl)}` : "";
  return `Seen at commit ${markdownCode(shortSha(plan.commit))}${run}`;
}

/** One item per reason; the direction is said only when the reasons go more than one way. */
function reasonLines(reasons: ChangeParts["driftAccessReasons"]): string[] {
  const list = shownReasons(reasons ?? []);
  const oneWay = new Set(list.map((r) => r.direction)).size === 1;
  return list.map((r) => `- ${oneWay ? "" : `${r.direction}: `}${markdownText(r.text)}`);
}

/** How to resolve it: enforce mode reverts on the next apply, observe mode never writes. */
function whatApplyWillDo(change: PlannedChange): string[] {
  if (change.mode === "observe") {
    const would =
      change.access === undefined
        ? ""
        : ` (writing the file's policy would ${accessVerb(change.access)})`;
    return [
      `**What apply will do:** nothing: this access point is in \`observe\` mode, so s3ap reports its drift and never writes it${would}. Change the live policy or the file so they agree.`,
    ];
  }
  const sentence = applyVerdict(change);
  const verdict = sentence === null ? "" : ` ${markdownText(sentence)}.`;
  return [
    `**What apply will do:** the next apply (a push to main, or the reconcile workflow run with \`dry-run\` off) writes the file's policy back:${verdict}`,
    "",
    "To keep the live policy instead, change the file to match it.",
  ];
}

/** The issue of one drifted access point (without the markers that find it again). */
export function renderDriftIssue(
  change: PlannedChange,
  plan: Plan,
  context: DriftIssueContext,
  maxChars: number,
): IssueText {
  const key = accessPointKey(change);
  const verdict =
    change.driftAccess === undefined
      ? ""
      : change.driftAccess === "same"
        ? " — rewritten, same access"
        : ` — live ${ACCESS_LABEL[change.driftAccess]}`;
  // Who changed it comes first: it is what on-call needs before anything else.
  const who = attributionSentence(change);
  const outside = trustBadge(change.driftTrust);
  const head = [
    ...(who !== null ? [`**Who changed it:** ${markdownText(who)}`, ""] : []),
    `## ${driftHeading(change)}${outside !== "" ? ` · ${outside}` : ""}`,
    "",
    `- Access point: ${markdownCode(key)}`,
    `- ARN: ${markdownCode(change.arn)}`,
    `- File: ${fileCell(change, context)}`,
    `- Mode: ${markdownText(change.mode)}`,
    `- Reason: ${markdownText(change.reason)}`,
    "",
  ];
  const parts = partsOf(change);
  const what = driftVerdict(change);
  if (what !== null) {
    const reasons = reasonLines(parts.driftAccessReasons);
    head.push(`**What live did:** ${markdownText(what)}${reasons.length > 0 ? ":" : "."}`, "");
    if (reasons.length > 0) appendAll(head, [...reasons, ""]);
  }
  const grants = outsideGrants(change.driftTrust);
  if (grants.length > 0) {
    head.push("**Outside trust (s3ap.yaml trust):**", "");
    appendAll(head, [...grants.map((g) => `- ${markdownText(g)}`), ""]);
  }
  for (const sentence of [exceptionSentence(change), remediationSentence(change, true)]) {
    if (sentence !== null) head.push(`${markdownText(capitalised(sentence))}.`, "");
  }
  // The diff in the direction it happened: from the file to live. Without a drift verdict (a plan
  // from before three states), the diff apply writes, said as such.
  const diff = parts.driftDiff ?? parts.diff;
  const diffTitle =
    parts.driftDiff !== undefined
      ? "The live policy compared with the file (`-` in the file, `+` in live):"
      : "What apply writes (`-` in live, `+` in the file):";
  const tail = [
    ...whatApplyWillDo(change),
    "",
    `<sub>${seenAt(plan, context)}. s3ap closes this issue when a scheduled plan finds the access point in sync.</sub>`,
    "",
  ];
  let body = head.join("\n");
  if (diff !== null) {
    const diffPart = `${diffTitle}\n\n${renderPolicyDiffMarkdown(diff)}\n`;
    const fits = body.length + diffPart.length + tail.join("\n").length + 200 < maxChars;
    body += fits
      ? `\n${diffPart}`
      : "\nThe diff is too long for an issue: the plan JSON of the run has it.\n\n";
  }
  body += `\n${tail.join("\n")}`;
  return { title: `s3ap drift: ${showControls(key)}${verdict}`, body };
}

/** The one issue of an account with many drifted access points: a row each, cut to fit. */
export function renderAccountDriftIssue(
  accountId: string,
  changes: readonly PlannedChange[],
  plan: Plan,
  context: DriftIssueContext & { threshold: number },
  maxChars: number,
): IssueText {
  const widening = changes.filter((c) => widensAccess(c.driftAccess)).length;
  const head = [
    `## ${count(changes.length, "access point")} in account ${markdownText(accountId)} differ from their files`,
    "",
    `More than ${context.threshold} access points drifted in this plan, so s3ap lists them in one issue per account instead of one issue each.` +
      (widening > 0 ? ` ⚠️ **Live widens access** on ${widening} of them.` : ""),
    "",
    "| Access point | File | Mode | What live did | What apply will do |",
    "|---|---|---|---|---|",
  ];
  const tail = [
    "",
    `<sub>${seenAt(plan, context)}. s3ap updates this list while the drift lasts and closes it when the account is in sync.</sub>`,
    "",
  ];
  const budget = maxChars - byteLength(head.join("\n")) - byteLength(tail.join("\n")) - 300;
  const rows: string[] = [];
  let used = 0;
  for (const change of changes) {
    const name =
      change.outpostId !== undefined
        ? `${change.region}/${change.outpostId}/${change.name}`
        : `${change.region}/${change.name}`;
    const who = change.attribution?.events[0];
    const by = who !== undefined ? ` (by ${markdownText(who.actor.name)}, ${who.agent})` : "";
    const outside = trustBadge(change.driftTrust);
    const first =
      change.driftAccess === undefined ? undefined : partsOf(change).driftAccessReasons?.[0];
    const live =
      (change.driftAccess === undefined
        ? markdownText("differs")
        : `${verdictBadge(change.driftAccess)}${first !== undefined ? `: ${markdownText(first.text)}` : ""}`) +
      (outside !== "" ? ` ${outside}` : "") +
      by;
    const apply =
      change.mode === "observe"
        ? "nothing (observe mode)"
        : change.access === undefined
          ? markdownText(change.action)
          : `${markdownText(change.action)}: ${ACCESS_LABEL[change.access]}`;
    const row = `| ${markdownCode(name)} | ${fileCell(change, context)} | ${markdownText(change.mode)} | ${live} | ${apply} |`;
    if (used + byteLength(row) + 1 > budget) break;
    rows.push(row);
    used += byteLength(row) + 1;
  }
  const cut =
    rows.length < changes.length
      ? [
          "",
          `… and ${changes.length - rows.length} more: the plan JSON (artifact of the run) lists them all.`,
        ]
      : [];
  return {
    title: `s3ap drift: ${count(changes.length, "access point")} in account ${showControls(accountId)}`,
    body: [...head, ...rows, ...cut, ...tail].join("\n"),
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
