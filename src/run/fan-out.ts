// The fan-out logic both entries share: the shards of a tree, and reading and judging the shard
// plans of a matrix (the CLI's accounts / merge-plans commands, the Action's commands of the
// same names).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { hasDrift } from "../reconcile/exit-code.js";
import type { MergedPlan, PlanDocument } from "../reconcile/merge-plans.js";
import { selectOnly } from "../reconcile/reconcile.js";
import { type Shard, shardsOf } from "../reconcile/shards.js";
import { renderProblemsText } from "../report/problems-text.js";
import { openSource } from "../source/git-source.js";
import { loadDesiredState } from "../validate/load-desired-state.js";
import { problemsFail } from "../validate/severity.js";

/** The matrix GitHub Actions takes with `strategy.matrix: ${{ fromJSON(...) }}`. */
export interface ShardMatrix {
  include: Shard[];
}

export interface ShardRequest {
  dir: string;
  repo?: string;
  ref?: string;
  only?: string;
  maxShards: number;
}

export async function computeShards(
  flags: ShardRequest,
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
    // Warnings do not stop a plan (only with --strict, which each shard's plan applies itself),
    // so they must not stop the shards either: fan-out would refuse what one job plans.
    if (problemsFail(state.problems, false)) {
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
