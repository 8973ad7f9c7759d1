import { isWrite, type Plan, type ReconcileOutcome } from "./types.js";

/** Any drift, including observe-mode drift: what `plan` reports as "changes pending". */
export function hasDrift(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}

/**
 * The contract's exit codes: 0 in sync / applied and verified; 1 error (invalid input, AWS
 * failure, any access point that could not be reconciled, refusal); 2 changes pending (plan).
 */
export function exitCodeOf(outcome: ReconcileOutcome): 0 | 1 | 2 {
  switch (outcome.status) {
    case "invalid":
    case "refused":
      return 1;
    case "planned":
      if (outcome.plan.summary.error > 0) return 1;
      return hasDrift(outcome.plan) ? 2 : 0;
    case "applied":
      return outcome.results.some((r) => r.status === "failed") ? 1 : 0;
  }
}

export function plannedWrites(plan: Plan): number {
  return plan.changes.filter(isWrite).length;
}
