// The GitHub Action over the same core as the CLI: inputs from INPUT_*, reports to the job
// summary, annotations and step outputs; the exit status follows the contract, except that
// drift in a plan fails the step only when fail-on-drift is set.
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { PolicyStore } from "../aws/policy-store.js";
import type { StoreEvent } from "../aws/store-events.js";
import { resolveEndpointUrl } from "../commands/options.js";
import { DEFAULT_CONCURRENCY, DEFAULT_RATE } from "../commands/reconcile.js";
import { S3apError } from "../errors.js";
import type { Problem, SourceInfo } from "../model.js";
import { exitCodeOf, hasDrift } from "../reconcile/exit-code.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { Plan, ReconcileOutcome } from "../reconcile/types.js";
import { renderApplyMarkdown, renderApplyText } from "../report/apply-text.js";
import { changeLabel } from "../report/labels.js";
import { escapeCell } from "../report/markdown-escape.js";
import { renderPlanJson } from "../report/plan-json.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { displayPath, renderProblemsText } from "../report/problems-text.js";
import { type ActionInputs, readActionInputs } from "./action-inputs.js";
import { type Annotation, renderErrorAnnotations } from "./annotations.js";
import { syncDriftIssues } from "./drift-issues.js";
import { type Outputs, writeOutputs } from "./outputs.js";
import { GitHubClient } from "./rest-client.js";
import { pullRequestNumber, runUrl } from "./run-context.js";
import { renderPlanComment, upsertStickyComment } from "./sticky-comment.js";
import { appendSummary, cutLines, summaryBudget } from "./summary.js";
import { workflowCommand } from "./workflow-commands.js";

export interface StoreSettings {
  endpointUrl?: string;
  ratePerSecond: number;
  onEvent: (event: StoreEvent) => void;
}

export interface ActionContext {
  env: NodeJS.ProcessEnv;
  /** The workspace: GITHUB_WORKSPACE on a runner. */
  cwd: string;
  /** The step log (stdout): workflow commands and the plain-text report. */
  log: (text: string) => void;
  createStore: (settings: StoreSettings) => PolicyStore & { destroy(): void };
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  fetch?: typeof fetch;
}

/** Runs one step of the action and returns its exit code (0 success, 1 failed step). */
export async function runAction(context: ActionContext): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readActionInputs(context.env, {
      concurrency: DEFAULT_CONCURRENCY,
      rate: DEFAULT_RATE,
    });
  } catch (error) {
    return fail(context, error, "plan");
  }
  try {
    switch (inputs.command) {
      case "plan":
      case "apply":
        return await reconcileStep(context, inputs);
      case "pr-comment":
        return await prCommentStep(context, inputs);
      case "drift-issues":
        return await driftIssuesStep(context, inputs);
    }
  } catch (error) {
    return fail(context, error, inputs.command);
  }
}

async function reconcileStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
  const { env, log } = context;
  const apply = inputs.command === "apply" && !inputs.dryRun;
  const endpointUrl = resolveEndpointUrl(inputs.endpointUrl, env);
  let retries = 0;
  let store: (PolicyStore & { destroy(): void }) | undefined;
  // One store for reads and writes, opened lazily: an invalid run never creates an AWS client.
  const openStore = () => {
    store ??= context.createStore({
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
      ratePerSecond: inputs.rate,
      onEvent: (event) => {
        if (event.type === "retry") retries += 1;
      },
    });
    return store;
  };
  const outcome = await reconcile(
    {
      cwd: context.cwd,
      dir: inputs.policiesDirectory,
      ...(inputs.only !== undefined ? { only: inputs.only } : {}),
      apply,
      allowDirty: false,
      ...(inputs.maxChanges !== undefined ? { maxChanges: inputs.maxChanges } : {}),
      concurrency: inputs.concurrency,
    },
    {
      openReader: openStore,
      openWriter: openStore,
      sleep: context.sleep,
      now: context.now,
    },
  ).finally(() => store?.destroy());

  const mode = apply ? "apply" : inputs.command === "apply" ? "apply (dry run)" : "plan";
  const code = exitCodeOf(outcome);
  const failureReason = failureReasonOf(outcome, inputs);
  const planPath = "plan" in outcome && outcome.plan !== null ? await writePlan(env, outcome) : "";

  log(renderLog(outcome, context.cwd, retries));
  log(renderErrorAnnotations(annotationsOf(outcome, context.cwd)));
  appendSummary(
    env,
    renderSummary(outcome, {
      mode,
      retries,
      cwd: context.cwd,
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
    "plan-path": planPath,
    "failure-reason": failureReason ?? "",
  };
  writeOutputs(env, outputs);
  if (failureReason !== undefined) {
    log(workflowCommand("error", { title: "s3ap failed" }, failureReason));
    return 1;
  }
  return code === 2 ? 0 : code;
}

function failureReasonOf(outcome: ReconcileOutcome, inputs: ActionInputs): string | undefined {
  switch (outcome.status) {
    case "invalid":
      return `${outcome.problems.length} problem${outcome.problems.length === 1 ? "" : "s"} in the policy files; nothing was sent to AWS`;
    case "refused":
      return `refused: ${outcome.reason}`;
    case "planned": {
      const { summary } = outcome.plan;
      if (summary.error > 0)
        return `${summary.error} access point${summary.error === 1 ? "" : "s"} could not be read or planned`;
      if (inputs.failOnDrift && hasDrift(outcome.plan)) {
        const drift = summary.create + summary.update + summary.delete;
        return `drift: ${drift} access point${drift === 1 ? "" : "s"} differ from their files (fail-on-drift is set)`;
      }
      return undefined;
    }
    case "applied": {
      const failed = outcome.results.filter((r) => r.status === "failed").length;
      return failed > 0
        ? `${failed} access point${failed === 1 ? "" : "s"} could not be reconciled`
        : undefined;
    }
  }
}

async function writePlan(env: NodeJS.ProcessEnv, outcome: ReconcileOutcome): Promise<string> {
  if (!("plan" in outcome) || outcome.plan === null) return "";
  const path = join(env.RUNNER_TEMP || tmpdir(), `s3ap-plan-${randomUUID()}.json`);
  const results = outcome.status === "applied" ? outcome.results : undefined;
  await writeFile(path, renderPlanJson(outcome.plan, results));
  return path;
}

function renderLog(outcome: ReconcileOutcome, cwd: string, retries: number): string {
  if (outcome.status === "invalid") {
    return `${renderProblemsText(outcome.problems, outcome.source, cwd)}s3ap: ${outcome.problems.length} problems in the policy files; nothing was sent to AWS.\n`;
  }
  let text = "";
  if (outcome.plan !== null) text += renderPlanText(outcome.plan, { color: false });
  if (outcome.status === "applied") {
    text += `\n${renderApplyText(outcome.plan.commit, outcome.results, { retries }, { color: false })}`;
  }
  if (outcome.status === "refused") text += `s3ap: refused: ${outcome.reason}\n`;
  return text;
}

function annotationsOf(outcome: ReconcileOutcome, cwd: string): Annotation[] {
  if (outcome.status === "invalid") {
    return outcome.problems.map((p) => problemAnnotation(p, outcome.source, cwd));
  }
  const annotations: Annotation[] = [];
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
      `Commit: ${commitText(outcome.source.commit)} · ${outcome.problems.length} problems in ${outcome.files} files; nothing was sent to AWS.`,
      "",
      "| File | Line | Column | Rule | Problem |",
      "|---|---|---|---|---|",
      ...outcome.problems.map(
        (p) =>
          `| \`${escapeCell(displayPath(p.file, outcome.source, options.cwd))}\` | ${p.line} | ${p.col} | ${escapeCell(p.rule)} | ${escapeCell(p.message)} |`,
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
    refusedPart = `\n> ❌ **Refused:** ${escapeCell(outcome.reason)}\n`;
  const planBudget = options.budget - Buffer.byteLength(applyPart) - Buffer.byteLength(refusedPart);
  const planPart =
    outcome.plan === null
      ? `## s3ap ${options.mode}\n\nCommit: ${commitText(outcome.source.commit)}\n`
      : renderPlanMarkdown(outcome.plan, {
          title: `s3ap ${options.mode}`,
          maxBytes: planBudget,
          fullPlanHint: hint,
        });
  return `${planPart}${refusedPart}${applyPart ? `\n${applyPart}` : ""}`;
}

function commitText(commit: string | null): string {
  return commit === null ? "no commit" : `\`${commit}\``;
}

async function readPlanInput(context: ActionContext, inputs: ActionInputs): Promise<Plan> {
  if (inputs.planPath === undefined) {
    throw new S3apError(
      `input plan-path is required for command ${inputs.command}: pass the plan-path output of a plan step.`,
    );
  }
  const plan = JSON.parse(await readFile(resolve(context.cwd, inputs.planPath), "utf8")) as Plan;
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
    ...(context.fetch !== undefined ? { fetch: context.fetch } : {}),
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
    `s3ap: plan comment ${result.action} on pull request #${number}${result.url ? `: ${result.url}` : ""}\n`,
  );
  writeOutputs(context.env, { "comment-url": result.url ?? "", "failure-reason": "" });
  return 0;
}

async function driftIssuesStep(context: ActionContext, inputs: ActionInputs): Promise<number> {
  const plan = await readPlanInput(context, inputs);
  const url = runUrl(context.env);
  const report = await syncDriftIssues(
    githubClient(context, inputs),
    plan,
    url !== undefined ? { runUrl: url } : {},
  );
  const list = (numbers: number[]) =>
    numbers.length === 0 ? "none" : numbers.map((n) => `#${n}`).join(", ");
  const line =
    `Drift issues — opened: ${list(report.opened)}; updated: ${list(report.updated)}; ` +
    `closed: ${list(report.closed)}; unchanged: ${list(report.unchanged)}.`;
  context.log(`s3ap: ${line}\n`);
  appendSummary(context.env, `### s3ap drift issues\n\n${line}\n`);
  writeOutputs(context.env, {
    "issues-opened": report.opened.join(","),
    "issues-closed": report.closed.join(","),
    "failure-reason": "",
  });
  return 0;
}

function fail(context: ActionContext, error: unknown, command: string): number {
  const message =
    error instanceof S3apError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  const short = error instanceof Error ? error.message : String(error);
  context.log(`s3ap ${command} failed: ${message}\n`);
  context.log(workflowCommand("error", { title: "s3ap failed" }, short));
  appendSummary(context.env, `## s3ap ${command}: failed\n\n> ❌ ${escapeCell(short)}\n`);
  writeOutputs(context.env, { "failure-reason": short, changes: "false" });
  return 1;
}
