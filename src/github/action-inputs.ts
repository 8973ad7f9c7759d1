// The action's inputs, read the way the runner passes them: INPUT_<NAME> environment variables.
import { InputError } from "../errors.js";

export const ACTION_COMMANDS = ["plan", "apply", "pr-comment", "drift-issues"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export interface ActionInputs {
  command: ActionCommand;
  dryRun: boolean;
  policiesDirectory: string;
  only?: string;
  concurrency: number;
  rate: number;
  maxChanges?: number;
  endpointUrl?: string;
  failOnDrift: boolean;
  githubToken?: string;
  /** pr-comment / drift-issues: the plan JSON an earlier plan step wrote. */
  planPath?: string;
  /** pr-comment: where the full plan is when the comment has to be cut (an artifact URL). */
  fullPlanUrl?: string;
}

export interface InputDefaults {
  concurrency: number;
  rate: number;
}

/**
 * The runner's convention: `INPUT_` + the name upper-cased with spaces as `_` (dashes are kept).
 * An input given as an empty expression arrives as "": that means "not set" here.
 */
export function readInput(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function readActionInputs(env: NodeJS.ProcessEnv, defaults: InputDefaults): ActionInputs {
  const command = readInput(env, "command") ?? "plan";
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new InputError(
      `input command is one of ${ACTION_COMMANDS.join(", ")}, not "${command}".`,
    );
  }
  const optional = <T>(name: string, parse: (value: string) => T): T | undefined => {
    const value = readInput(env, name);
    return value === undefined ? undefined : parse(value);
  };
  const only = readInput(env, "only");
  const maxChanges = optional("max-changes", wholeNumber("max-changes", 0));
  const endpointUrl = readInput(env, "endpoint-url");
  const githubToken = readInput(env, "github-token");
  const planPath = readInput(env, "plan-path");
  const fullPlanUrl = readInput(env, "full-plan-url");
  return {
    command: command as ActionCommand,
    dryRun: optional("dry-run", boolean("dry-run")) ?? false,
    policiesDirectory: readInput(env, "policies-directory") ?? "policies",
    ...(only !== undefined ? { only } : {}),
    concurrency: optional("concurrency", wholeNumber("concurrency", 1)) ?? defaults.concurrency,
    rate: optional("rate", positiveNumber("rate")) ?? defaults.rate,
    ...(maxChanges !== undefined ? { maxChanges } : {}),
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    failOnDrift: optional("fail-on-drift", boolean("fail-on-drift")) ?? false,
    ...(githubToken !== undefined ? { githubToken } : {}),
    ...(planPath !== undefined ? { planPath } : {}),
    ...(fullPlanUrl !== undefined ? { fullPlanUrl } : {}),
  };
}

/** The YAML 1.2 core schema booleans, as `@actions/core`'s getBooleanInput accepts them. */
function boolean(name: string) {
  return (value: string): boolean => {
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    throw new InputError(`input ${name} is true or false, not "${value}".`);
  };
}

function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InputError(
        `input ${name} takes a whole number of at least ${min}, not "${value}".`,
      );
    }
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new InputError(`input ${name} takes a number greater than 0, not "${value}".`);
    }
    return n;
  };
}
