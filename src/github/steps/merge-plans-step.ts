// The Action's merge-plans: the run layer's merge of the shard plans in the folder plan-path,
// as one plan: log, job summary, plan-path output, and the accounts whose shard left no plan.
import { count } from "../../count.js";
import { InputError } from "../../errors.js";
import { hasDrift, type MergedPlan } from "../../reconcile/types.js";
import { renderApplyMarkdown, renderApplyText } from "../../report/apply-text.js";
import { cutLines } from "../../report/cut-lines.js";
import { missingShardsText } from "../../report/merge-text.js";
import { mergedPlanJsonChunks } from "../../report/plan-json.js";
import { renderPlanMarkdown } from "../../report/plan-markdown.js";
import { renderPlanText } from "../../report/plan-text.js";
import { refusedShardText } from "../../report/refusal-text.js";
import { failedWritesLine, failOnLine } from "../../report/run-summary.js";
import { workflowCommand } from "../../report/sinks/workflow-command.js";
import type { MergeOptions } from "../../run/commands.js";
import {
  type MergedApply,
  mergedApply,
  mergedExitCode,
  runMergePlans,
} from "../../run/merge-plans.js";
import { ACTION_NAMES } from "../../run/option-names.js";
import { failOnReason, unplannedReason, unreconciledReason } from "../../run/outcome-text.js";
import { writeOutputs } from "../outputs.js";
import { pullRequestNumber, reportLinks } from "../run-context.js";
import { type ActionContext, writePlanFile } from "../step-context.js";
import { appendSummary, summaryBudget } from "../summary.js";

export async function mergePlansStep(
  context: ActionContext,
  options: MergeOptions,
  planPath: string | undefined,
  failOnDrift: boolean,
): Promise<number> {
  if (planPath === undefined) {
    throw new InputError(
      "input plan-path is required for command merge-plans: the folder the shard plans were downloaded to.",
    );
  }
  const { merged, shardPlans } = runMergePlans({
    paths: [planPath],
    cwd: context.cwd,
    ...(options.shards !== undefined ? { shards: { text: options.shards } } : {}),
    ...(context.env.GITHUB_SHA ? { commitWhenNone: context.env.GITHUB_SHA } : {}),
    names: ACTION_NAMES,
  });
  const path = await writePlanFile(context.env, mergedPlanJsonChunks(merged));

  // Merged apply shards: the apply's results follow the plan, as in the one-job apply's log and
  // summary, and what failed to be written is said first.
  const applied = mergedApply(merged);
  context.log(renderPlanText(merged, { color: false, names: ACTION_NAMES }));
  if (applied !== undefined) {
    context.log(`\n${renderApplyText(merged, applied.results, applied.stats, { color: false })}`);
  }
  // What a shard's fail-on failed its check on, said again for the merged plan, in its words.
  const failOn = failOnReason(merged, options.failOn ?? [], ACTION_NAMES);
  const failedWrites = applied !== undefined ? failedWritesLine(applied.results) : undefined;
  const budget = summaryBudget(context.env);
  const applyPart =
    applied === undefined
      ? ""
      : cutLines(
          renderApplyMarkdown(applied.results, applied.stats),
          Math.floor(budget / 2),
          "The full list is in the merged plan JSON (`plan-path` output).",
        );
  // The Markdown names the accounts with no plan itself, so the PR comment of this plan does too.
  const planPart = renderPlanMarkdown(merged, {
    title: `s3ap ${merged.results === undefined ? "plan" : "apply"} (${count(shardPlans, "shard")} merged)`,
    maxBytes: budget - Buffer.byteLength(applyPart),
    fullPlanHint: "the merged plan JSON (`plan-path` output)",
    names: ACTION_NAMES,
    // As the one-job plan says it: a pull request's plan, with links to its files and commits.
    changeOf: pullRequestNumber(context.env) !== undefined ? "pull request" : "change",
    links: reportLinks(context.env, merged.commit),
    errors: [
      ...(failOn !== undefined ? [failOnLine(failOn)] : []),
      ...(failedWrites !== undefined ? [failedWrites] : []),
    ],
  });
  appendSummary(context.env, applyPart === "" ? planPart : `${planPart}\n${applyPart}`);
  const code = mergedExitCode(merged, options.failOn ?? []);
  const missing = missingShardsText(merged);
  const refused = (merged.refusedShards ?? []).map((shard) =>
    refusedShardText(shard, ACTION_NAMES),
  );
  const reason =
    missing !== "" || refused.length > 0
      ? [missing, ...refused].filter((text) => text !== "").join(" ")
      : mergedExitCode(merged) === 1
        ? mergeFailure(merged, applied)
        : failOn !== undefined
          ? failOn
          : code === 2 && failOnDrift
            ? "drift found (fail-on-drift)"
            : "";
  writeOutputs(context.env, {
    changes: String(hasDrift(merged)),
    create: String(merged.summary.create),
    update: String(merged.summary.update),
    delete: String(merged.summary.delete),
    noop: String(merged.summary.noop),
    error: String(merged.summary.error),
    "plan-path": path,
    "missing-accounts": (merged.missingAccounts ?? []).join(","),
    "widens-outside-trust": String(merged.widensOutsideTrust === true),
    "failure-reason": reason,
  });
  if (reason !== "") {
    context.log(workflowCommand("error", { title: "s3ap merge-plans failed" }, reason));
    return 1;
  }
  return 0;
}

/**
 * Why merged shards fail when every shard sent its plan and none was refused, in the one job's
 * words: after an apply the writes that failed (an access point that could not be read is one of
 * them), else the access points that could not be planned.
 */
function mergeFailure(merged: MergedPlan, applied: MergedApply | undefined): string {
  const failed = applied !== undefined ? unreconciledReason(applied.results) : undefined;
  if (failed !== undefined) return failed;
  if (merged.summary.error > 0) return unplannedReason(merged.summary.error);
  return "some access points could not be planned or applied; see the merged plan";
}
