// What every step of the Action is given, and what several steps share: the GitHub client, the
// plan JSON an earlier step wrote, and a file in the runner's temp folder for the one it writes.
import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3apError } from "../errors.js";
import type { MergedPlan } from "../reconcile/types.js";
import type { JsonChunks } from "../report/sinks/json.js";
import { terminalText } from "../report/sinks/terminal.js";
import type { AwsFactories } from "../run/aws-access.js";
import { readPlanFile } from "../run/plan-file.js";
import type { ActionInputs } from "./action-inputs.js";
import { GitHubClient } from "./github-client.js";

export interface ActionContext {
  env: NodeJS.ProcessEnv;
  /** The workspace: GITHUB_WORKSPACE on a runner. */
  cwd: string;
  /** The step log (stdout): workflow commands and the plain-text report. */
  log: (text: string) => void;
  /** The real S3 Control store unless a test passes another. */
  createStore?: AwsFactories["createStore"];
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  fetch?: typeof fetch;
  /** Milliseconds per second of GitHub's rate-limit waits (tests shrink them); 1000 by default. */
  gitHubMsPerSecond?: number;
}

/** The plan JSON of a plan step, or of merge-plans (which adds missingAccounts). */
export function readPlanInput(context: ActionContext, inputs: ActionInputs): MergedPlan {
  if (inputs.planPath === undefined) {
    throw new S3apError(
      `input plan-path is required for command ${inputs.command}: pass the plan-path output of a plan step.`,
    );
  }
  return readPlanFile(inputs.planPath, context.cwd);
}

/**
 * Writes a plan JSON document into the runner's temp folder and returns its path. The document is
 * made piece by piece as it is written: when it fails midway, the part written is removed.
 */
export async function writePlanFile(env: NodeJS.ProcessEnv, json: JsonChunks): Promise<string> {
  const path = join(env.RUNNER_TEMP || tmpdir(), `s3ap-plan-${randomUUID()}.json`);
  try {
    await writeFile(path, json);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return path;
}

export function githubClient(context: ActionContext, inputs: ActionInputs): GitHubClient {
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
