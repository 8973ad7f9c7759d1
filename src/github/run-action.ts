// The GitHub Action over the same core as the CLI: inputs from INPUT_*, reports to the job
// summary, annotations and step outputs; the exit status follows the contract, except that
// drift in a plan fails the step only when fail-on-drift is set.
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { count } from "../count.js";
import { S3apError } from "../errors.js";
import type { Problem, SourceInfo } from "../model.js";
import { hasDrift } from "../reconcile/exit-code.js";
import type { MergedPlan } from "../reconcile/merge-plans.js";
import type { PolicyStore } from "../reconcile/ports.js";
import type { ReconcileOutcome } from "../reconcile/types.js";
import { renderApplyMarkdown } from "../report/apply-text.js";
import { changeLabel, provenanceText } from "../report/labels.js";
import { renderPlanJson } from "../report/plan-json.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { displayPath } from "../report/problems-text.js";
import { markdownCode, markdownText } from "../report/sinks/markdown.js";
import { terminalText } from "../report/sinks/terminal.js";
import { workflowCommand } from "../report/sinks/workflow-command.js";
import { errorLine, errorText } from "../run/error-text.js";
import { displayRoot, failureReason, renderReport } from "../run/outcome-text.js";
import { runReconcile, type StoreSettings, writes } from "../run/run-reconcile.js";
import { type ActionInputs, readActionInputs } from "./action-inputs.js";
import { type Annotation, renderErrorAnnotations } from "./annotations.js";
import { syncDriftIssues } from "./drift-issues.js";
import { accountsStep, mergePlansStep } from "./fan-out-steps.js";
import { GitHubClient } from "./github-client.js";
import { type Outputs, writeOutputs } from "./outputs.js";
import { pullRequestNumber, runUrl } from "./run-context.js";
import { renderPlanComment, upsertStickyComment } from "./sticky-comment.js";
import { appendSummary, cutLines, summaryBudget } from "./summary.js";
import { syncUnmanagedIssue } from "./unmanaged-issue.js";

export interface ActionContext {
  env: NodeJS.ProcessEnv;
  /** The workspace: GITHUB_WORKSPACE on a runner. */
  cwd: string;
  /** The step log (stdout): workflow commands and the plain-text report. */
  log: (text: string) => void;
  /** The real S3 Control store unless a test passes another. */
  createStore?: (settings: StoreSettings) => PolicyStore & { destroy(): void };
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  fetch?: typeof fetch;
  /** Milliseconds per second of GitHub's rate-limit waits (tests shrink them); 1000 by default. */
  gitHubMsPerSecond?: number;
}

/** Runs one step of the action and returns its exit code (0 success, 1 failed step). */
export async function runAction(context: ActionContext): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readActionInputs(context.env);
  } catch (error) {
    return fail(context, error, "plan");
  }
  try {
    switch (inputs.command) {
      case "plan":
      case "apply":
        return await reconcileStep(context, inputs, inputs.command);
      case "pr-comment":
        return await prCommentStep(context, inputs);
      case "drift-issues":
        return await driftIssuesStep(context, inputs);
      case "accounts":
        return await accountsStep(context, inputs);
      case "merge-plans":
        return await mergePlansStep(context, inputs);
    }
  } catch (error) {
    return fail(context, error, inputs.command);
  }
}

async function reconcileStep(
  context: ActionContext,
  inputs: ActionInputs,
  command: "plan" | "apply",
): Promise<number> {
  const { env, log } = context;
  const { outcome, retries, notices } = await runReconcile(command, inputs, {
    cwd: context.cwd,
    env,
    sleep: context.sleep,
    now: context.now,
    // The plan JSON is always written (plan-path), so it always carries the notes.
    explain: true,
    ...(context.createStore !== undefined ? { createStore: context.createStore } : {}),
  });

  const mode = writes(command, inputs) ? "apply" : command === "apply" ? "apply (dry run)" : "plan";
  const reason = failureReason(outcome, inputs.failOnDrift);
  const planPath = "plan" in outcome && outcome.plan !== null ? await writePlan(env, outcome) : "";
  const root = displayRoot(inputs, context.cwd, outcome.source);

  const report = renderReport(outcome, {
    format: "text",
    color: false,
    verbose: inputs.verbose,
    retries,
    notices,
    root,
  });
  log(report.stdout + report.stderr);
  log(renderErrorAnnotations(annotationsOf(outcome, root)));
  for (const warning of discoveryWarningsOf(outcome)) {
    log(workflowCommand("warning", { title: "s3ap: unmanaged access points" }, warning));
  }
  appendSummary(
    env,
    renderSummary(outcome, {
      mode,
      retries,
      cwd: root,
      budget: summaryBudget(env),
      planPath,
    }),
  );

  const plan = "plan" in outcome ? outcome.plan : null;
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
  };
  writeOutputs(env, outputs);
  if (reason !== undefined) {
    log(workflowCommand("error", { title: "s3ap failed" }, reason));
    return 1;
  }
  return 0;
}

/** Why unmanaged access points could not be (fully) listed: one annotation each. */
function discoveryWarningsOf(outcome: ReconcileOutcome): string[] {
  if (!("plan" in outcome) || outcome.plan === null) return [];
  return outcome.plan.discovery.warnings;
}

async function writePlan(env: NodeJS.ProcessEnv, outcome: ReconcileOutcome): Promise<string> {
  if (!("plan" in outcome) || outcome.plan === null) return "";
  const path = join(env.RUNNER_TEMP || tmpdir(), `s3ap-plan-${randomUUID()}.json`);
  const results = outcome.status === "applied" ? outcome.results : undefined;
  await writeFile(path, renderPlanJson(outcome.plan, results));
  return path;
}

function annotationsOf(outcome: ReconcileOutcome, cwd: string): Annotation[] {
  if (outcome.status === "invalid") {
    return outcome.problems.map((p) => problemAnnotation(p, outcome.source, cwd));
  }
  const annotations = outcome.warnings.map((p) => problemAnnotation(p, outcome.source, cwd));
  if (outcome.plan !== null) {
    for (const change of outcome.plan.changes) {
      if (change.action !== "error") continue;
      annotations.push({
        file: displayPath(change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(change)}`,
        message: change.reason,
      });
    }
  }
  if (outcome.status === "applied") {
    for (const result of outcome.results) {
      if (result.status !== "failed") continue;
      annotations.push({
        file: displayPath(result.change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(result.change)} not applied`,
        message: result.message,
      });
    }
  }
  return annotations;
}

function problemAnnotation(problem: Problem, source: SourceInfo, cwd: string): Annotation {
  return {
    level: problem.severity,
    file: displayPath(problem.file, source, cwd),
    line: problem.line,
    col: problem.col,
    title: `s3ap: ${problem.rule}`,
    message: problem.message,
  };
}

interface SummaryOptions {
  mode: string;
  retries: number;
  cwd: string;
  budget: number;
  planPath: string;
}

function renderSummary(outcome: ReconcileOutcome, options: SummaryOptions): string {
  const rest = "The full list is in this step's log.";
  if (outcome.status === "invalid") {
    const lines = [
      `## s3ap ${options.mode}: invalid policy files`,
      "",
      `Source: ${provenanceText(outcome.source, markdownCode)} · ${count(outcome.problems.length, "problem")} in ${count(outcome.files, "file")}; nothing was sent to AWS.`,
      "",
      "| File | Line | Column | Severity | Rule | Problem |",
      "|---|---|---|---|---|---|",
      ...outcome.problems.map(
        (p) =>
          `| ${markdownCode(displayPath(p.file, outcome.source, options.cwd))} | ${p.line} | ${p.col} | ${p.severity} | ${markdownText(p.rule)} | ${markdownText(p.message)} |`,
      ),
      "",
    ];
    return cutLines(lines.join("\n"), options.budget, rest);
  }
  const hint = `the plan JSON (\`plan-path\` output: ${options.planPath || "not written"})`;
  let applyPart = "";
  if (outcome.status === "applied") {
    applyPart = cutLines(
      renderApplyMarkdown(outcome.results, { retries: options.retries }),
      Math.floor(options.budget / 2),
      rest,
    );
  }
  let refusedPart = "";
  if (outcome.status === "refused")
    refusedPart = `\n> ❌ **Refused:** ${markdownText(outcome.reason)}\n`;
  const planBudget = options.budget - Buffer.byteLength(applyPart) - Buffer.byteLength(refusedPart);
  const planPart =
    outcome.plan === null
      ? `## s3ap ${options.mode}\n\nSource: ${provenanceText(outcome.source, markdownCode)}\n`
      : renderPlanMarkdown(outcome.plan, {
          title: `s3ap ${options.mode}`,
          maxBytes: planBudget,
          fullPlanHint: hint,
        });
  return `${planPart}${refusedPart}${applyPart ? `\n${applyPart}` : ""}`;
}

/** The plan JSON of a plan step, or of merge-plans (which adds missingAccounts). */
async function readPlanInput(context: ActionContext, inputs: ActionInputs): Promise<MergedPlan> {
  if (inputs.planPath === undefined) {
    throw new S3apError(
      `input plan-path is required for command ${inputs.command}: pass the plan-path output of a plan step.`,
    );
  }
  const plan = JSON.parse(
    await readFile(resolve(context.cwd, inputs.planPath), "utf8"),
  ) as MergedPlan;
  if (plan.formatVersion !== 1 || !Array.isArray(plan.changes)) {
    throw new S3apError(`${inputs.planPath} is not an s3ap plan (formatVersion 1).`);
  }
  return plan;
}

function githubClient(context: ActionContext, inputs: ActionInputs): GitHubClient {
  const { env } = context;
  if (inputs.githubToken === undefined) {
    throw new S3apError(`input github-token is required for command ${inputs.command}.`);
  }
  if (!env.GITHUB_REPOSITORY)
    throw new S3apError("GITHUB_REPOSITORY is not set: this command runs inside GitHub Actions.");
  return new GitHubClient({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: inputs.githubToken,
    repository: env.GITHUB_REPOSITORY,
    log: (line) => context.log(`s3ap: ${terminalText(line)}\n`),
    ...(context.fetch !== undefined ? { fetch: context.fetch } : {}),
    ...(context.gitHubMsPerSecond !== undefined ? { msPerSecond: context.gitHubMsPerSecond } : {}),
  });
}

async function prCommentStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
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

async function driftIssuesStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
  const plan = await readPlanInput(context, inputs);
  const url = runUrl(context.env);
  const client = githubClient(context, inputs);
  const report = await syncDriftIssues(client, plan, url !== undefined ? { runUrl: url } : {});
  const list = (numbers: number[]) =>
    numbers.length === 0 ? "none" : numbers.map((n) => `#${n}`).join(", ");
  let line =
    `Drift issues — opened: ${list(report.opened)}; updated: ${list(report.updated)}; ` +
    `closed: ${list(report.closed)}; unchanged: ${list(report.unchanged)}.`;
  let unmanagedIssue = "";
  if (inputs.unmanagedIssue) {
    const result = await syncUnmanagedIssue(client, plan, url !== undefined ? { runUrl: url } : {});
    if (result.action !== "none") unmanagedIssue = String(result.number);
    line +=
      result.action === "none"
        ? ` Unmanaged access points issue: none (${result.reason}).`
        : ` Unmanaged access points issue: #${result.number} ${result.action}.`;
  }
  context.log(`s3ap: ${line}\n`);
  appendSummary(context.env, `### s3ap drift issues\n\n${line}\n`);
  writeOutputs(context.env, {
    "issues-opened": report.opened.join(","),
    "issues-closed": report.closed.join(","),
    "unmanaged-issue": unmanagedIssue,
    "failure-reason": "",
  });
  return 0;
}

function fail(context: ActionContext, error: unknown, command: string): number {
  const short = errorLine(error);
  context.log(`s3ap ${command} failed: ${errorText(error)}\n`);
  context.log(workflowCommand("error", { title: "s3ap failed" }, short));
  appendSummary(context.env, `## s3ap ${command}: failed\n\n> ❌ ${markdownText(short)}\n`);
  writeOutputs(context.env, { "failure-reason": short, changes: "false" });
  return 1;
}
