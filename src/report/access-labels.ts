// How reports name the access verdict of a change (policy/access-verdict.ts).
import type { AccessChange } from "../policy/access-verdict.js";
import type { PlannedChange } from "../reconcile/types.js";

export const ACCESS_LABEL: Record<AccessChange, string> = {
  widens: "widens access",
  mixed: "widens and narrows access",
  narrows: "narrows access",
  same: "same access",
};

/** Whether reviewers must look: the change widens access, or may (mixed). */
export function mayWiden(change: PlannedChange): boolean {
  return change.access === "widens" || change.access === "mixed";
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
