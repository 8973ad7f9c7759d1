// The action's inputs, read the way the runner passes them: INPUT_<NAME> environment variables.
// Inputs that are CLI options too come from the shared option table (run/options.ts).
import { InputError } from "../errors.js";
import { type AnyOption, RECONCILE_OPTIONS, type ReconcileOptions } from "../run/options.js";

export const ACTION_COMMANDS = [
  "plan",
  "apply",
  "pr-comment",
  "drift-issues",
  "accounts",
  "merge-plans",
] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** Inputs of the Action alone, with the reason the CLI has no such option. */
export const ACTION_ONLY_INPUTS = {
  command: "the CLI's commands are its first argument",
  "fail-on-drift": "the CLI always exits 2 on drift; a workflow step fails on any non-zero code",
  "github-token": "for the GitHub commands (pr-comment, drift-issues), which the CLI does not have",
  "plan-path": "for the GitHub commands; the CLI writes a plan with --out",
  "full-plan-url": "for pr-comment's link to the whole plan",
  "unmanaged-issue": "for drift-issues, which the CLI does not have",
  shards: "for merge-plans; the CLI reads the same matrix from a file (merge-plans --shards)",
} as const;

export interface ActionInputs extends ReconcileOptions {
  command: ActionCommand;
  failOnDrift: boolean;
  /** drift-issues: also keep the one "N unmanaged access points" issue in line with the plan. */
  unmanagedIssue: boolean;
  githubToken?: string;
  /** pr-comment / drift-issues: the plan JSON an earlier plan step wrote. */
  planPath?: string;
  /** pr-comment: where the full plan is when the comment has to be cut (an artifact URL). */
  fullPlanUrl?: string;
  /** merge-plans: the matrix the accounts step printed, to name shards that left no plan. */
  shards?: string;
}

/**
 * The runner's convention: `INPUT_` + the name upper-cased with spaces as `_` (dashes are kept).
 * An input given as an empty expression arrives as "": that means "not set" here.
 */
export function readInput(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function readActionInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const command = readInput(env, "command") ?? "plan";
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new InputError(
      `input command is one of ${ACTION_COMMANDS.join(", ")}, not "${command}".`,
    );
  }
  const githubToken = readInput(env, "github-token");
  const planPath = readInput(env, "plan-path");
  const fullPlanUrl = readInput(env, "full-plan-url");
  const shards = readInput(env, "shards");
  return {
    ...readReconcileInputs(env),
    command: command as ActionCommand,
    failOnDrift: readSwitch(env, "fail-on-drift", false),
    unmanagedIssue: readSwitch(env, "unmanaged-issue", true),
    ...(githubToken !== undefined ? { githubToken } : {}),
    ...(planPath !== undefined ? { planPath } : {}),
    ...(fullPlanUrl !== undefined ? { fullPlanUrl } : {}),
    ...(shards !== undefined ? { shards } : {}),
  };
}

/** Every shared option from its input, parsed and defaulted exactly as the CLI's flag is. */
function readReconcileInputs(env: NodeJS.ProcessEnv): ReconcileOptions {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries<AnyOption & { input: string }>(RECONCILE_OPTIONS)) {
    if (spec.kind === "switch") {
      options[key] = readSwitch(env, spec.input, spec.default);
      continue;
    }
    const value = readInput(env, spec.input);
    const parsed = value === undefined ? spec.default : spec.parse(value, `input ${spec.input}`);
    if (parsed !== undefined) options[key] = parsed;
  }
  return options as unknown as ReconcileOptions;
}

/** The YAML 1.2 core schema booleans, as `@actions/core`'s getBooleanInput accepts them. */
function readSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = readInput(env, name);
  if (value === undefined) return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`input ${name} is true or false, not "${value}".`);
}
