// Every command of s3ap: its options (picked from the groups of run/options.ts) and whether the
// Action runs it too, or why it does not. The CLI builds its commands from this table, the Action
// reads the inputs of its command from it, and the parity test runs every command both have.

import type { Mode } from "../model.js";
import { MAX_MATRIX_JOBS } from "../reconcile/shards.js";
import { parseNumber } from "./number-option.js";
import {
  type AnyOption,
  APPLY_COMMAND_OPTIONS,
  AWS_OPTIONS,
  type AwsOptions,
  CHECK_OPTIONS,
  type FailOnCondition,
  formatOption,
  LOG_OPTIONS,
  type LogOptions,
  type OptionTable,
  oneOf,
  PLAN_OPTIONS,
  REPORT_OPTIONS,
  type ReportOptions,
  SELECT_OPTIONS,
  SOURCE_OPTIONS,
  type SourceOptions,
  shaped,
} from "./options.js";

export interface CommandSpec {
  description: string;
  /** Positional arguments, as commander takes them ("<plans...>"). */
  arguments?: { syntax: string; description: string };
  /** In --help order. */
  options: Record<string, AnyOption>;
  /** The Action's command of the same name runs it too, or the reason the Action has none. */
  action: { same: true } | { none: string };
}

// --- validate -------------------------------------------------------------------------------

export const VALIDATE_FORMATS = ["text", "json", "sarif"] as const;

export interface ValidateOptions extends SourceOptions {
  strict: boolean;
  format: (typeof VALIDATE_FORMATS)[number];
}

export const VALIDATE_OPTIONS: OptionTable<ValidateOptions> = {
  ...SOURCE_OPTIONS,
  strict: CHECK_OPTIONS.strict,
  format: formatOption(
    VALIDATE_FORMATS,
    undefined,
    "the Action has no validate command: plan and apply validate first",
  ),
};

// --- import ---------------------------------------------------------------------------------

const IMPORT_IS_CLI_ONLY =
  "import is a CLI command only: it writes files into the working tree for review";
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const OUTPOST_ID = /^op-[0-9a-f]{17}$/;

export interface ImportOptions extends AwsOptions, LogOptions {
  account?: string[];
  region?: string[];
  outpostId?: string[];
  dir: string;
  only?: string[];
  mode: Mode;
  dryRun: boolean;
  strict: boolean;
}

export const IMPORT_OPTIONS: OptionTable<ImportOptions> = {
  account: {
    ...SELECT_OPTIONS.account,
    description: "account id(s) to list: repeat or separate with commas",
  },
  region: {
    kind: "list",
    flag: "--region <regions>",
    noInput: IMPORT_IS_CLI_ONLY,
    description: "region(s) to list: repeat or separate with commas",
    parse: shaped((item) => REGION.test(item), "eu-west-1"),
    spaces: true,
  },
  outpostId: {
    kind: "list",
    flag: "--outpost-id <ids>",
    noInput: IMPORT_IS_CLI_ONLY,
    description: "also import the access points of these Outposts",
    parse: shaped((item) => OUTPOST_ID.test(item), "op-0123456789abcdef0"),
    spaces: true,
  },
  dir: {
    ...SOURCE_OPTIONS.dir,
    description: "policies directory (files go to <dir>/<account>/<region>/<name>.yaml)",
  },
  only: {
    ...SELECT_OPTIONS.only,
    description: "only access points whose name, account/region/name or ARN match (any of them)",
  },
  mode: {
    kind: "value",
    flag: "--mode <mode>",
    noInput: IMPORT_IS_CLI_ONLY,
    description: "mode written into every file: enforce | observe",
    parse: oneOf(["enforce", "observe"] as const),
    default: "enforce",
  },
  dryRun: {
    ...APPLY_COMMAND_OPTIONS.dryRun,
    description: "print what would be written; write nothing",
  },
  ...AWS_OPTIONS,
  verbose: {
    ...LOG_OPTIONS.verbose,
    description: "also list the access points skipped because a file declares them",
  },
  strict: {
    ...CHECK_OPTIONS.strict,
    description: "exit 1 for warnings in the written files too, not only for errors",
  },
};

// --- accounts -------------------------------------------------------------------------------

export interface AccountsOptions extends SourceOptions {
  only?: string[];
  maxShards: number;
  format: "text" | "json";
}

export const ACCOUNTS_OPTIONS: OptionTable<AccountsOptions> = {
  ...SOURCE_OPTIONS,
  only: SELECT_OPTIONS.only,
  maxShards: {
    kind: "value",
    flag: "--max-shards <n>",
    noInput: `the Action packs accounts into at most ${MAX_MATRIX_JOBS} shards, GitHub's matrix limit`,
    description: `pack accounts into at most N shards (GitHub runs at most ${MAX_MATRIX_JOBS} jobs per matrix)`,
    parse: (value, label) => parseNumber(value, label, { whole: true, min: 1 }),
    default: MAX_MATRIX_JOBS,
  },
  format: formatOption(
    ["text", "json"] as const,
    "text | json (one line: a GitHub Actions matrix)",
    "the Action writes the matrix to its matrix output and a table to the job summary",
  ),
};

// --- merge-plans ----------------------------------------------------------------------------

export interface MergeOptions extends Pick<ReportOptions, "format" | "out"> {
  shards?: string;
  /** As plan's: the merged plan fails on what a shard's plan failed on. */
  failOn?: FailOnCondition[];
}

export const MERGE_OPTIONS: OptionTable<MergeOptions> = {
  shards: {
    kind: "value",
    flag: "--shards <file>",
    input: "shards",
    description:
      "the output of s3ap accounts --format json (the Action: the matrix text itself): names " +
      "the shards that left no plan",
    parse: (value) => value,
  },
  failOn: CHECK_OPTIONS.failOn,
  format: REPORT_OPTIONS.format,
  out: { ...REPORT_OPTIONS.out, description: "also write the merged plan as JSON to this file" },
};

// --- init -----------------------------------------------------------------------------------

const INIT_IS_CLI_ONLY =
  "init writes files into a repository for review and a commit, once, when it is set up";

export interface InitOptions {
  dir: string;
  action?: string;
  dryRun: boolean;
}

export const INIT_OPTIONS: OptionTable<InitOptions> = {
  dir: {
    ...SOURCE_OPTIONS.dir,
    description: "the policies folder the workflows validate, plan and apply",
  },
  action: {
    kind: "value",
    flag: "--action <owner/repo@commit>",
    noInput: INIT_IS_CLI_ONLY,
    description:
      "the s3ap action the workflows run (default: the commit this s3ap was installed from)",
    parse: (value) => value,
  },
  dryRun: {
    ...APPLY_COMMAND_OPTIONS.dryRun,
    description: "print what would be written; write nothing",
  },
};

// --- the table ------------------------------------------------------------------------------

export const COMMANDS = {
  validate: {
    description:
      "offline: check every policy file against the schemas and lint rules (exit 1: invalid)",
    options: VALIDATE_OPTIONS,
    action: {
      none:
        "plan and apply validate first and annotate every problem; a workflow that wants only " +
        "the check runs the CLI (SARIF for code scanning)",
    },
  },
  plan: {
    description: "read-only: compare desired policies with live state (exit 2: changes pending)",
    options: { ...PLAN_OPTIONS, ...REPORT_OPTIONS },
    action: { same: true },
  },
  apply: {
    description: "write the drift, then read it back (--dry-run: plan only)",
    options: { ...APPLY_COMMAND_OPTIONS, ...REPORT_OPTIONS },
    action: { same: true },
  },
  import: {
    description:
      "write a policy file for every live access point that no file declares yet (exit 1: something to decide; warnings only with --strict)",
    options: IMPORT_OPTIONS,
    action: {
      none:
        "it writes files into the working tree for review and a commit, which a workflow step " +
        "would have to commit or open a pull request for; adoption is a one-time, reviewed step",
    },
  },
  accounts: {
    description:
      "offline: the accounts of the policy files, one shard each (--format json: a GitHub Actions matrix)",
    options: ACCOUNTS_OPTIONS,
    action: { same: true },
  },
  init: {
    description:
      "set up a repository of policies: the workflows (pinned to this s3ap's commit), s3ap.yaml and a README; never overwrites",
    options: INIT_OPTIONS,
    action: {
      none:
        "it writes the workflows themselves, once, into the repository being set up, for review " +
        "and a commit",
    },
  },
  "merge-plans": {
    description:
      "merge the plan JSON of a fan-out run's shards into one plan (exit as plan: 0, 1 or 2)",
    arguments: {
      syntax: "<plans...>",
      description: "plan JSON files, or folders holding them (downloaded artifacts)",
    },
    options: MERGE_OPTIONS,
    action: { same: true },
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
