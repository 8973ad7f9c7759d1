// --concurrency counts per (account, region): every account proceeds at once, within a total cap.
import { describe, expect, test } from "vitest";
import type { AccessPointRef, LiveState } from "../../src/model.js";
import type { PolicyReader } from "../../src/reconcile/ports.js";
import { readLive } from "../../src/reconcile/read-live.js";
import { scopedLimit } from "../../src/reconcile/scoped-limit.js";
import { scopedQueue } from "../../src/reconcile/scoped-queue.js";

/** Tasks that wait until released, recording how many of each scope run at once. */
function rig() {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const started: string[] = [];
  const waiting: Array<() => void> = [];
  const task = (key: string) => async () => {
    started.push(key);
    running.set(key, (running.get(key) ?? 0) + 1);
    total += 1;
    peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key) ?? 0));
    peakTotal = Math.max(peakTotal, total);
    await new Promise<void>((resolve) => waiting.push(resolve));
    running.set(key, (running.get(key) ?? 0) - 1);
    total -= 1;
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const releaseAll = async () => {
    while (waiting.length > 0) {
      for (const resolve of waiting.splice(0)) resolve();
      await settle();
    }
  };
  return { task, peak, started, settle, releaseAll, peakTotal: () => peakTotal };
}

const scope = (accountId: string, region = "us-east-1") => ({ accountId, region });

describe("scopedLimit", () => {
  test("each (account, region) gets its own slots: the second account starts at once", async () => {
    const r = rig();
    const limit = scopedLimit(2);
    // Queued in file order: all of A, then all of B, then A in another region.
    const done = Promise.all([
      ...Array.from({ length: 5 }, () => limit(scope("A"), r.task("A/us-east-1"))),
      ...Array.from({ length: 5 }, () => limit(scope("B"), r.task("B/us-east-1"))),
      ...Array.from({ length: 5 }, () => limit(scope("A", "eu-west-1"), r.task("A/eu-west-1"))),
    ]);
    await r.settle();
    expect(r.started.sort()).toEqual([
      "A/eu-west-1",
      "A/eu-west-1",
      "A/us-east-1",
      "A/us-east-1",
      "B/us-east-1",
      "B/us-east-1",
    ]);
    await r.releaseAll();
    await done;
    expect(Object.fromEntries(r.peak)).toEqual({
      "A/us-east-1": 2,
      "B/us-east-1": 2,
      "A/eu-west-1": 2,
    });
    expect(r.started).toHaveLength(15);
  });

  test("the total cap holds over many accounts, and no account waits for another's backlog", async () => {
    const r = rig();
    const limit = scopedLimit(4, 10);
    const accounts = Array.from({ length: 6 }, (_, i) => `acct-${i}`);
    const done = Promise.all(
      accounts.flatMap((a) => Array.from({ length: 8 }, () => limit(scope(a), r.task(a)))),
    );
    await r.settle();
    expect(r.started).toHaveLength(10);
    // Release one wave at a time: every account has started work before the first is done.
    const firstWave = new Set(r.started);
    expect(firstWave.size).toBeGreaterThanOrEqual(3);
    await r.releaseAll();
    await done;
    expect(r.peakTotal()).toBe(10);
    for (const a of accounts) expect(r.peak.get(a)).toBeLessThanOrEqual(4);
    expect(r.started).toHaveLength(48);
  });
});

describe("readLive over several accounts", () => {
  test("reads every account at once, not one account after the other in file order", async () => {
    const order: string[] = [];
    const inFlight = new Map<string, number>();
    let bothAtOnce = false;
    const reader: Pick<PolicyReader, "getPolicy"> = {
      async getPolicy(ap: AccessPointRef): Promise<LiveState> {
        order.push(ap.accountId);
        inFlight.set(ap.accountId, (inFlight.get(ap.accountId) ?? 0) + 1);
        if ((inFlight.get("111111111111") ?? 0) > 0 && (inFlight.get("222222222222") ?? 0) > 0) {
          bothAtOnce = true;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight.set(ap.accountId, (inFlight.get(ap.accountId) ?? 0) - 1);
        return { kind: "none" };
      },
    };
    const refs = ["111111111111", "222222222222"].flatMap((accountId) =>
      Array.from({ length: 20 }, (_, i) => ({ accountId, region: "us-east-1", name: `ap-${i}` })),
    );
    const live = await readLive(refs, reader as PolicyReader, { concurrency: 4 });
    expect(live.size).toBe(40);
    expect(bothAtOnce).toBe(true);
    // The second account's first read is among the first eight, not the 21st.
    expect(order.slice(0, 8).filter((a) => a === "222222222222")).toHaveLength(4);
  });
});

describe("scopedQueue", () => {
  test("runs each item once, in order within its scope, within the same caps as scopedLimit", async () => {
    const r = rig();
    const queue = scopedQueue<{ accountId: string; region: string }>(2, (item) =>
      r.task(`${item.accountId}/${item.region}`)(),
    );
    for (const a of ["A", "B"]) for (let i = 0; i < 5; i++) queue.push(scope(a));
    await r.settle();
    expect(r.started.sort()).toEqual(["A/us-east-1", "A/us-east-1", "B/us-east-1", "B/us-east-1"]);
    const drained = queue.drained();
    await r.releaseAll();
    await drained;
    expect(Object.fromEntries(r.peak)).toEqual({ "A/us-east-1": 2, "B/us-east-1": 2 });
    expect(r.started).toHaveLength(10);
  });

  test("the total cap holds over many accounts", async () => {
    const r = rig();
    const queue = scopedQueue<{ accountId: string; region: string }>(
      4,
      (item) => r.task(item.accountId)(),
      10,
    );
    for (let a = 0; a < 6; a++) for (let i = 0; i < 8; i++) queue.push(scope(`acct-${a}`));
    await r.settle();
    expect(r.started).toHaveLength(10);
    const drained = queue.drained();
    await r.releaseAll();
    await drained;
    expect(r.peakTotal()).toBe(10);
    expect(r.started).toHaveLength(48);
  });

  test("items pushed after the queue ran dry start again; drained rejects with a task's failure", async () => {
    const seen: string[] = [];
    const queue = scopedQueue<{ accountId: string; region: string; name: string }>(
      1,
      async (item) => {
        seen.push(item.name);
        if (item.name === "bad") throw new Error("boom");
      },
    );
    queue.push({ ...scope("A"), name: "a" });
    await queue.drained();
    queue.push({ ...scope("A"), name: "b" });
    await queue.drained();
    expect(seen).toEqual(["a", "b"]);
    queue.push({ ...scope("A"), name: "bad" });
    await expect(queue.drained()).rejects.toThrow("boom");
  });
});
