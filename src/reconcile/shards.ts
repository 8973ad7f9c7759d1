// The shards of a fan-out run: one per account (GitHub Actions runs each as a matrix job), packed
// into fewer when there are more accounts than a matrix may hold.
import type { DesiredAccessPoint } from "../model.js";
import type { Shard } from "./types.js";

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_MATRIX_JOBS = 256;

interface AccountLoad {
  accountId: string;
  regions: Set<string>;
  accessPoints: number;
}

/**
 * One shard per account, in account order; with more accounts than `maxShards`, accounts are
 * packed (largest first, each into the lightest shard) so the slowest job stays short.
 */
export function shardsOf(
  desired: readonly Pick<DesiredAccessPoint, "accountId" | "region">[],
  maxShards = MAX_MATRIX_JOBS,
): Shard[] {
  const byAccount = new Map<string, AccountLoad>();
  for (const ap of desired) {
    let load = byAccount.get(ap.accountId);
    if (load === undefined) {
      load = { accountId: ap.accountId, regions: new Set(), accessPoints: 0 };
      byAccount.set(ap.accountId, load);
    }
    load.regions.add(ap.region);
    load.accessPoints += 1;
  }
  const loads = [...byAccount.values()].sort((a, b) => compare(a.accountId, b.accountId));
  if (loads.length <= maxShards) return loads.map((load) => shardOf([load]));

  const bins: AccountLoad[][] = Array.from({ length: maxShards }, () => []);
  const weight = (bin: AccountLoad[]) => bin.reduce((sum, l) => sum + l.accessPoints, 0);
  const heaviestFirst = [...loads].sort(
    (a, b) => b.accessPoints - a.accessPoints || compare(a.accountId, b.accountId),
  );
  for (const load of heaviestFirst) {
    let lightest = bins[0] as AccountLoad[];
    for (const bin of bins) if (weight(bin) < weight(lightest)) lightest = bin;
    lightest.push(load);
  }
  return bins
    .map((bin) => bin.sort((a, b) => compare(a.accountId, b.accountId)))
    .sort((a, b) => compare(a[0]?.accountId ?? "", b[0]?.accountId ?? ""))
    .map(shardOf);
}

function shardOf(loads: AccountLoad[]): Shard {
  const ids = loads.map((l) => l.accountId);
  const regions = new Set(loads.flatMap((l) => [...l.regions]));
  return {
    shard: ids.length === 1 ? (ids[0] as string) : `${ids[0]}+${ids.length - 1}`,
    accounts: ids.join(","),
    regions: [...regions].sort(compare),
    accessPoints: loads.reduce((sum, l) => sum + l.accessPoints, 0),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
