// Every option of every command, declared once, in the groups that commands pick (source, select,
// AWS, checks, apply, log, report; run/commands.ts says which command has which). The CLI registers
// its flags from these tables (commands/flags.ts) and the Action reads its INPUT_* variables from
// the same ones (github/action-inputs.ts): one name, parser, default and meaning for both.

import { isAccountId } from "../access-point/account-id.js";
import { compileOnly } from "../access-point/only-pattern.js";
import { externalIdProblem, roleTemplateProblem } from "../access-point/role-arn.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../aws/request-timeout.js";
import { InputError } from "../errors.js";
import { parseEndpointUrl } from "./endpoint-url.js";
import { parseNumber } from "./number-option.js";

export const DEFAULT_CONCURRENCY = 32;

interface Declared {
  /** The flag as commander takes it: "--rate <n>", "--allow-dirty", "--no-color". */
  flag: string;
  description: string;
}

/** The action input that does what the flag does, or the reason the Action does without one. */
type ActionSide = { input: string; noInput?: never } | { noInput: string; input?: never };

export interface ValueOption<T> {
  kind: "value";
  /** `label` is how the user wrote the option: "--rate" or "input rate". */
  parse: (value: string, label: string) => T;
  default?: T;
}

/**
 * Several values: the flag may be repeated, and each flag value or the input may hold a list
 * (run/list-value.ts). Each item is parsed on its own.
 */
export interface ListOption<T> {
  kind: "list";
  parse: (item: string, label: string) => T;
  /** Blanks separate items too (account ids); not for globs, which may hold a space. */
  spaces: boolean;
  /** None: no value selects everything. */
  default?: never;
}

export interface SwitchOption {
  kind: "switch";
  default: boolean;
}

export type Option<T> = Declared &
  ActionSide &
  ([T] extends [boolean]
    ? SwitchOption
    : [T] extends [readonly (infer I)[]]
      ? ListOption<I>
      : ValueOption<T>);

export type AnyOption = Declared &
  ActionSide &
  (SwitchOption | ValueOption<unknown> | ListOption<unknown>);

/** An option for every key of T, with T's value type. */
export type OptionTable<T> = { [K in keyof T]-?: Option<NonNullable<T[K]>> };

const text = (value: string): string => value;

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string, label: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InputError(`${label} is one of ${choices.join(", ")}, not "${value}".`);
    }
    return value as T;
  };
}

/** An item of a list option that must match `valid`; the message shows an example. */
export function shaped(valid: (item: string) => boolean, example: string) {
  return (item: string, label: string): string => {
    if (!valid(item)) throw new InputError(`${label} takes values like ${example}, not "${item}".`);
    return item;
  };
}

// ---------------------------------------------------------------------------------------------
// Source: where the desired state is read from.

export interface SourceOptions {
  dir: string;
  repo?: string;
  ref?: string;
}

export const SOURCE_OPTIONS: OptionTable<SourceOptions> = {
  dir: {
    kind: "value",
    flag: "--dir <dir>",
    input: "policies-directory",
    description: "policies directory",
    parse: text,
    default: "policies",
  },
  repo: {
    kind: "value",
    flag: "--repo <path|url>",
    input: "repo",
    description: "read the desired state from this git repository (a URL is cloned shallowly)",
    parse: text,
  },
  ref: {
    kind: "value",
    flag: "--ref <ref>",
    input: "ref",
    description: "read the desired state at this git revision",
    parse: text,
  },
};

// ---------------------------------------------------------------------------------------------
// Base: the revision a plan compares the files with (three states: base, head, live).

export interface BaseOptions {
  base?: string;
}

export const BASE_OPTIONS: OptionTable<BaseOptions> = {
  base: {
    kind: "value",
    flag: "--base <ref>",
    input: "base",
    description:
      "the revision the change is measured from: each change is said to come from the files, " +
      "from live (drift) or both (default: HEAD, so uncommitted edits are the change)",
    parse: text,
  },
};

// ---------------------------------------------------------------------------------------------
// Select: which of the declared access points a run covers.

export interface SelectOptions {
  only?: string[];
  /** Only these accounts: one shard of a fan-out run. */
  account?: string[];
}

export const SELECT_OPTIONS: OptionTable<SelectOptions> = {
  only: {
    kind: "list",
    flag: "--only <glob>",
    input: "only",
    description:
      "only access points whose name, file, account/region/name or ARN match (repeat or " +
      "separate with commas: any of them)",
    // A pattern the matcher cannot take is a usage error now, not after the files are read.
    parse: (item, label) => {
      compileOnly(item, label);
      return item;
    },
    spaces: false,
  },
  account: {
    kind: "list",
    flag: "--account <ids>",
    input: "account",
    description:
      "only these accounts (12-digit ids; repeat or separate with commas): one shard of a " +
      "fan-out run",
    parse: shaped(isAccountId, "111122223333"),
    spaces: true,
  },
};

// ---------------------------------------------------------------------------------------------
// AWS: how S3 Control is reached.

export interface AwsOptions {
  /** Role ARN template assumed in each account; ExternalId sent with it. */
  roleArn?: string;
  externalId?: string;
  endpointUrl?: string;
  concurrency: number;
  /** A ceiling in requests/s per (account, region); none by default: the rate adapts. */
  rate?: number;
  requestTimeoutMs: number;
}

export const AWS_OPTIONS: OptionTable<AwsOptions> = {
  roleArn: {
    kind: "value",
    flag: "--role-arn <template>",
    input: "role-arn",
    description:
      "assume this role in each account; ${accountId} and ${partition} are replaced (or S3AP_ROLE_ARN)",
    parse: (value, label) => {
      const problem = roleTemplateProblem(value);
      if (problem !== undefined) throw new InputError(`${label}: ${problem}`);
      return value;
    },
  },
  externalId: {
    kind: "value",
    flag: "--external-id <id>",
    input: "external-id",
    description: "the ExternalId to pass with AssumeRole (or S3AP_EXTERNAL_ID)",
    parse: (value, label) => {
      const problem = externalIdProblem(value);
      if (problem !== undefined) throw new InputError(`${label}: ${problem}`);
      return value;
    },
  },
  endpointUrl: {
    kind: "value",
    flag: "--endpoint-url <url>",
    input: "endpoint-url",
    description: "send every S3 Control request to this URL (or AWS_ENDPOINT_URL_S3_CONTROL)",
    parse: parseEndpointUrl,
  },
  concurrency: {
    kind: "value",
    flag: "--concurrency <n>",
    input: "concurrency",
    description:
      "requests in flight at once per account and region (all accounts proceed at once; at " +
      "most 256 in all)",
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 1 }),
    default: DEFAULT_CONCURRENCY,
  },
  rate: {
    kind: "value",
    flag: "--rate <n>",
    input: "rate",
    description:
      "at most N requests per second per account and region (default: no ceiling; the rate " +
      "adapts to AWS throttling)",
    parse: (value, label) => parseNumber(value, label, { whole: false, greaterThan: 0 }),
  },
  requestTimeoutMs: {
    kind: "value",
    flag: "--request-timeout-ms <ms>",
    input: "request-timeout-ms",
    description: "abort and retry a request with no complete answer after this long",
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 1 }),
    default: DEFAULT_REQUEST_TIMEOUT_MS,
  },
};

// ---------------------------------------------------------------------------------------------
// Checks: what a run looks at besides the files and the live policies.

export interface CheckOptions {
  /** Warnings in the policy files fail the run like errors. */
  strict: boolean;
  /** List the access points no file declares in the pairs the files use (plan JSON unmanaged). */
  discover: boolean;
  /** Ask IAM Access Analyzer too (charged per check). */
  accessAnalyzer: boolean;
  /** Ask CloudTrail who made each drift (LookupEvents). */
  attributeDrift: boolean;
  /** How many days back CloudTrail is searched. */
  attributeDays: number;
  /** Conditions that fail the run besides errors: widens-outside-trust. */
  failOn?: FailOnCondition[];
}

export const FAIL_ON_CONDITIONS = ["widens-outside-trust"] as const;
export type FailOnCondition = (typeof FAIL_ON_CONDITIONS)[number];

export const CHECK_OPTIONS: OptionTable<CheckOptions> = {
  strict: {
    kind: "switch",
    flag: "--strict",
    input: "strict",
    description: "fail on warnings in the policy files too, not only on errors",
    default: false,
  },
  discover: {
    kind: "switch",
    flag: "--no-discover",
    input: "discover",
    description:
      "do not list the access points that no file declares (listing needs s3:ListAccessPoints)",
    default: true,
  },
  accessAnalyzer: {
    kind: "switch",
    flag: "--access-analyzer",
    input: "access-analyzer",
    description:
      "also ask IAM Access Analyzer: ValidatePolicy, CheckNoPublicAccess, CheckNoNewAccess (charged per check)",
    default: false,
  },
  attributeDrift: {
    kind: "switch",
    flag: "--attribute-drift",
    input: "attribute-drift",
    description:
      "ask CloudTrail who made each drift: who, when, from where, with which tool (needs cloudtrail:LookupEvents)",
    default: false,
  },
  attributeDays: {
    kind: "value",
    flag: "--attribute-days <days>",
    input: "attribute-days",
    description: "with --attribute-drift: how many days back CloudTrail is searched (1-90)",
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 1, max: 90 }),
    default: 7,
  },
  failOn: {
    kind: "list",
    flag: "--fail-on <condition>",
    input: "fail-on",
    description:
      "also fail (exit 1) when this holds: widens-outside-trust (a change or drift grants access outside s3ap.yaml's trust)",
    parse: oneOf(FAIL_ON_CONDITIONS),
    spaces: true,
  },
};

// ---------------------------------------------------------------------------------------------
// Apply: what may be written, and when apply refuses.

export interface ApplyGroupOptions {
  maxChanges?: number;
  allowDirty: boolean;
  dryRun: boolean;
  /** Write only the drift s3ap.yaml `remediate` says to revert. */
  remediate: boolean;
}

export const APPLY_OPTIONS: OptionTable<ApplyGroupOptions> = {
  maxChanges: {
    kind: "value",
    flag: "--max-changes <n>",
    input: "max-changes",
    description: "refuse, writing nothing, when more than N writes are planned",
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 0 }),
  },
  allowDirty: {
    kind: "switch",
    flag: "--allow-dirty",
    input: "allow-dirty",
    description: "apply even with uncommitted changes under the policies directory",
    default: false,
  },
  dryRun: {
    kind: "switch",
    flag: "--dry-run",
    input: "dry-run",
    description: "plan only: never write (exit 2: changes pending)",
    default: false,
  },
  remediate: {
    kind: "switch",
    flag: "--remediate",
    input: "remediate",
    description:
      "write only the drift that s3ap.yaml's remediate says to revert, and report the rest (scheduled runs)",
    default: false,
  },
};

// ---------------------------------------------------------------------------------------------
// Log: how much a run says.

export interface LogOptions {
  verbose: boolean;
}

export const LOG_OPTIONS: OptionTable<LogOptions> = {
  verbose: {
    kind: "switch",
    flag: "-v, --verbose",
    input: "verbose",
    description: "also list access points that are in sync, and say how AWS is reached",
    default: false,
  },
};

// ---------------------------------------------------------------------------------------------
// Report: how the CLI prints. The Action always writes every form at once (log, job summary,
// plan JSON at its plan-path output), so these are the CLI's alone.

export const REPORT_FORMATS = ["text", "json", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FORMAT_NO_INPUT =
  "the Action writes every format at once: text to the log, Markdown to the job summary, " +
  "JSON to the file named by its plan-path output";

/** `--format`, declared once: each command names the formats it prints. */
export function formatOption<F extends string>(
  formats: readonly F[],
  description: string = formats.join(" | "),
  noInput: string = FORMAT_NO_INPUT,
): Option<F> {
  const first = formats[0];
  if (first === undefined) throw new Error("--format needs at least one format");
  return {
    kind: "value",
    flag: "--format <format>",
    noInput,
    description,
    parse: oneOf(formats),
    default: first,
  } as Option<F>;
}

export interface ReportOptions {
  format: ReportFormat;
  out?: string;
  color: boolean;
}

export const REPORT_OPTIONS: OptionTable<ReportOptions> = {
  format: formatOption(REPORT_FORMATS),
  out: {
    kind: "value",
    flag: "--out <file>",
    noInput: "the Action always writes the plan JSON, to the file named by its plan-path output",
    description: "also write the plan as JSON to this file",
    parse: text,
  },
  color: {
    kind: "switch",
    flag: "--no-color",
    noInput: "the Action never colours: job summaries and annotations show no ANSI colour",
    description: "no ANSI colours (also NO_COLOR)",
    default: true,
  },
};

// ---------------------------------------------------------------------------------------------
// plan and apply: the groups together.

/** What one plan run needs, whichever entry started it. */
export type PlanOptions = SourceOptions &
  BaseOptions &
  SelectOptions &
  AwsOptions &
  CheckOptions &
  LogOptions;
/** apply: a plan's options and the apply group. */
export type ApplyOptions = PlanOptions & ApplyGroupOptions;

export const PLAN_OPTIONS: OptionTable<PlanOptions> = {
  ...SOURCE_OPTIONS,
  ...BASE_OPTIONS,
  ...SELECT_OPTIONS,
  ...AWS_OPTIONS,
  ...LOG_OPTIONS,
  ...CHECK_OPTIONS,
};

export const APPLY_COMMAND_OPTIONS: OptionTable<ApplyOptions> = {
  ...PLAN_OPTIONS,
  ...APPLY_OPTIONS,
};

/** The label an option goes by in a message: its long flag (the Action: "input NAME"). */
export function longFlag(option: Pick<AnyOption, "flag">): string {
  return option.flag.split(/[ ,]+/).find((part) => part.startsWith("--")) ?? option.flag;
}
