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
