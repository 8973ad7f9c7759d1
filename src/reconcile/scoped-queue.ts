// scopedLimit (scoped-limit.ts) for a long list: one task per item, at most `perScope` per
// (account, region) and `total` in all, started as slots free up, where what waits is the item
// itself in its scope's list, not a closure, a promise and a queue node per item.
import pLimit from "p-limit";
import { MAX_IN_FLIGHT } from "./ports.js";
import type { Scope } from "./scoped-limit.js";

export interface ScopedQueue<T> {
  /** Queues `item`; its task starts when its scope has a free slot (at once if it has one). */
  push(item: T): void;
  /** Settles when every item pushed so far is done; rejects with the first task that threw. */
  drained(): Promise<void>;
}

interface ScopeList<T> {
  items: (T | undefined)[];
  next: number;
  workers: number;
}

/**
 * NOTE: 10,000 access points queued at once through scopedLimit held ~1.5 KB each while they
 * waited (the caller's closure and promise, p-limit's two queue entries and promises): ~15 MB
 * of a plan of 10,000 read ahead, and as much again for the engine's reads (heap snapshots,
 * BENCHMARKS.md). Here each scope has at most `perScope` workers, each taking the next item of
 * its scope's list when its task is done; the cap on the total is the same p-limit, with at most
 * `perScope` entries per scope in it, so the order is scopedLimit's: first come, first served
 * within a scope, and no scope waits behind another's backlog.
 */
export function scopedQueue<T extends Scope>(
  perScope: number,
  task: (item: T) => Promise<void>,
  total: number = MAX_IN_FLIGHT,
): ScopedQueue<T> {
  const overall = pLimit(Math.max(perScope, total));
  const scopes = new Map<string, ScopeList<T>>();
  let workers = 0;
  let failed: { error: unknown } | undefined;
  let waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  const settle = () => {
    if (failed === undefined && workers > 0) return;
    const done = waiting;
    waiting = [];
    for (const w of done) {
      if (failed !== undefined) w.reject(failed.error);
      else w.resolve();
    }
  };

  const work = async (list: ScopeList<T>) => {
    try {
      while (list.next < list.items.length) {
        const item = list.items[list.next] as T;
        // The list lets go of each item once it is taken.
        list.items[list.next++] = undefined;
        await overall(() => task(item));
      }
      list.items = [];
      list.next = 0;
    } catch (error) {
      failed ??= { error };
    } finally {
      list.workers--;
      workers--;
      settle();
    }
  };

  return {
    push(item) {
      const key = `${item.accountId}/${item.region}`;
      let list = scopes.get(key);
      if (list === undefined) {
        list = { items: [], next: 0, workers: 0 };
        scopes.set(key, list);
      }
      list.items.push(item);
      if (list.workers < perScope) {
        list.workers++;
        workers++;
        void work(list);
      }
    },
    drained() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        settle();
      });
    },
  };
}
