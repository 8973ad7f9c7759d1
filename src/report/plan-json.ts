// The plan and apply results as the contract's JSON, through the JSON sink.
import type { ApplyResult, Plan } from "../reconcile/types.js";
import { jsonDocument } from "./sinks/json.js";

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
