// One place that runs git through simple-git with the environment s3ap needs:
// never prompt, never take optional locks on the user's index, never run a program that the
// repository being read configures (hooks, fsmonitor, filter drivers), and keep the user's own
// environment (GIT_SSH_COMMAND, EDITOR, ...) working.
import { type SimpleGit, simpleGit } from "simple-git";
import { gitAbortSignal } from "./git-interrupt.js";

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
  /**
   * Only commands that never pass a file's contents through a filter driver (rev-parse): the
   * drivers are not read from the configuration first, one git process less per runner. Hooks
   * and fsmonitor stay off.
   */
  noContent?: boolean;
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
  const create = (env: Record<string, string>): SimpleGit =>
    simpleGit({
      baseDir,
      maxConcurrentProcesses: 2,
      // SIGTERM/SIGINT abort every git process s3ap started (see git-interrupt.ts).
      abort: gitAbortSignal(),
      ...(options.silenceTimeoutMs !== undefined
        ? { timeout: { block: options.silenceTimeoutMs } }
        : {}),
      // NOTE: simple-git refuses to run when the environment it is given holds EDITOR, PAGER,
      // GIT_SSH_COMMAND, GIT_ASKPASS, GIT_CONFIG_* and the like, even though they are the user's
      // own settings (a developer with EDITOR set could not run s3ap at all). s3ap passes the
      // user's environment through unchanged, so those categories are allowed. The hooks path,
      // fsmonitor and filter categories are allowed because s3ap itself sets them, to switch
      // them off. Options that arguments could smuggle in (--upload-pack, -c ...) stay blocked:
      // user input (refs, URLs, paths) only ever reaches git as positionals after checks in the
      // callers.
      // NOTE: simple-git 4 also guards the environment: a GIT_* variable (or EDITOR, PAGER, ...)
      // passed explicitly throws unless named in allowEnvironment, and inherited ones are
      // dropped. s3ap hands git the user's environment plus its own settings, as simple-git 3
      // did, so every variable it passes is named.
      allowEnvironment: Object.keys(env),
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
        allowUnsafeHooksPath: true,
        allowUnsafeFsMonitor: true,
        allowUnsafeFilter: true,
      },
    }).env(env);

  // The filter drivers are named by configuration: read them once (with everything else already
  // off), then switch each one off for every command of this runner.
  let ready: Promise<SimpleGit> | undefined;
  const instance = (): Promise<SimpleGit> => {
    ready ??= (async () => {
      const base = withConfig(gitEnvironment(options.env), PROGRAMS_OFF);
      if (options.noContent === true) return create(base);
      const probe = create(base);
      // NOTE: `--list`, not `--get-regexp ^filter\.`: simple-git waits 50 ms after a command that
      // printed nothing (in case output is late), and a repository without filters printed
      // nothing, on every runner of every run. A repository's config is never empty.
      const listed = await probe.raw(["config", "--null", "--list"]).catch(() => "");
      return create(withConfig(base, filtersOff(listed)));
    })();
    return ready;
  };

  const run = async (args: string[]): Promise<string> => {
    try {
      return await (await instance()).raw(args);
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

/**
 * A repository is data, not code: `--ref` ran its post-index-change hook, `--repo PATH` ran its
 * core.fsmonitor command. Hooks go to a path that holds none, fsmonitor is off.
 */
const PROGRAMS_OFF: ReadonlyArray<readonly [string, string]> = [
  ["core.hooksPath", process.platform === "win32" ? "NUL" : "/dev/null"],
  ["core.fsmonitor", "false"],
];

/**
 * `git config --null --list` output (`key\nvalue\0` entries) → settings that make every
 * configured filter driver a no-op: an empty command is no filter, and `required` would turn
 * that into an error. s3ap reads the bytes that were committed.
 */
export function filtersOff(listed: string): Array<readonly [string, string]> {
  const drivers = new Set<string>();
  for (const entry of listed.split("\0")) {
    const key = entry.split("\n", 1)[0] ?? "";
    const match = /^filter\.(.+)\.[^.]+$/i.exec(key);
    if (match?.[1] !== undefined) drivers.add(match[1]);
  }
  const settings: Array<readonly [string, string]> = [];
  for (const driver of drivers) {
    for (const variable of ["clean", "smudge", "process"]) {
      settings.push([`filter.${driver}.${variable}`, ""]);
    }
    settings.push([`filter.${driver}.required`, "false"]);
  }
  return settings;
}

/** Appends settings after the user's own GIT_CONFIG_COUNT ones, so ours win. */
function withConfig(
  env: Record<string, string>,
  settings: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const result = { ...env };
  let count = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10);
  if (!Number.isInteger(count) || count < 0) count = 0;
  for (const [key, value] of settings) {
    result[`GIT_CONFIG_KEY_${count}`] = key;
    result[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  result.GIT_CONFIG_COUNT = String(count);
  return result;
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
