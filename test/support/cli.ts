// Runs the bundled CLI (built by global-setup) as a subprocess, the way users run it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BUILD_DIR } from "./global-setup.js";

export const CLI_PATH = join(BUILD_DIR, "cli.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface NodeProcess {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process exits, with its exit code and everything it printed. */
  done: Promise<CliResult>;
}

/** Starts `node script ...args` with output captured; killed after `timeoutMs` (default 60 s). */
export function spawnNode(
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): NodeProcess {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  if (child.pid === undefined) throw new Error(`node ${script} did not start`);
  return { pid: child.pid, kill: (signal) => child.kill(signal), done };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnNode(CLI_PATH, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  }).done;
}

/** Environment for a subprocess whose clock reads `iso` (test/support/fixed-clock.mjs). */
export function clockAt(iso: string): NodeJS.ProcessEnv {
  const preload = join(import.meta.dirname, "fixed-clock.mjs");
  return { NODE_OPTIONS: `--import=${preload}`, S3AP_TEST_CLOCK: iso };
}
