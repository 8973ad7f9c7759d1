// Every option of `plan` and `apply`, declared once with its action input (or the reason the
// Action does without it). The CLI registers its flags from these tables (commands/) and the
// Action reads its INPUT_* variables from them (github/action-inputs.ts), so the two cannot drift.

import { externalIdProblem, roleTemplateProblem } from "../access-point/role-arn.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../aws/request-timeout.js";
import { InputError } from "../errors.js";
import { parseAccountList } from "../reconcile/shards.js";
import { parseEndpointUrl } from "./endpoint-url.js";
import { parseNumber } from "./number-option.js";

export const DEFAULT_CONCURRENCY = 16;

export type RunCommand = "plan" | "apply";

export const REPORT_FORMATS = ["text", "json", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What one plan/apply run needs, whichever entry started it. */
export interface ReconcileOptions {
  dir: string;
  repo?: string;
  ref?: string;
  only?: string;
  /** Only these accounts: one shard of a fan-out run. */
  account?: string[];
  /** Role ARN template assumed in each account; ExternalId sent with it. */
  roleArn?: string;
  externalId?: string;
  endpointUrl?: string;
  concurrency: number;
  /** A ceiling in requests/s per (account, region); none by default: the rate adapts. */
  rate?: number;
  requestTimeoutMs: number;
  maxChanges?: number;
  allowDirty: boolean;
  dryRun: boolean;
  verbose: boolean;
  /** List the access points no file declares in the pairs the files use (plan JSON unmanaged). */
  discover: boolean;
  /** Ask IAM Access Analyzer too (charged per check). */
  accessAnalyzer: boolean;
  /** Warnings in the policy files fail the run like errors. */
  strict: boolean;
}

/** How the CLI prints. The Action always writes every form: log, job summary, plan-path JSON. */
export interface CliReportOptions {
  format: ReportFormat;
  out?: string;
  color: boolean;
}

interface Declared {
  /** The flag as commander takes it: "--rate <n>", "--allow-dirty", "--no-color". */
  flag: string;
  description: string;
  /** The CLI commands that have it (on the Action, its command input picks plan or apply). */
  commands: readonly RunCommand[];
}

export interface ValueOption<T> extends Declared {
  kind: "value";
  /** `label` is how the user wrote the option: "--rate" or "input rate". */
  parse: (value: string, label: string) => T;
  default?: T;
}

export interface SwitchOption extends Declared {
  kind: "switch";
  default: boolean;
}

type OptionOf<T> = [T] extends [boolean] ? SwitchOption : ValueOption<T>;

/** An option of both entries: the action input `input` does what the flag does. */
export type SharedOption<T> = OptionOf<T> & { input: string };

/** A CLI-only option, with the reason the Action does without it (shown in tests and docs). */
export type CliOnlyOption<T> = OptionOf<T> & { noInput: string };

export type AnyOption = (SwitchOption | ValueOption<unknown>) & {
  input?: string;
  noInput?: string;
};

const text = (value: string): string => value;
const BOTH = ["plan", "apply"] as const;
const APPLY = ["apply"] as const;

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string, label: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InputError(`${label} is one of ${choices.join(", ")}, not "${value}".`);
    }
    return value as T;
  };
}

export const RECONCILE_OPTIONS: {
  [K in keyof ReconcileOptions]-?: SharedOption<NonNullable<ReconcileOptions[K]>>;
} = {
  dir: {
    kind: "value",
    flag: "--dir <dir>",
    input: "policies-directory",
    description: "policies directory",
    commands: BOTH,
    parse: text,
    default: "policies",
  },
  repo: {
    kind: "value",
    flag: "--repo <path|url>",
    input: "repo",
    description: "read the desired state from this git repository (a URL is cloned shallowly)",
    commands: BOTH,
    parse: text,
  },
  ref: {
    kind: "value",
    flag: "--ref <ref>",
    input: "ref",
    description: "read the desired state at this git revision",
    commands: BOTH,
    parse: text,
  },
  only: {
    kind: "value",
    flag: "--only <glob>",
    input: "only",
    description: "only access points whose name, file, account/region/name or ARN match",
    commands: BOTH,
    parse: text,
  },
  account: {
    kind: "value",
    flag: "--account <ids>",
    input: "account",
    description: "only these accounts (12-digit ids, comma-separated): one shard of a fan-out run",
    commands: BOTH,
    parse: (value, label) => parseAccountList(value, label),
  },
  roleArn: {
    kind: "value",
    flag: "--role-arn <template>",
    input: "role-arn",
    description:
      "assume this role in each account; ${accountId} and ${partition} are replaced (or S3AP_ROLE_ARN)",
    commands: BOTH,
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
    commands: BOTH,
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
    commands: BOTH,
    parse: parseEndpointUrl,
  },
  concurrency: {
    kind: "value",
    flag: "--concurrency <n>",
    input: "concurrency",
    description:
      "requests in flight at once per account and region (all accounts proceed at once; at " +
      "most 256 in all)",
    commands: BOTH,
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
    commands: BOTH,
    parse: (value, label) => parseNumber(value, label, { whole: false, greaterThan: 0 }),
  },
  requestTimeoutMs: {
    kind: "value",
    flag: "--request-timeout-ms <ms>",
    input: "request-timeout-ms",
    description: "abort and retry a request with no complete answer after this long",
    commands: BOTH,
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 1 }),
    default: DEFAULT_REQUEST_TIMEOUT_MS,
  },
  maxChanges: {
    kind: "value",
    flag: "--max-changes <n>",
    input: "max-changes",
    description: "refuse, writing nothing, when more than N writes are planned",
    commands: APPLY,
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 0 }),
  },
  allowDirty: {
    kind: "switch",
    flag: "--allow-dirty",
    input: "allow-dirty",
    description: "apply even with uncommitted changes under the policies directory",
    commands: APPLY,
    default: false,
  },
  dryRun: {
    kind: "switch",
    flag: "--dry-run",
    input: "dry-run",
    description: "plan only: never write (exit 2: changes pending)",
    commands: APPLY,
    default: false,
  },
  verbose: {
    kind: "switch",
    flag: "-v, --verbose",
    input: "verbose",
    description: "also list access points that are in sync, and say how AWS is reached",
    commands: BOTH,
    default: false,
  },
  discover: {
    kind: "switch",
    flag: "--no-discover",
    input: "discover",
    description:
      "do not list the access points that no file declares (listing needs s3:ListAccessPoints)",
    commands: BOTH,
    default: true,
  },
  accessAnalyzer: {
    kind: "switch",
    flag: "--access-analyzer",
    input: "access-analyzer",
    description:
      "also ask IAM Access Analyzer: ValidatePolicy, CheckNoPublicAccess, CheckNoNewAccess (charged per check)",
    commands: BOTH,
    default: false,
  },
  strict: {
    kind: "switch",
    flag: "--strict",
    input: "strict",
    description: "fail on warnings in the policy files too, not only on errors",
    commands: BOTH,
    default: false,
  },
};

export const CLI_REPORT_OPTIONS: {
  [K in keyof CliReportOptions]-?: CliOnlyOption<NonNullable<CliReportOptions[K]>>;
} = {
  format: {
    kind: "value",
    flag: "--format <format>",
    noInput:
      "the Action writes every format at once: text to the log, Markdown to the job summary, " +
      "JSON to the file named by its plan-path output",
    description: REPORT_FORMATS.join(" | "),
    commands: BOTH,
    parse: oneOf(REPORT_FORMATS),
    default: "text",
  },
  out: {
    kind: "value",
    flag: "--out <file>",
    noInput: "the Action always writes the plan JSON, to the file named by its plan-path output",
    description: "also write the plan as JSON to this file",
    commands: BOTH,
    parse: text,
  },
  color: {
    kind: "switch",
    flag: "--no-color",
    noInput: "the Action never colours: job summaries and annotations show no ANSI colour",
    description: "no ANSI colours (also NO_COLOR)",
    commands: BOTH,
    default: true,
  },
};

/** Every plan/apply option in the order `--help` lists them. */
export const ALL_OPTIONS: ReadonlyArray<readonly [string, AnyOption]> = [
  ...Object.entries(RECONCILE_OPTIONS),
  ...Object.entries(CLI_REPORT_OPTIONS),
] as ReadonlyArray<readonly [string, AnyOption]>;
