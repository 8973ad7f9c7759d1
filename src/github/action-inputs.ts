// The action's inputs, read the way the runner passes them: INPUT_<NAME> environment variables.
// The inputs of a command the CLI has too come from that command's option table (run/), parsed
// and defaulted exactly as its flags are.
import { InputError } from "../errors.js";
import {
  ACCOUNTS_OPTIONS,
  type AccountsOptions,
  MERGE_OPTIONS,
  type MergeOptions,
} from "../run/commands.js";
import { splitList } from "../run/list-value.js";
import { parseNumber } from "../run/number-option.js";
import {
  type AnyOption,
  APPLY_COMMAND_OPTIONS,
  type ApplyOptions,
  PLAN_OPTIONS,
  type PlanOptions,
} from "../run/options.js";
import { DEFAULT_DRIFT_ISSUE_THRESHOLD } from "./drift-issues.js";

export const ACTION_COMMANDS = [
  "plan",
  "apply",
  "pr-comment",
  "drift-issues",
  "accounts",
  "merge-plans",
] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The Action's commands of its own, with the reason the CLI has none. */
export const ACTION_ONLY_COMMANDS = {
  "pr-comment": "it posts to a pull request with the workflow's GitHub token",
  "drift-issues": "it opens and closes GitHub issues with the workflow's GitHub token",
} as const satisfies Partial<Record<ActionCommand, string>>;

/** The option table of each command the CLI has too. */
export const SHARED_COMMAND_OPTIONS = {
  plan: PLAN_OPTIONS,
  apply: APPLY_COMMAND_OPTIONS,
  accounts: ACCOUNTS_OPTIONS,
  "merge-plans": MERGE_OPTIONS,
} as const;

/** Inputs of the Action alone, with the reason the CLI has no such option. */
export const ACTION_ONLY_INPUTS = {
  command: "the CLI's commands are its first argument",
  "fail-on-drift": "the CLI always exits 2 on drift; a workflow step fails on any non-zero code",
  "github-token": "for the GitHub commands (pr-comment, drift-issues), which the CLI does not have",
  "plan-path": "for the GitHub commands; the CLI writes a plan with --out",
  "full-plan-url": "for pr-comment's link to the whole plan",
  "unmanaged-issue": "for drift-issues, which the CLI does not have",
  "drift-issue-threshold": "for drift-issues, which the CLI does not have",
  "failure-reason":
    "for pr-comment: why the plan step failed (its failure-reason output), when it left no plan",
} as const;

interface ActionOwnInputs {
  failOnDrift: boolean;
  /** drift-issues: also keep the one "N unmanaged access points" issue in line with the plan. */
  unmanagedIssue: boolean;
  /** drift-issues: more drifted access points than this get one issue per account. */
  driftIssueThreshold: number;
  githubToken?: string;
  /** pr-comment / drift-issues: the plan JSON an earlier plan step wrote (merge-plans: a folder). */
  planPath?: string;
  /** pr-comment: where the full plan is when the comment has to be cut (an artifact URL). */
  fullPlanUrl?: string;
  /** pr-comment: why the plan step failed, when it left no plan. */
  failureReason?: string;
}

export type ActionInputs = ActionOwnInputs &
  (
    | ({ command: "plan" } & PlanOptions)
    | ({ command: "apply" } & ApplyOptions)
    | ({ command: "accounts" } & AccountsOptions)
    | ({ command: "merge-plans" } & MergeOptions)
    | { command: "pr-comment" | "drift-issues" }
  );

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
  const threshold = readInput(env, "drift-issue-threshold");
  const failureReason = readInput(env, "failure-reason");
  const own: ActionOwnInputs = {
    failOnDrift: readSwitch(env, "fail-on-drift", false),
    unmanagedIssue: readSwitch(env, "unmanaged-issue", true),
    driftIssueThreshold:
      threshold === undefined
        ? DEFAULT_DRIFT_ISSUE_THRESHOLD
        : parseNumber(threshold, "input drift-issue-threshold", { whole: true, min: 0 }),
    ...(githubToken !== undefined ? { githubToken } : {}),
    ...(planPath !== undefined ? { planPath } : {}),
    ...(fullPlanUrl !== undefined ? { fullPlanUrl } : {}),
    ...(failureReason !== undefined ? { failureReason } : {}),
  };
  const table: Record<string, AnyOption> | undefined =
    SHARED_COMMAND_OPTIONS[command as keyof typeof SHARED_COMMAND_OPTIONS];
  const options = table === undefined ? {} : readOptions(env, table);
  return { ...options, ...own, command } as ActionInputs;
}

/**
 * Every option of a table from its input, parsed and defaulted exactly as the CLI's flag is; an
 * option the Action has no input for keeps its default.
 */
export function readOptions(
  env: NodeJS.ProcessEnv,
  table: Record<string, AnyOption>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const value = spec.input === undefined ? undefined : readInput(env, spec.input);
    const label = `input ${spec.input}`;
    let parsed: unknown;
    switch (spec.kind) {
      case "switch":
        parsed =
          spec.input === undefined ? spec.default : readSwitch(env, spec.input, spec.default);
        break;
      case "value":
        parsed = value === undefined ? spec.default : spec.parse(value, label);
        break;
      case "list":
        parsed =
          value === undefined
            ? undefined
            : splitList(value, spec.spaces).map((item) => spec.parse(item, label));
        break;
    }
    if (parsed !== undefined) options[key] = parsed;
  }
  return options;
}

/** The YAML 1.2 core schema booleans, as `@actions/core`'s getBooleanInput accepts them. */
function readSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = readInput(env, name);
  if (value === undefined) return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`input ${name} is true or false, not "${value}".`);
}
