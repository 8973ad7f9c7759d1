// One place that runs git through simple-git with the environment s3ap needs:
// never prompt, never take optional locks on the user's index, and keep the user's own
// environment (GIT_SSH_COMMAND, EDITOR, ...) working.
import { type SimpleGit, simpleGit } from "simple-git";

export interface GitRunner {
  /** Runs `git <args>` and returns stdout; rejects with git's message on a non-zero exit. */
  run(args: string[]): Promise<string>;
  /** Like `run`, but resolves to null instead of rejecting (for probes such as `rev-parse --verify`). */
  tryRun(args: string[]): Promise<string | null>;
}

export interface GitRunnerOptions {
  /** Extra environment variables for every command of this runner. */
  env?: Record<string, string>;
  /** Kill git when it has been silent this long (network operations). */
  silenceTimeoutMs?: number;
}

/** Thrown by a runner: git's own message (stderr), without simple-git's decoration. */
export class GitCommandError extends Error {
  override name = "GitCommandError";
  constructor(
    readonly args: string[],
    message: string,
  ) {
    super(message);
  }
}

export function gitRunner(baseDir: string, options: GitRunnerOptions = {}): GitRunner {
  const git: SimpleGit = simpleGit({
    baseDir,
    maxConcurrentProcesses: 2,
    ...(options.silenceTimeoutMs !== undefined
      ? { timeout: { block: options.silenceTimeoutMs } }
      : {}),
    // NOTE: simple-git refuses to run when the environment it is given holds EDITOR, PAGER,
    // GIT_SSH_COMMAND, GIT_ASKPASS, GIT_CONFIG_* and the like, even though they are the user's
    // own settings (a developer with EDITOR set could not run s3ap at all). s3ap passes the
    // user's environment through unchanged, so those categories are allowed. Options that
    // arguments could smuggle in (--upload-pack, -c core.*) stay blocked: user input (refs,
    // URLs, paths) only ever reaches git as positionals after checks in the callers.
    unsafe: {
      allowUnsafeEditor: true,
      allowUnsafeAskPass: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeDiffExternal: true,
      allowUnsafePager: true,
      allowUnsafeGitProxy: true,
      allowUnsafeSshCommand: true,
      allowUnsafeTemplateDir: true,
    },
  }).env(gitEnvironment(options.env));

  const run = async (args: string[]): Promise<string> => {
    try {
      return await git.raw(args);
    } catch (error) {
      throw new GitCommandError(args, cleanMessage(error));
    }
  };
  return {
    run,
    async tryRun(args) {
      try {
        return await run(args);
      } catch {
        return null;
      }
    },
  };
}

function gitEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    // A bad URL or missing credentials must fail at once, not wait for a password.
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    // `git status` would otherwise refresh and rewrite the user's index.
    GIT_OPTIONAL_LOCKS: "0",
    // Messages are matched ("not a git repository") and shown to users: keep them in English.
    LC_ALL: "C",
    ...extra,
  };
}

function cleanMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((line) => line.trim().replace(/^(fatal|error):\s*/i, ""))
    .filter((line) => line !== "" && !line.startsWith("hint:"));
  // git wraps one sentence over several lines; separate distinct messages with ". ".
  let message = "";
  for (const line of lines) {
    if (message === "") message = line;
    else if (/[.!?:;,]$/.test(message) || /^[a-z]/.test(line)) message += ` ${line}`;
    else message += `. ${line}`;
  }
  return message || "git failed without a message";
}
