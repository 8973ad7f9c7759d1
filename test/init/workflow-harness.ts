// Runs the workflows `s3ap init` wrote as GitHub would run them: `s3ap init` from the bundled CLI
// installed the way npm installs it, then one workflow per event, job by job, with the s3ap steps
// as the bundled action against a test AWS endpoint and a fake GitHub API.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { parse } from "yaml";
import { VERSION } from "../../src/version.js";
import { runBundledAction } from "../action/bundled-action.js";
import type { FakeGitHub } from "../github/fake-github.js";
import { CLI_PATH, spawnNode } from "../support/cli.js";
import { type MatrixEntry, runJobsWith } from "../workflows/run-jobs.js";
import type { UsedStep, UsesResult } from "../workflows/run-steps.js";

export const PIN_SHA = "0123456789abcdef0123456789abcdef01234567";
export const PIN = `acme/s3ap@${PIN_SHA}`;
export const PLAN_ROLE = "arn:aws:iam::999988887777:role/s3ap-hub-plan";
export const APPLY_ROLE = "arn:aws:iam::999988887777:role/s3ap-hub-apply";
export const PLAN_WORKFLOW = ".github/workflows/s3ap-plan.yml";
export const RECONCILE_WORKFLOW = ".github/workflows/s3ap-reconcile.yml";

export const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: "pipe" }).trim();

export interface WorkflowEvent {
  name: string;
  payload: object;
  sha: string;
  ref: string;
}

/**
 * The pull_request event of pull request `number` (from a branch of `repository` itself) at commit
 * `head`, based on `base`. The event's own sha is GitHub's temporary merge commit: never planned.
 */
export function pullRequestEvent(
  repository: string,
  number: number,
  head: string,
  base: string,
): WorkflowEvent {
  return {
    name: "pull_request",
    sha: "f".repeat(40),
    ref: `refs/pull/${number}/merge`,
    payload: {
      pull_request: {
        number,
        head: { sha: head, repo: { full_name: repository } },
        base: { sha: base },
      },
    },
  };
}

/** Where a step is: its job, and for a matrix job the entry (shard). */
export interface StepPlace {
  job: string;
  matrix?: MatrixEntry;
}

export interface RunOptions {
  /** The workflow_dispatch inputs. */
  inputs?: Record<string, unknown>;
  /** The repository variable S3AP_FAN_OUT. */
  fanOut?: boolean;
  /** More repository variables (e.g. S3AP_REMEDIATE). */
  vars?: Record<string, string>;
  /**
   * The AWS environment configure-aws-credentials leaves for the steps after it in `place`, or
   * "fail" when that step fails there (as when the role cannot be assumed).
   */
  aws?: (role: string, place: StepPlace) => NodeJS.ProcessEnv | "fail";
}

export interface WorkflowRunner {
  /** The id of the last run (`github.run_id`). */
  readonly runId: number;
  /** `s3ap init` in `cwd`, by the installed CLI. */
  init(cwd: string, ...args: string[]): ReturnType<typeof spawnNode>["done"];
  run(
    root: string,
    path: string,
    event: WorkflowEvent,
    options?: RunOptions,
  ): ReturnType<typeof runWorkflow>;
}

/** `folder` holds the installed CLI and each run's runner.temp. */
export function workflowRunner(
  github: FakeGitHub,
  folder: () => string,
  aws: (role: string) => NodeJS.ProcessEnv,
): WorkflowRunner {
  let runId = 100;
  return {
    get runId() {
      return runId;
    },
    init(cwd, ...args) {
      return spawnNode(installedCli(folder()), ["init", ...args], {
        cwd,
        env: { ...process.env, NO_COLOR: "1" },
      }).done;
    },
    run(root, path, event, options = {}) {
      runId += 1;
      return runWorkflow(github, folder(), runId, root, path, event, {
        ...options,
        aws: options.aws ?? aws,
      });
    },
  };
}

/** The bundled CLI installed the way npm installs it from a commit of GitHub. */
function installedCli(folder: string): string {
  const project = join(folder, "tools");
  const dist = join(project, "node_modules", "s3ap", "dist");
  mkdirSync(dist, { recursive: true });
  copyFileSync(CLI_PATH, join(dist, "cli.js"));
  const lock = {
    lockfileVersion: 3,
    packages: {
      "node_modules/s3ap": {
        version: VERSION,
        resolved: `https://github.com/acme/s3ap/archive/${PIN_SHA}.tar.gz`,
      },
    },
  };
  writeFileSync(join(project, "node_modules", ".package-lock.json"), JSON.stringify(lock));
  return join(dist, "cli.js");
}

/**
 * One workflow of the repository at `root` for one event: the s3ap steps are the bundled action;
 * checkout moves the repository to the ref; artifacts are kept per run by name (download-artifact's
 * `pattern` puts each in a folder of its name); a matrix job runs once per shard.
 */
async function runWorkflow(
  github: FakeGitHub,
  folder: string,
  runId: number,
  root: string,
  path: string,
  event: WorkflowEvent,
  options: RunOptions & Required<Pick<RunOptions, "aws">>,
) {
  const workflow = parse(readFileSync(join(root, path), "utf8"));
  const temp = mkdtempSync(join(folder, "runner-"));
  const contexts = {
    github: {
      event_name: event.name,
      event: event.payload,
      sha: event.sha,
      ref: event.ref,
      repository: github.repository,
      run_id: runId,
      token: github.token,
    },
    inputs: options.inputs ?? {},
    vars: {
      S3AP_PLAN_ROLE_ARN: PLAN_ROLE,
      S3AP_ROLE_ARN: APPLY_ROLE,
      AWS_REGION: "us-east-1",
      S3AP_FAN_OUT: options.fanOut ? "true" : "",
      ...options.vars,
    },
    runner: { temp },
    matrix: {},
  };
  const stepsRun: string[] = [];
  const summaries: { job: string; command: string; summary: string }[] = [];
  const artifacts = new Map<string, string>();
  let awsEnv: NodeJS.ProcessEnv = {};
  const uses = async (step: UsedStep, jobId: string, matrix?: MatrixEntry): Promise<UsesResult> => {
    const job = matrix === undefined ? jobId : `${jobId} (${String(matrix.shard)})`;
    stepsRun.push(
      `${job}: ${step.uses.split("@")[0]}${step.with.command ? ` ${step.with.command}` : ""}`,
    );
    if (step.uses.startsWith("actions/checkout@")) {
      gitIn(root, "checkout", "-q", "--detach", step.with.ref || "main");
      return { outputs: {}, ok: true };
    }
    if (step.uses.startsWith("aws-actions/configure-aws-credentials@")) {
      const role = step.with["role-to-assume"] ?? "";
      expect(role).toMatch(/^arn:aws:iam::999988887777:role\//);
      const env = options.aws(role, { job: jobId, ...(matrix !== undefined ? { matrix } : {}) });
      awsEnv = env === "fail" ? {} : env;
      if (env === "fail") return { outputs: {}, ok: false };
      return { outputs: {}, ok: true };
    }
    if (step.uses.startsWith("actions/upload-artifact@")) {
      const text = readFileSync(step.with.path ?? "", "utf8");
      expect(text).toContain('"formatVersion": 1');
      expect(step.with.overwrite === "true" || !artifacts.has(step.with.name ?? "")).toBe(true);
      artifacts.set(step.with.name ?? "", text);
      return {
        outputs: { "artifact-url": `https://github.example/artifacts/${runId}` },
        ok: true,
      };
    }
    if (step.uses.startsWith("actions/download-artifact@")) {
      const pattern = new RegExp(
        `^${(step.with.pattern ?? "").replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`,
      );
      for (const [name, text] of artifacts) {
        if (!pattern.test(name)) continue;
        mkdirSync(join(step.with.path ?? "", name), { recursive: true });
        writeFileSync(join(step.with.path ?? "", name, "plan.json"), text);
      }
      return { outputs: { "download-path": step.with.path ?? "" }, ok: true };
    }
    expect(step.uses).toBe(PIN);
    const run = await runBundledAction({
      inputs: { "github-token": github.token, ...step.with },
      workspace: root,
      event: event.payload,
      sha: event.sha,
      env: {
        ...awsEnv,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: github.repository,
        GITHUB_RUN_ID: String(runId),
        RUNNER_TEMP: temp,
      },
    });
    summaries.push({ job, command: step.with.command ?? "", summary: run.summary });
    return { outputs: run.outputs, ok: run.code === 0 };
  };
  const run = await runJobsWith(workflow, contexts, uses);
  /** The job summary the s3ap step `command` of `job` wrote. */
  const summaryOf = (job: string, command: string) =>
    summaries.find((s) => s.job === job && s.command === command)?.summary ?? "";
  return { ...run, stepsRun, artifacts, summaries, summaryOf };
}
