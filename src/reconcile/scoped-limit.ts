// How many requests s3ap keeps in flight: `--concurrency` per (account, region), as `--rate` is,
// because AWS limits each account and region on its own. A single queue in file order (the
// policy tree is sorted by account) worked through one account after another: with 10 accounts
// one job took longer than the 10 accounts one by one. Here every (account, region) gets its own
// slots, so all accounts proceed at once and one job takes about as long as its slowest account.
// A cap on the total keeps a tree of hundreds of accounts from opening thousands of sockets; the
// shared queue behind it is first come, first served, so no account waits behind another's
// whole backlog (each has at most `perScope` tasks in it).
import pLimit, { type LimitFunction } from "p-limit";
import { MAX_IN_FLIGHT } from "./ports.js";

export interface Scope {
  accountId: string;
  region: string;
}

export type ScopedLimit = <T>(scope: Scope, task: () => Promise<T>) => Promise<T>;

export function scopedLimit(perScope: number, total: number = MAX_IN_FLIGHT): ScopedLimit {
  const overall = pLimit(Math.max(perScope, total));
  const byScope = new Map<string, LimitFunction>();
  return (scope, task) => {
    const key = `${scope.accountId}/${scope.region}`;
    let limit = byScope.get(key);
    if (limit === undefined) {
      limit = pLimit(perScope);
      byScope.set(key, limit);
    }
    return limit(() => overall(task));
  };
}
