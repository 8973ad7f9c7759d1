// Which changes of a plan each report section holds (three states): what the change to the files
// does (base → head), the drift already in live (base → live) and what apply writes (live → head).
import type { AccessChange } from "../policy/access-verdict.js";
import type { Plan, PlannedChange, ReleasedAccessPoint } from "../reconcile/types.js";

/** Changes that come from the files (base → head differs), adopting live's policy included. */
export function changedByFiles(plan: Plan): PlannedChange[] {
  return plan.changes.filter((c) => c.origin === "change" || c.origin === "change+drift");
}

/** Changes whose live policy differs from the base's file: made outside git. */
export function driftedInLive(plan: Plan): PlannedChange[] {
  return plan.changes.filter((c) => c.origin === "drift" || c.origin === "change+drift");
}

/** Access points the base declared and the head no longer does. */
export function releasedOf(plan: Plan): ReleasedAccessPoint[] {
  return Array.isArray(plan.base?.released) ? plan.base.released : [];
}

/**
 * The base revision a report names beside the head: its commit, and its ref when that is a name
 * (a branch, HEAD~1) rather than the commit itself; undefined without a base or when it is the head.
 */
export function shownBase(plan: Plan): { commit: string; ref: string | undefined } | undefined {
  const base = plan.base;
  if (base === undefined || base.commit === null || base.commit === plan.commit) return undefined;
  return { commit: base.commit, ref: /^[0-9a-f]{40,64}$/i.test(base.ref) ? undefined : base.ref };
}

export function baseWarnings(plan: Plan): string[] {
  return Array.isArray(plan.base?.warnings) ? plan.base.warnings : [];
}

/**
 * Whether the report has a section for the change to the files: the plan compared two different
 * states of the files (a pull request, uncommitted edits), or found changes from them. A scheduled
 * plan of a clean HEAD has none: everything there is drift.
 */
export function showsChangeSection(plan: Plan): boolean {
  const base = plan.base;
  if (base === undefined) return false;
  const compared = base.commit !== null && (base.commit !== plan.commit || plan.dirty);
  return compared || changedByFiles(plan).length > 0 || releasedOf(plan).length > 0;
}

/** Several verdicts as one: widens and narrows together are mixed; none is undefined. */
export function combinedAccess(
  verdicts: readonly (AccessChange | undefined)[],
): AccessChange | undefined {
  const known = verdicts.filter((v): v is AccessChange => v !== undefined);
  if (known.length === 0) return undefined;
  const widens = known.some((v) => v === "widens" || v === "mixed");
  const narrows = known.some((v) => v === "narrows" || v === "mixed");
  if (widens && narrows) return "mixed";
  if (widens) return "widens";
  if (narrows) return "narrows";
  return "same";
}

/** How a changed access point's file changed, for the change section's table. */
export function fileChangeKind(change: PlannedChange): string {
  if (change.baseFile === "new") return "new file";
  if (change.baseFile === "invalid") return "file fixed (invalid at base)";
  if (change.action === "noop") return "changed to what live has";
  return "changed";
}
