// The Action's drift-issues: one issue per drifted access point (per account above the
// threshold) from the plan at plan-path, and the one "N unmanaged access points" issue, brought in
// line with the plan.
import { renderDriftIssuesSummary } from "../../report/drift-issues-summary.js";
import type { ActionInputs } from "../action-inputs.js";
import { syncDriftIssues } from "../drift-issues.js";
import { writeOutputs } from "../outputs.js";
import { reportLinks, runUrl } from "../run-context.js";
import { type ActionContext, githubClient, readPlanInput } from "../step-context.js";
import { appendSummary } from "../summary.js";
import { syncUnmanagedIssue } from "../unmanaged-issue.js";

export async function driftIssuesStep(
  context: ActionContext,
  inputs: ActionInputs,
): Promise<number> {
  const plan = await readPlanInput(context, inputs);
  const url = runUrl(context.env);
  const client = githubClient(context, inputs);
  const report = await syncDriftIssues(client, plan, {
    ...(url !== undefined ? { runUrl: url } : {}),
    links: reportLinks(context.env, plan.commit),
    threshold: inputs.driftIssueThreshold,
  });
  const unmanaged = inputs.unmanagedIssue
    ? await syncUnmanagedIssue(client, plan, url !== undefined ? { runUrl: url } : {})
    : undefined;
  const { line, markdown } = renderDriftIssuesSummary(report, unmanaged);
  context.log(`s3ap: ${line}\n`);
  appendSummary(context.env, markdown);
  writeOutputs(context.env, {
    "issues-opened": report.opened.join(","),
    "issues-closed": report.closed.join(","),
    "unmanaged-issue":
      unmanaged !== undefined && unmanaged.action !== "none" ? String(unmanaged.number) : "",
    "failure-reason": "",
  });
  return 0;
}
