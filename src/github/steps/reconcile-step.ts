// The Action's plan and apply: the run layer's run, then every form at once: the text report in
// the log, annotations, the job summary, the plan JSON at plan-path and the step outputs.
import { hasDrift } from "../../reconcile/types.js";
import { outcomePlanJson } from "../../report/plan-json.js";
import { refusalText } from "../../report/refusal-text.js";
import { renderRunSummary } from "../../report/run-summary.js";
import { workflowCommand } from "../../report/sinks/workflow-command.js";
import { displayRoot } from "../../run/desired-state.js";
import { ACTION_NAMES } from "../../run/option-names.js";
import { failOnReason, failureReason, renderReport } from "../../run/outcome-text.js";
import { type ReconcileRun, runReconcile, writes } from "../../run/run-reconcile.js";
import { outcomeAnnotations, renderErrorAnnotations } from "../annotations.js";
import { type Outputs, writeOutputs } from "../outputs.js";
import { pullRequestNumber, reportLinks } from "../run-context.js";
import { type ActionContext, writePlanFile } from "../step-context.js";
import { appendSummary, summaryBudget } from "../summary.js";

export async function reconcileStep(
  context: ActionContext,
  run: ReconcileRun,
  failOnDrift: boolean,
): Promise<number> {
  const { env, log } = context;
  const { options } = run;
  const { outcome, retries, notices } = await runReconcile(run, {
    cwd: context.cwd,
    env,
    sleep: context.sleep,
    now: context.now,
    names: ACTION_NAMES,
    // The plan JSON is always written (plan-path), so it always carries the notes.
    explain: true,
    ...(context.createStore !== undefined ? { createStore: context.createStore } : {}),
  });

  const mode = writes(run) ? "apply" : run.command === "apply" ? "apply (dry run)" : "plan";
  const reason = failureReason(outcome, failOnDrift, ACTION_NAMES, options.failOn ?? []);
  const plan = "plan" in outcome ? outcome.plan : null;
  const failOn = plan !== null ? failOnReason(plan, options.failOn ?? [], ACTION_NAMES) : undefined;
  const planJson = outcomePlanJson(outcome, retries);
  const planPath = planJson !== undefined ? await writePlanFile(env, planJson) : "";
  const root = displayRoot(options, context.cwd, outcome.source);

  const report = renderReport(outcome, {
    format: "text",
    color: false,
    verbose: options.verbose,
    retries,
    notices,
    root,
    names: ACTION_NAMES,
  });
  log(report.notes + report.stdout + report.stderr);
  log(renderErrorAnnotations(outcomeAnnotations(outcome, root)));
  // Why unmanaged access points could not be (fully) listed: one annotation each.
  for (const warning of plan?.discovery.warnings ?? []) {
    log(workflowCommand("warning", { title: "s3ap: unmanaged access points" }, warning));
  }
  // Why CloudTrail could not say who made the drift (cloudtrail:LookupEvents denied): one each.
  for (const warning of plan?.attribution?.warnings ?? []) {
    log(workflowCommand("warning", { title: "s3ap: who made the drift" }, warning));
  }
  appendSummary(
    env,
    renderRunSummary(outcome, {
      mode,
      retries,
      cwd: root,
      budget: summaryBudget(env),
      planPath,
      ...(outcome.status === "refused"
        ? { refusal: refusalText(outcome.refusal, ACTION_NAMES) }
        : {}),
      ...(failOn !== undefined ? { failOn } : {}),
      remediate: run.command === "apply" && run.options.remediate === true,
      changeOf: pullRequestNumber(env) !== undefined ? "pull request" : "change",
      links: reportLinks(env, outcome.source.commit),
    }),
  );

  const outputs: Outputs = {
    changes: String(plan !== null && hasDrift(plan)),
    create: String(plan?.summary.create ?? 0),
    update: String(plan?.summary.update ?? 0),
    delete: String(plan?.summary.delete ?? 0),
    noop: String(plan?.summary.noop ?? 0),
    error: String(plan?.summary.error ?? 0),
    unmanaged: String(plan?.summary.unmanaged ?? 0),
    "plan-path": planPath,
    "failure-reason": reason ?? "",
    "widens-outside-trust": String(plan?.widensOutsideTrust === true),
  };
  writeOutputs(env, outputs);
  if (reason !== undefined) {
    log(workflowCommand("error", { title: `s3ap ${run.command} failed` }, reason));
    return 1;
  }
  return 0;
}
