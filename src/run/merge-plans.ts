// `merge-plans` for any entry: the plan JSON of a fan-out run's shards, read and checked, merged
// into the plan one job would have made, with the accounts whose shard left no plan.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { accessPointKey } from "../access-point/arn.js";
import { InputError } from "../errors.js";
import { mergePlans } from "../reconcile/merge-plans.js";
import type { ApplyResult, MergedPlan, PlanDocument } from "../reconcile/types.js";
import { hasDrift } from "../reconcile/types.js";
import type { RunStats } from "../report/apply-text.js";
import type { OptionNames } from "../report/refusal-text.js";
import { failsOn } from "./exit-code.js";
import type { FailOnCondition } from "./options.js";
import { checkedMatrix, checkedPlan, readText } from "./plan-file.js";

export interface MergeRequest {
  /** Plan JSON files, or folders holding them (downloaded artifacts). */
  paths: readonly string[];
  cwd: string;
  /** The accounts step's matrix: a file (the CLI's --shards) or its text (the Action's input). */
  shards?: { file: string } | { text: string };
  /** The commit the shards ran at, for a merge to which no shard sent a plan. */
  commitWhenNone?: string;
  /** How the entry names its options in messages. */
  names: OptionNames;
}

export interface MergeOutcome {
  merged: MergedPlan;
  /** How many shard plans were merged. */
  shardPlans: number;
}

export function runMergePlans(request: MergeRequest): MergeOutcome {
  const expected = request.shards === undefined ? undefined : shardAccounts(request);
  // download-artifact makes no folder when every shard failed before its upload.
  const nothingCameBack =
    expected !== undefined &&
    request.paths.length > 0 &&
    request.paths.every((path) => !existsSync(resolve(request.cwd, path)));
  const plans = nothingCameBack ? [] : readPlans(listPlanFiles(request.paths, request.cwd));
  return { merged: mergePlans(plans, expected, request.commitWhenNone), shardPlans: plans.length };
}

/** What the merged apply shards did, as a one-job apply reports it. */
export interface MergedApply {
  results: ApplyResult[];
  /** The shards' retries added up; unknown when a shard's plan does not say. */
  stats: RunStats;
}

/**
 * The apply results the merged shard plans carry, each with its planned change (what the result
 * reports show: the access point, its action, an account-wide error said once), and the shards'
 * retries; undefined when the shards only planned.
 */
export function mergedApply(merged: MergedPlan): MergedApply | undefined {
  if (merged.results === undefined) return undefined;
  const changes = new Map(merged.changes.map((change) => [accessPointKey(change), change]));
  const results = merged.results.map((result): ApplyResult => {
    const change = changes.get(accessPointKey(result));
    // checkedPlan let the file through, so only a plan edited by hand gets here.
    if (change === undefined) {
      throw new InputError(
        `the merged plans hold a result for ${accessPointKey(result)}, an access point none of their changes lists`,
      );
    }
    return {
      change,
      status: result.status,
      verified: result.verified,
      message: result.message,
      durationMs: result.durationMs,
    };
  });
  return { results, stats: merged.retries !== undefined ? { retries: merged.retries } : {} };
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

function readPlans(files: readonly string[]): { name: string; plan: PlanDocument }[] {
  return files.map((file) => ({ name: file, plan: checkedPlan(readText(file, "/"), file) }));
}

function shardAccounts(request: MergeRequest): string[] {
  const shards = request.shards;
  if (shards === undefined) return [];
  const option = request.names.name("shards");
  const matrix =
    "file" in shards
      ? checkedMatrix(readText(shards.file, request.cwd), `${option} ${shards.file}`)
      : checkedMatrix(shards.text, option);
  return matrix.include.flatMap((shard) => shard.accounts.split(","));
}

/**
 * 1: errors, failed writes, refused shards, shards with no plan, or what `failOn` names (as the
 * shards' own plans would fail on it); 2: drift pending (no results); else 0.
 */
export function mergedExitCode(
  merged: MergedPlan,
  failOn: readonly FailOnCondition[] = [],
): 0 | 1 | 2 {
  if ((merged.missingAccounts?.length ?? 0) > 0 || merged.summary.error > 0) return 1;
  if (failsOn(merged, failOn)) return 1;
  if ((merged.refusedShards?.length ?? 0) > 0) return 1;
  if (merged.results !== undefined) {
    return merged.results.some((r) => r.status === "failed") ? 1 : 0;
  }
  return hasDrift(merged) ? 2 : 0;
}
