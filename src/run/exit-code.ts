// The contract's exit codes for a plan or apply outcome; only the entries turn them into the
// process's exit status.
import type { ReconcileOutcome } from "../reconcile/types.js";
import { hasDrift } from "../reconcile/types.js";
import type { FailOnCondition } from "./options.js";

/**
 * 0 in sync / applied and verified; 1 error (invalid input, AWS failure, any access point that
 * could not be reconciled, refusal); 2 changes pending (plan).
 */
export function exitCodeOf(
  outcome: ReconcileOutcome,
  failOn: readonly FailOnCondition[] = [],
): 0 | 1 | 2 {
  switch (outcome.status) {
    case "invalid":
    case "refused":
      return 1;
    case "planned":
      if (outcome.plan.summary.error > 0 || failsOn(outcome.plan, failOn)) return 1;
      return hasDrift(outcome.plan) ? 2 : 0;
    case "applied":
      if (failsOn(outcome.plan, failOn)) return 1;
      return outcome.results.some((r) => r.status === "failed") ? 1 : 0;
  }
}

/** `--fail-on widens-outside-trust`: a change or drift grants access outside trust. */
export function failsOn(
  plan: { widensOutsideTrust?: boolean },
  failOn: readonly FailOnCondition[],
) {
  return failOn.includes("widens-outside-trust") && plan.widensOutsideTrust === true;
}
