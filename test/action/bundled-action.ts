// Runs the bundled action (.build/test-dist/action.js) the way the runner does: `node action.js`
// with INPUT_* variables and the GITHUB_* files, then reads back what it wrote.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnNode } from "../support/cli.js";
import { BUILD_DIR } from "../support/global-setup.js";

export const ACTION_PATH = join(BUILD_DIR, "action.js");

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The plan JSON at the plan-path output, read before RUNNER_TEMP is removed. */
  planJson: string | null;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  workspace: string;
  env?: NodeJS.ProcessEnv;
  event?: object;
  sha?: string;
}

/** The runner's environment only: nothing from the machine running the tests leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|AWS_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

export async function runBundledAction(options: ActionRunOptions): Promise<ActionRun> {
  const runnerDir = mkdtempSync(join(tmpdir(), "s3ap-runner-"));
  const outputPath = join(runnerDir, "output");
  const summaryPath = join(runnerDir, "summary");
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const eventPath = join(runnerDir, "event.json");
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: options.sha ?? "0000000000000000000000000000000000000000",
    GITHUB_REPOSITORY: "octo/policies",
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "4242",
    RUNNER_TEMP: runnerDir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  try {
    const { code, stdout, stderr } = await spawnNode(ACTION_PATH, [], {
      cwd: options.workspace,
      env,
    }).done;
    const outputs = parseOutputFile(readFileSync(outputPath, "utf8"));
    const planPath = outputs["plan-path"];
    return {
      code,
      stdout,
      stderr,
      outputs,
      summary: readFileSync(summaryPath, "utf8"),
      planJson: planPath && existsSync(planPath) ? readFileSync(planPath, "utf8") : null,
    };
  } finally {
    rmSync(runnerDir, { recursive: true, force: true });
  }
}
