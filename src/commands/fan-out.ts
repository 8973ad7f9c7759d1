// `s3ap accounts` (the shards of a fan-out run, as GitHub Actions matrix input) and
// `s3ap merge-plans` (the shard plans merged into the plan one job would have made).
import { resolve } from "node:path";
import type { Command } from "commander";
import { mergePlans } from "../reconcile/merge-plans.js";
import { MAX_MATRIX_JOBS } from "../reconcile/shards.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { terminalText } from "../report/sinks/terminal.js";
import {
  computeShards,
  listPlanFiles,
  mergedExitCode,
  missingShardsText,
  readPlans,
  readShardAccounts,
  type ShardMatrix,
} from "../run/fan-out.js";
import { parseNumber } from "../run/number-option.js";
import { type AnyOption, oneOf, RECONCILE_OPTIONS } from "../run/options.js";
import { addFlags } from "./flags.js";
import type { CommandIO } from "./io.js";

interface AccountsFlags {
  dir: string;
  repo?: string;
  ref?: string;
  only?: string;
  maxShards: number;
  format: "text" | "json";
}

interface MergeFlags {
  shards?: string;
  format: "text" | "json" | "markdown";
  out?: string;
}

export function registerFanOut(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  addFlags(
    program
      .command("accounts")
      .description(
        "offline: the accounts of the policy files, one shard each (--format json: a GitHub Actions matrix)",
      ),
    ACCOUNTS_OPTIONS,
  ).action(async (flags: AccountsFlags) => onExit(await runAccounts(flags, io)));

  addFlags(
    program
      .command("merge-plans")
      .description(
        "merge the plan JSON of a fan-out run's shards into one plan (exit as plan: 0, 1 or 2)",
      )
      .argument("<plans...>", "plan JSON files, or folders holding them (downloaded artifacts)"),
    MERGE_OPTIONS,
  ).action(async (plans: string[], flags: MergeFlags) =>
    onExit(await runMergePlans(plans, flags, io)),
  );
}

const text = (value: string): string => value;

const ACCOUNTS_OPTIONS: ReadonlyArray<readonly [string, AnyOption]> = [
  ["dir", RECONCILE_OPTIONS.dir],
  ["repo", RECONCILE_OPTIONS.repo],
  ["ref", RECONCILE_OPTIONS.ref],
  ["only", RECONCILE_OPTIONS.only],
  [
    "maxShards",
    {
      kind: "value",
      flag: "--max-shards <n>",
      description: `pack accounts into at most N shards (GitHub runs at most ${MAX_MATRIX_JOBS} jobs per matrix)`,
      commands: [],
      parse: (value, label) => parseNumber(value, label, { whole: true, min: 1 }),
      default: MAX_MATRIX_JOBS,
    },
  ],
  [
    "format",
    {
      kind: "value",
      flag: "--format <format>",
      description: "text | json (one line: a GitHub Actions matrix)",
      commands: [],
      parse: oneOf(["text", "json"] as const),
      default: "text",
    },
  ],
];

const MERGE_OPTIONS: ReadonlyArray<readonly [string, AnyOption]> = [
  [
    "shards",
    {
      kind: "value",
      flag: "--shards <file>",
      description: "the `s3ap accounts --format json` output: names the shards that left no plan",
      commands: [],
      parse: text,
    },
  ],
  [
    "format",
    {
      kind: "value",
      flag: "--format <format>",
      description: "text | json | markdown",
      commands: [],
      parse: oneOf(["text", "json", "markdown"] as const),
      default: "text",
    },
  ],
  [
    "out",
    {
      kind: "value",
      flag: "--out <file>",
      description: "also write the merged plan as JSON to this file",
      commands: [],
      parse: text,
    },
  ],
];

async function runAccounts(flags: AccountsFlags, io: CommandIO): Promise<number> {
  const { shards, problems } = await computeShards(flags, io.cwd);
  if (problems !== "") {
    io.stderr(problems);
    io.stderr("s3ap: the policy files have problems; no shards were computed.\n");
    return 1;
  }
  if (flags.format === "json") {
    // One line, so a workflow step can write it to GITHUB_OUTPUT as it is.
    io.stdout(`${JSON.stringify({ include: shards } satisfies ShardMatrix)}\n`);
    return 0;
  }
  const width = Math.max(...shards.map((s) => s.shard.length), 5);
  io.stdout(`${"SHARD".padEnd(width)}  ACCESS POINTS  REGIONS\n`);
  for (const shard of shards) {
    io.stdout(
      `${terminalText(shard.shard.padEnd(width))}  ${String(shard.accessPoints).padStart(13)}  ${terminalText(shard.regions.join(", "))}\n`,
    );
  }
  return 0;
}

async function runMergePlans(paths: string[], flags: MergeFlags, io: CommandIO): Promise<number> {
  const plans = readPlans(listPlanFiles(paths, io.cwd));
  const expected = flags.shards !== undefined ? readShardAccounts(flags.shards, io.cwd) : undefined;
  const merged = mergePlans(plans, expected);
  const json = `${JSON.stringify(merged, null, 2)}\n`;
  if (flags.out !== undefined) {
    const { writeFile, rename } = await import("node:fs/promises");
    const target = resolve(io.cwd, flags.out);
    const temporary = `${target}.${process.pid}.s3ap-tmp`;
    await writeFile(temporary, json, { flag: "wx", mode: 0o600 });
    await rename(temporary, target);
  }
  if (flags.format === "json") io.stdout(json);
  else if (flags.format === "markdown") io.stdout(renderPlanMarkdown(merged));
  else io.stdout(renderPlanText(merged, { color: false }));
  const missing = missingShardsText(merged);
  if (missing !== "") io.stderr(`s3ap: ${terminalText(missing.trim())}\n`);
  return mergedExitCode(merged);
}
