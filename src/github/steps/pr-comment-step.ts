// The Action's pr-comment: the plan at plan-path as the one sticky comment of the pull request.
import { terminalText } from "../../report/sinks/terminal.js";
import { workflowCommand } from "../../report/sinks/workflow-command.js";
import { ACTION_NAMES } from "../../run/option-names.js";
import type { ActionInputs } from "../action-inputs.js";
import { writeOutputs } from "../outputs.js";
import { pullRequestNumber, runUrl } from "../run-context.js";
import { type ActionContext, githubClient, readPlanInput } from "../step-context.js";
import { renderPlanComment, upsertStickyComment } from "../sticky-comment.js";

export async function prCommentStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
  const plan = await readPlanInput(context, inputs);
  const number = pullRequestNumber(context.env);
  if (number === undefined) {
    context.log(
      workflowCommand(
        "notice",
        { title: "s3ap" },
        "Not a pull request event: no plan comment posted.",
      ),
    );
    writeOutputs(context.env, { "comment-url": "", "failure-reason": "" });
    return 0;
  }
  const url = runUrl(context.env);
  const body = renderPlanComment(plan, {
    names: ACTION_NAMES,
    ...(inputs.fullPlanUrl !== undefined ? { fullPlanUrl: inputs.fullPlanUrl } : {}),
    ...(url !== undefined ? { runUrl: url } : {}),
  });
  const result = await upsertStickyComment(githubClient(context, inputs), number, body);
  context.log(
    `s3ap: plan comment ${result.action} on pull request #${number}${result.url ? `: ${terminalText(result.url)}` : ""}\n`,
  );
  writeOutputs(context.env, { "comment-url": result.url ?? "", "failure-reason": "" });
  return 0;
}
