// The GitHub Action over the same run layer as the CLI: reads the inputs of its command and hands
// them to that command's step (github/steps/), one file each. The exit status follows the
// contract, except that drift in a plan fails the step only when fail-on-drift is set.
import { renderFailureSummary } from "../report/run-summary.js";
import { workflowCommand } from "../report/sinks/workflow-command.js";
import { errorLine, errorText } from "../run/error-text.js";
import { ACTION_NAMES } from "../run/option-names.js";
import { ACTION_COMMANDS, type ActionInputs, readActionInputs } from "./action-inputs.js";
import { writeOutputs } from "./outputs.js";
import type { ActionContext } from "./step-context.js";
import { accountsStep } from "./steps/accounts-step.js";
import { driftIssuesStep } from "./steps/drift-issues-step.js";
import { mergePlansStep } from "./steps/merge-plans-step.js";
import { prCommentStep } from "./steps/pr-comment-step.js";
import { reconcileStep } from "./steps/reconcile-step.js";
import { appendSummary } from "./summary.js";

export type { ActionContext } from "./step-context.js";

/** Runs one step of the action and returns its exit code (0 success, 1 failed step). */
export async function runAction(context: ActionContext): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readActionInputs(context.env);
  } catch (error) {
    const given = context.env.INPUT_COMMAND?.trim() || "plan";
    return fail(
      context,
      error,
      (ACTION_COMMANDS as readonly string[]).includes(given) ? given : "",
    );
  }
  try {
    return await runStep(context, inputs);
  } catch (error) {
    return fail(context, error, inputs.command);
  }
}

function runStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
  switch (inputs.command) {
    case "plan":
      return reconcileStep(context, { command: "plan", options: inputs }, inputs.failOnDrift);
    case "apply":
      return reconcileStep(context, { command: "apply", options: inputs }, inputs.failOnDrift);
    case "pr-comment":
      return prCommentStep(context, inputs);
    case "drift-issues":
      return driftIssuesStep(context, inputs);
    case "accounts":
      return accountsStep(context, inputs);
    case "merge-plans":
      return mergePlansStep(context, inputs, inputs.planPath, inputs.failOnDrift);
  }
}

/** `command`: the step's command, or "" when the input named none s3ap has. */
function fail(context: ActionContext, error: unknown, command: string): number {
  const short = errorLine(error, ACTION_NAMES);
  const title = command === "" ? "s3ap failed" : `s3ap ${command} failed`;
  context.log(`${title}: ${errorText(error, ACTION_NAMES)}\n`);
  context.log(workflowCommand("error", { title }, short));
  appendSummary(context.env, renderFailureSummary(command, short));
  writeOutputs(context.env, { "failure-reason": short, changes: "false" });
  return 1;
}
