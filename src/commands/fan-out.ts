// `s3ap accounts` (the shards of a fan-out run, as GitHub Actions matrix input) and
// `s3ap merge-plans` (the shard plans merged into the plan one job would have made).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { hasDrift } from "../reconcile/exit-code.js";
import { type MergedPlan, mergePlans, type PlanDocument } from "../reconcile/merge-plans.js";
import { selectOnly } from "../reconcile/reconcile.js";
import { MAX_MATRIX_JOBS, type Shard, shardsOf } from "../reconcile/shards.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { openSource } from "../source/git-source.js";
import { loadDesiredState } from "../validate/load-desired-state.js";
import type { CommandIO } from "./io.js";
import { oneOf, positiveInteger } from "./options.js";

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

/** The matrix GitHub Actions takes with `strategy.matrix: ${{ fromJSON(...) }}`. */
export interface ShardMatrix {
  include: Shard[];
}

export function registerFanOut(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  program
    .command("accounts")
    .description(
      "offline: the accounts of the policy files, one shard each (--format json: a GitHub Actions matrix)",
    )
    .option("--dir <dir>", "policies directory", "policies")
    .option("--repo <path|url>", "read the files from this git repository")
    .option("--ref <ref>", "read the files at this git revision")
    .option(
      "--only <glob>",
      "only access points whose name, file, account/region/name or ARN match",
    )
    .option(
      "--max-shards <n>",
      `pack accounts into at most N shards (GitHub runs at most ${MAX_MATRIX_JOBS} jobs per matrix)`,
      positiveInteger("--max-shards"),
      MAX_MATRIX_JOBS,
    )
    .option(
      "--format <format>",
      "text | json",
      oneOf("--format", ["text", "json"] as const),
      "text",
    )
    .action(async (flags: AccountsFlags) => onExit(await runAccounts(flags, io)));

  program
    .command("merge-plans")
    .description(
      "merge the plan JSON of a fan-out run's shards into one plan (exit as plan: 0, 1 or 2)",
    )
    .argument("<plans...>", "plan JSON files, or folders holding them (downloaded artifacts)")
    .option("--shards <file>", "the `s3ap accounts --format json` output: names failed shards")
    .option(
      "--format <format>",
      "text | json | markdown",
      oneOf("--format", ["text", "json", "markdown"] as const),
      "text",
    )
    .option("--out <file>", "also write the merged plan as JSON to this file")
    .action(async (plans: string[], flags: MergeFlags) =>
      onExit(await runMergePlans(plans, flags, io)),
    );
}

export async function computeShards(
  flags: Omit<AccountsFlags, "format">,
  cwd: string,
): Promise<{ shards: Shard[]; problems: string }> {
  const source = await openSource({
    cwd,
    dir: flags.dir,
    ...(flags.repo !== undefined ? { repo: flags.repo } : {}),
    ...(flags.ref !== undefined ? { ref: flags.ref } : {}),
  });
  try {
    const state = await loadDesiredState(source);
    if (state.problems.length > 0) {
      const workingTree = flags.repo === undefined && flags.ref === undefined;
      return {
        shards: [],
        problems: renderProblemsText(state.problems, source, workingTree ? cwd : source.root),
      };
    }
    const selected = selectOnly(state.desired, flags.only);
    if (selected.length === 0) {
      throw new InputError(
        flags.only !== undefined
          ? `--only ${flags.only} matches no access point`
          : "the policies directory declares no access point",
      );
    }
    return { shards: shardsOf(selected, flags.maxShards), problems: "" };
  } finally {
    await source.close();
  }
}

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
      `${shard.shard.padEnd(width)}  ${String(shard.accessPoints).padStart(13)}  ${shard.regions.join(", ")}\n`,
    );
  }
  return 0;
}

/** Plan JSON files named on the command line; folders are searched (artifact downloads). */
export function listPlanFiles(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const child = join(path, entry);
        if (statSync(child).isDirectory() || entry.endsWith(".json")) walk(child);
      }
    } else files.push(path);
  };
  for (const path of paths) {
    try {
      walk(resolve(cwd, path));
    } catch {
      throw new InputError(`${path}: no such plan file or folder`);
    }
  }
  return files;
}

export function readPlans(files: readonly string[]): { name: string; plan: PlanDocument }[] {
  return files.map((file) => {
    try {
      return { name: file, plan: JSON.parse(readFileSync(file, "utf8")) as PlanDocument };
    } catch (error) {
      throw new InputError(`${file} is not JSON: ${(error as Error).message}`);
    }
  });
}

export function readShardAccounts(file: string, cwd: string): string[] {
  let matrix: ShardMatrix;
  try {
    matrix = JSON.parse(readFileSync(resolve(cwd, file), "utf8")) as ShardMatrix;
  } catch (error) {
    throw new InputError(`--shards ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(matrix?.include)) {
    throw new InputError(`--shards ${file} is not the output of s3ap accounts --format json`);
  }
  return matrix.include.flatMap((shard) => String(shard.accounts).split(","));
}

/** 1: errors, failed writes or shards with no plan; 2: drift pending (no results); else 0. */
export function mergedExitCode(merged: MergedPlan): 0 | 1 | 2 {
  if ((merged.missingAccounts?.length ?? 0) > 0 || merged.summary.error > 0) return 1;
  if (merged.results !== undefined) {
    return merged.results.some((r) => (r as { status?: string }).status === "failed") ? 1 : 0;
  }
  return hasDrift(merged) ? 2 : 0;
}

export function missingShardsText(merged: MergedPlan): string {
  const missing = merged.missingAccounts ?? [];
  if (missing.length === 0) return "";
  return (
    `${missing.length} account(s) have no shard plan (their jobs failed): ${missing.join(", ")}. ` +
    "Their access points are not in this plan, and their drift issues are left as they are.\n"
  );
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
  if (missing !== "") io.stderr(`s3ap: ${missing}`);
  return mergedExitCode(merged);
}
