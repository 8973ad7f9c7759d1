// The Action's pr-comment: the one sticky comment of the pull request, for its head commit. With
// a plan (plan-path) it shows the plan; without one (the plan step failed, or never ran) it shows
// why: the errors in the policy files at the head, or the plan step's failure-reason.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Problem } from "../../model.js";
import { terminalText } from "../../report/sinks/terminal.js";
import { workflowCommand } from "../../report/sinks/workflow-command.js";
import { ACTION_NAMES } from "../../run/option-names.js";
import { SOURCE_OPTIONS, type SourceOptions } from "../../run/options.js";
import { runValidate } from "../../run/validate.js";
import { type ActionInputs, readOptions } from "../action-inputs.js";
import { writeOutputs } from "../outputs.js";
import { pullRequestHead, pullRequestNumber, reportLinks, runUrl } from "../run-context.js";
import { type ActionContext, githubClient, readPlanInput } from "../step-context.js";
import { renderFailureComment, renderPlanComment, upsertStickyComment } from "../sticky-comment.js";

export async function prCommentStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
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
  // The commit this run is for: the event's pull_request.head.sha (never the merge commit).
  const head = pullRequestHead(context.env);
  let body: string;
  if (inputs.planPath !== undefined && existsSync(resolve(context.cwd, inputs.planPath))) {
    const plan = await readPlanInput(context, inputs);
    body = renderPlanComment(plan, {
      names: ACTION_NAMES,
      ...(inputs.fullPlanUrl !== undefined ? { fullPlanUrl: inputs.fullPlanUrl } : {}),
      ...(url !== undefined ? { runUrl: url } : {}),
      links: reportLinks(context.env, plan.commit),
    });
  } else {
    body = renderFailureComment({
      commit: head ?? null,
      problems: await headProblems(context),
      ...(inputs.failureReason !== undefined ? { reason: inputs.failureReason } : {}),
      ...(url !== undefined ? { runUrl: url } : {}),
      links: reportLinks(context.env, head ?? null),
    });
  }
  const result = await upsertStickyComment(githubClient(context, inputs), number, body, {
    ...(head !== undefined ? { head } : {}),
  });
  if (result.action === "skipped") {
    context.log(
      workflowCommand(
        "notice",
        { title: "s3ap" },
        `Pull request #${number} is at ${result.current.slice(0, 12)} now, not ${result.head.slice(0, 12)}: its comment is left to the run of the newer commit.`,
      ),
    );
    writeOutputs(context.env, { "comment-url": "", "failure-reason": "" });
    return 0;
  }
  context.log(
    `s3ap: plan comment ${result.action} on pull request #${number}${result.url ? `: ${terminalText(result.url)}` : ""}\n`,
  );
  writeOutputs(context.env, { "comment-url": result.url ?? "", "failure-reason": "" });
  return 0;
}

/**
 * The errors in the policy files of the workspace (the head's checkout), offline: what a plan step
 * that stopped at its validation saw. None when the files cannot be read at all.
 */
async function headProblems(context: ActionContext): Promise<Problem[]> {
  const source = readOptions(context.env, SOURCE_OPTIONS) as unknown as SourceOptions;
  try {
    const outcome = await runValidate(source, context.cwd, context.now());
    return outcome.status === "checked" ? outcome.problems : [];
  } catch {
    return [];
  }
}
