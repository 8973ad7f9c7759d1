// The plan and apply results as the contract's JSON, through the JSON sink.
import type { Problem } from "../model.js";
import type { ApplyResult, MergedPlan, Plan } from "../reconcile/types.js";
import { jsonDocument } from "./sinks/json.js";

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

/** The contract's plan JSON; apply adds `results`. */
export function renderPlanJson(plan: Plan, results?: readonly ApplyResult[]): string {
  const document = results === undefined ? plan : { ...plan, results: results.map(resultJson) };
  return jsonDocument(document);
}

function resultJson(result: ApplyResult) {
  return {
    accountId: result.change.accountId,
    region: result.change.region,
    name: result.change.name,
    arn: result.change.arn,
    action: result.change.action,
    status: result.status,
    verified: result.verified,
    message: result.message,
    durationMs: result.durationMs,
  };
}

/** The merge of a fan-out run's shard plans, as the plan JSON (with `missingAccounts`). */
export function renderMergedPlanJson(merged: MergedPlan): string {
  return jsonDocument(merged);
}
