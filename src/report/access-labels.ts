// How reports name the access verdicts of a change (policy/access-verdict.ts): what applying does
// (live → head), what the change to the files does (base → head) and what drift did (base → live,
// said in the direction it happened: "live widens access compared with the file").
import type { AccessChange, AccessReason } from "../policy/access-verdict.js";
import type { ChangeParts, PlannedChange } from "../reconcile/types.js";

export const ACCESS_LABEL: Record<AccessChange, string> = {
  widens: "widens access",
  mixed: "widens and narrows access",
  narrows: "narrows access",
  same: "same access",
};

/** The verdict after "will" / "would". */
const ACCESS_VERB: Record<AccessChange, string> = {
  widens: "widen access",
  mixed: "widen and narrow access",
  narrows: "narrow access",
  same: "keep the same access",
};

/** "would widen access", "will narrow access": the verdict after a modal verb. */
export function accessVerb(access: AccessChange): string {
  return ACCESS_VERB[access];
}

/** Markdown: the widening verdicts stand out. */
export const WIDENS_BADGE = "⚠️ **widens access**";

/** A verdict as a Markdown badge (its text is ours: no escaping needed). */
export function verdictBadge(access: AccessChange | undefined): string {
  if (access === undefined) return "";
  if (access === "widens") return WIDENS_BADGE;
  if (access === "mixed") return `${WIDENS_BADGE} (and narrows)`;
  return ACCESS_LABEL[access];
}

/** Whether reviewers must look: the verdict widens access, or may (mixed). */
export function widensAccess(access: AccessChange | undefined): boolean {
  return access === "widens" || access === "mixed";
}

/** Whether applying the change widens access, or may (mixed). */
export function mayWiden(change: PlannedChange): boolean {
  return widensAccess(change.access);
}

/**
 * The reasons a person reads. A reason the search proved with one sample request ("… on
 * <arn>/object/z, which live did not allow") is what the plan JSON carries for tools; in words it
 * only repeats what a statement-level reason of the same direction already says ("adds action
 * s3:DeleteObject"), with a made-up object key. So a direction that has a statement-level reason
 * shows only those; a direction explained by the search alone (a condition rewritten, a Deny
 * that now covers more) keeps its sample requests.
 */
export function shownReasons(reasons: readonly AccessReason[]): readonly AccessReason[] {
  const stated = new Set<AccessReason["direction"]>();
  for (const r of reasons) if (r.request === undefined) stated.add(r.direction);
  return reasons.filter((r) => r.request === undefined || !stated.has(r.direction));
}

/** Reasons in one line, the first few: "a; b; c and 2 more" (plain text, for a sink). */
export function reasonList(reasons: readonly AccessReason[], max = 3): string {
  const texts = shownReasons(reasons).map((r) => r.text);
  const shown = texts.slice(0, max).join("; ");
  return texts.length > max ? `${shown} and ${texts.length - max} more` : shown;
}

function withReasons(sentence: string, reasons: readonly AccessReason[] | undefined): string {
  const list = reasonList(reasons ?? []);
  return list === "" ? sentence : `${sentence}: ${list}`;
}

/** What the out-of-band change did, without its reasons: "live widens access compared with the file". */
export function driftVerdict(change: PlannedChange): string | null {
  if (change.driftAccess === undefined) return null;
  if (change.driftAccess === "same") {
    return "live rewrites the policy without changing access compared with the file";
  }
  return `live ${ACCESS_LABEL[change.driftAccess]} compared with the file`;
}

/**
 * What the out-of-band change did, in the direction it happened (base → live), e.g. "live widens
 * access compared with the file: statement "Read": adds action s3:DeleteObject". Null when the
 * change has no drift.
 */
export function driftSentence(change: PlannedChange, parts: ChangeParts): string | null {
  const verdict = driftVerdict(change);
  if (verdict === null || change.driftAccess === "same") return verdict;
  return withReasons(verdict, parts.driftAccessReasons);
}

/** What the change to the files does, without its reasons: "the file's change narrows access". */
export function changeVerdict(change: PlannedChange): string | null {
  if (change.changeAccess === undefined) return null;
  const subject = change.baseFile === "new" ? "the new file" : "the file's change";
  if (change.changeAccess === "same") return `${subject} keeps the same access`;
  return `${subject} ${ACCESS_LABEL[change.changeAccess]}`;
}

/** What the change to the files does (base → head); null when the files did not change. */
export function changeSentence(change: PlannedChange, parts: ChangeParts): string | null {
  const verdict = changeVerdict(change);
  if (verdict === null || change.changeAccess === "same") return verdict;
  return withReasons(verdict, parts.changeAccessReasons);
}

/** What apply does about it, without its reasons; observe mode never writes. */
export function applyVerdict(change: PlannedChange): string | null {
  if (change.access === undefined) return null;
  const verb = ACCESS_VERB[change.access];
  if (change.mode === "observe") {
    return `observe mode: apply never writes it (writing the file's policy would ${verb})`;
  }
  return `apply will ${verb}`;
}

/** What apply does about it (live → head), with its reasons. Null for noop and error. */
export function applySentence(change: PlannedChange, parts: ChangeParts): string | null {
  const verdict = applyVerdict(change);
  if (verdict === null || change.mode === "observe") return verdict;
  return withReasons(verdict, parts.accessReasons);
}

/** What IAM Access Analyzer said about a change (--access-analyzer), in one line. */
export function analyzerSummary(change: PlannedChange): string | null {
  const result = change.accessAnalyzer;
  if (result === undefined) return null;
  const parts: string[] = [];
  if (result.noNewAccess !== undefined) {
    parts.push(result.noNewAccess.result === "PASS" ? "no new access" : "grants new access");
  }
  if (result.noPublicAccess !== undefined) {
    parts.push(result.noPublicAccess.result === "PASS" ? "not public" : "grants public access");
  }
  const counts = new Map<string, number>();
  for (const f of result.findings) counts.set(f.findingType, (counts.get(f.findingType) ?? 0) + 1);
  for (const [type, n] of counts) parts.push(`${n} ${type.toLowerCase().replace("_", " ")}`);
  return parts.length === 0 ? "no findings" : parts.join(", ");
}

/** The details behind analyzerSummary: each failed check's message and reasons, each finding. */
export function analyzerDetails(change: PlannedChange): string[] {
  const result = change.accessAnalyzer;
  if (result === undefined) return [];
  const out: string[] = [];
  for (const [name, check] of [
    ["CheckNoNewAccess", result.noNewAccess],
    ["CheckNoPublicAccess", result.noPublicAccess],
  ] as const) {
    if (check === undefined || check.result === "PASS") continue;
    out.push(`${name} ${check.result}: ${check.message}`);
    for (const reason of check.reasons) out.push(`${name}: ${reason.description}`);
  }
  for (const f of result.findings) out.push(`${f.findingType} ${f.issueCode}: ${f.details}`);
  return out;
}
