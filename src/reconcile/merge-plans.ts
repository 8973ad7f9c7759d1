// Merges the plans of a fan-out run's shards into the plan one job would have made: the same
// changes in the same order, the same summary, apply results alongside.
import { accessPointKey } from "../access-point/arn.js";
import { InputError } from "../errors.js";
import { PartsStore, storeChange } from "./change-parts.js";
import { summarize } from "./plan.js";
import type { MergedPlan, PlanDocument, PlannedChange, RefusedShard } from "./types.js";

/**
 * `expectedAccounts`: every account of the shard list, to name the ones no plan came back for.
 * With it and `commitWhenNone` (the commit the shards ran at, which only the workflow knows when
 * no plan came back), no plan at all (every shard failed) is a plan naming every account as
 * missing, so the summary and the PR comment say so instead of keeping an older plan's words.
 * Throws InputError when the shards were planned at different commits or overlap.
 */
export function mergePlans(
  plans: readonly { name: string; plan: PlanDocument }[],
  expectedAccounts?: readonly string[],
  commitWhenNone?: string,
): MergedPlan {
  const first = plans[0];
  if (first === undefined) {
    if (expectedAccounts === undefined || expectedAccounts.length === 0 || !commitWhenNone) {
      throw new InputError("merge-plans needs at least one plan file");
    }
    return {
      formatVersion: 1,
      commit: commitWhenNone,
      dirty: false,
      summary: summarize([]),
      changes: [],
      unmanaged: [],
      discovery: { enabled: false, warnings: [] },
      missingAccounts: [...new Set(expectedAccounts)].sort(),
    };
  }
  for (const { name, plan } of plans) {
    if (plan.formatVersion !== 1 || !Array.isArray(plan.changes)) {
      throw new InputError(`${name} is not an s3ap plan JSON (formatVersion 1 with changes)`);
    }
    if (plan.commit !== first.plan.commit) {
      throw new InputError(
        `${name} was planned at commit ${plan.commit}, ${first.name} at ${first.plan.commit}: ` +
          "shards of one run must plan the same commit",
      );
    }
  }
  const seen = new Map<string, string>();
  const changes: PlannedChange[] = [];
  const store = new PartsStore();
  for (const { name, plan } of plans) {
    for (const change of plan.changes) {
      const key = accessPointKey(change);
      const other = seen.get(key);
      if (other !== undefined) {
        throw new InputError(`${key} is in both ${other} and ${name}: shards must not overlap`);
      }
      seen.set(key, name);
      changes.push(storeChange(change, store));
    }
  }
  // The order plan() gives one job's plan.
  const order = (a: { accountId: string; region: string; name: string; outpostId?: string }) =>
    accessPointKey(a);
  changes.sort((a, b) => order(a).localeCompare(order(b)));
  const merged: MergedPlan = {
    formatVersion: 1,
    commit: first.plan.commit,
    dirty: plans.some((p) => p.plan.dirty === true),
    ...(first.plan.noCommit !== undefined ? { noCommit: first.plan.noCommit } : {}),
    summary: summarize(changes),
    changes,
    // Each shard lists the unmanaged access points of its own accounts.
    unmanaged: plans
      .flatMap((p) => p.plan.unmanaged ?? [])
      .sort((a, b) => order(a).localeCompare(order(b))),
    discovery: {
      enabled: plans.every((p) => p.plan.discovery?.enabled === true),
      warnings: plans.flatMap((p) => p.plan.discovery?.warnings ?? []),
    },
  };
  const withResults = plans.filter((p) => p.plan.results !== undefined);
  if (withResults.length > 0) {
    merged.results = withResults
      .flatMap((p) => p.plan.results ?? [])
      .sort((a, b) => order(a).localeCompare(order(b)));
    // The shards' retries, added up as one job counts them; not known when a shard's plan was
    // written by an s3ap that did not say (a smaller sum would understate them).
    const retries = withResults.map((p) => p.plan.retries);
    if (retries.every((n) => n !== undefined)) {
      merged.retries = retries.reduce((sum, n) => sum + n, 0);
    }
  }
  // A shard whose apply was refused wrote nothing: its changes stay listed, and the merge says
  // so instead of reading as a plan of pending changes.
  const refused: RefusedShard[] = plans.flatMap(({ name, plan }) =>
    plan.refusal === undefined
      ? []
      : [
          {
            plan: name,
            accounts: [...new Set(plan.changes.map((c) => c.accountId))].sort(),
            refusal: plan.refusal,
          },
        ],
  );
  if (refused.length > 0) merged.refusedShards = refused;
  const narrowed = plans.flatMap((p) => (p.plan.only !== undefined ? [p.plan.only] : []));
  const firstOnly = narrowed[0];
  if (firstOnly !== undefined) {
    // Each shard counted its own accounts' access points.
    merged.only = {
      patterns: firstOnly.patterns,
      selected: narrowed.reduce((sum, only) => sum + only.selected, 0),
      declared: narrowed.reduce((sum, only) => sum + only.declared, 0),
    };
  }
  mergeRepositoryRules(merged, plans);
  mergeOtherFields(merged, plans);
  if (expectedAccounts !== undefined) {
    const covered = new Set(changes.map((c) => c.accountId));
    merged.missingAccounts = [...new Set(expectedAccounts.filter((id) => !covered.has(id)))].sort();
    if (merged.missingAccounts.length > 0 && merged.discovery?.enabled === true) {
      // The unmanaged list lacks those accounts: the unmanaged-access-points issue must not be
      // closed (or emptied) on it, as after any listing that did not cover every account.
      merged.discovery.warnings.push(
        `the unmanaged access points of ${merged.missingAccounts.join(", ")} were not listed ` +
          "(their shard jobs failed)",
      );
    }
  }
  return merged;
}

const OWN_FIELDS = new Set([
  "formatVersion",
  "commit",
  "summary",
  "changes",
  "results",
  "retries",
  "unmanaged",
  "discovery",
  "dirty",
  "noCommit",
  "refusal",
  "refusedShards",
  "missingAccounts",
  "only",
  "exceptionsExpiring",
  "attribution",
]);

/**
 * What every shard says alike, from the one s3ap.yaml (exceptions that end soon: once each) and
 * what each says of its own accounts (CloudTrail's warnings: all of them).
 */
function mergeRepositoryRules(merged: MergedPlan, plans: readonly { plan: PlanDocument }[]): void {
  const expiring = new Map(
    plans.flatMap((p) => p.plan.exceptionsExpiring ?? []).map((e) => [e.id, e]),
  );
  if (expiring.size > 0) merged.exceptionsExpiring = [...expiring.values()];
  const attributed = plans.flatMap((p) =>
    p.plan.attribution !== undefined ? [p.plan.attribution] : [],
  );
  const first = attributed[0];
  if (first !== undefined) {
    merged.attribution = {
      enabled: true,
      windowDays: first.windowDays,
      warnings: attributed.flatMap((a) => a.warnings),
    };
  }
}

/**
 * Fields other parts of s3ap add to the plan JSON: lists are concatenated (in account order),
 * flags are true when any shard's is, counts in `summary` beyond the five actions are added up.
 */
function mergeOtherFields(merged: MergedPlan, plans: readonly { plan: PlanDocument }[]): void {
  const target = merged as unknown as Record<string, unknown>;
  const summary = merged.summary as unknown as Record<string, number>;
  for (const { plan } of plans) {
    for (const [key, value] of Object.entries(plan)) {
      if (OWN_FIELDS.has(key)) continue;
      if (Array.isArray(value)) {
        target[key] = [...((target[key] as unknown[] | undefined) ?? []), ...value];
      } else if (typeof value === "boolean") {
        target[key] = target[key] === true || value;
      } else if (!(key in target)) {
        target[key] = value;
      }
    }
    for (const [key, value] of Object.entries(plan.summary ?? {})) {
      if (isAction(key)) continue;
      if (typeof value === "number") summary[key] = (summary[key] ?? 0) + value;
    }
  }
}

const isAction = (key: string) => ["create", "update", "delete", "noop", "error"].includes(key);
