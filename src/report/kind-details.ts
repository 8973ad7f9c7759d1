// What reports say about the parts of a change that only some kinds of access point have: a
// directory bucket's scope (live → desired) and a Multi-Region Access Point's Proposed policy.
// Plain words: each sink escapes them with its own function.
import type { AccessPointScope } from "../model.js";
import type { PlannedChange } from "../reconcile/types.js";

function scopeWords(scope: AccessPointScope | null): string {
  if (scope === null) return "none";
  const prefixes = scope.prefixes.length === 0 ? "every key" : scope.prefixes.join(", ");
  const permissions =
    scope.permissions.length === 0 ? "every operation" : scope.permissions.join(", ");
  return `prefixes ${prefixes}; permissions ${permissions}`;
}

/** `scope: <live> → <desired>` when apply writes the scope; nothing otherwise. */
export function scopeChangeLines(change: PlannedChange): string[] {
  if (change.scope?.changed !== true) return [];
  return [
    `scope (live): ${scopeWords(change.scope.before)}`,
    `scope (file): ${scopeWords(change.scope.after)}`,
  ];
}

/** The Proposed policy AWS is still applying, as compact JSON, when it differs. */
export function proposedPolicyText(change: PlannedChange): string | undefined {
  return change.proposed === undefined ? undefined : JSON.stringify(change.proposed);
}

/** Whether a change has more to show than its policy diff. */
export function hasKindDetails(change: PlannedChange): boolean {
  return change.scope?.changed === true || change.proposed !== undefined;
}
