// The plan and apply results as the contract's JSON, through the JSON sink.
import type { Problem } from "../model.js";
import type {
  ApplyResult,
  MergedPlan,
  Plan,
  PlanRefusal,
  ReconcileOutcome,
  ResultDocument,
} from "../reconcile/types.js";
import { changeDocument, type PlannedChange } from "../reconcile/types.js";
import { type JsonChunks, JsonList, joinChunks, jsonChunks, jsonDocument } from "./sinks/json.js";

/**
 * What `plan --format json` prints when files are invalid: the shape of `validate --format json`
 * (no plan was made), so `| jq` reads the problems instead of failing on empty input.
 */
export function renderProblemsJson(
  source: { commit: string | null; dirty: boolean },
  files: number,
  problems: readonly Problem[],
): string {
  return jsonDocument({
    formatVersion: 1,
    commit: source.commit,
    dirty: source.dirty,
    files,
    problems,
  });
}

/** What an apply adds to its plan: a result per access point, and the requests it retried. */
export interface AppliedRun {
  results: readonly ApplyResult[];
  retries: number;
}

/**
 * The contract's plan JSON; apply adds `results` and `retries` (so that a merge of shard plans
 * reports what one job's apply does), and an apply refused after planning (too many changes) its
 * `refusal`, so that a merge of shard plans knows the shard wrote nothing.
 */
export function renderPlanJson(plan: Plan, applied?: AppliedRun, refusal?: PlanRefusal): string {
  return joinChunks(planJsonChunks(plan, applied, refusal));
}

/**
 * renderPlanJson in pieces, each change made whole (its parts read back) only as it is written:
 * what --format json, --out and the Action's plan file write.
 */
export function planJsonChunks(
  plan: Plan,
  applied?: AppliedRun,
  refusal?: PlanRefusal,
): JsonChunks {
  return jsonChunks({
    ...wholeChanges(plan),
    ...(applied !== undefined
      ? { results: new JsonList(applied.results, resultJson), retries: applied.retries }
      : {}),
    ...(refusal !== undefined ? { refusal } : {}),
  });
}

/** The plan's fields in their order, its changes each made whole as it is written (planDocument). */
function wholeChanges<T extends { changes: readonly PlannedChange[] }>(
  plan: T,
): Omit<T, "changes"> & { changes: JsonList<PlannedChange> } {
  return { ...plan, changes: new JsonList(plan.changes, changeDocument) };
}

function resultJson(result: ApplyResult): ResultDocument {
  return {
    accountId: result.change.accountId,
    region: result.change.region,
    name: result.change.name,
    ...(result.change.outpostId !== undefined ? { outpostId: result.change.outpostId } : {}),
    arn: result.change.arn,
    action: result.change.action,
    status: result.status,
    verified: result.verified,
    message: result.message,
    durationMs: result.durationMs,
  };
}

/** The merge of a fan-out run's shard plans, as the plan JSON (with `missingAccounts`), in pieces. */
export function mergedPlanJsonChunks(merged: MergedPlan): JsonChunks {
  return jsonChunks(wholeChanges(merged));
}

/**
 * The plan JSON of an outcome that has a plan: with `results` and the run's `retries` after an
 * apply, with `refusal` after an apply refused over its plan. Undefined when the run stopped
 * before planning.
 */
export function outcomePlanJson(
  outcome: ReconcileOutcome,
  retries: number,
): JsonChunks | undefined {
  if (outcome.status === "invalid" || outcome.plan === null) return undefined;
  if (outcome.status === "applied") {
    return planJsonChunks(outcome.plan, { results: outcome.results, retries });
  }
  if (outcome.status === "refused" && outcome.refusal.kind === "max-changes") {
    return planJsonChunks(outcome.plan, undefined, outcome.refusal);
  }
  return planJsonChunks(outcome.plan);
}
