import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { AwsError } from "../../src/errors.js";
import type { LiveState } from "../../src/model.js";
import { applyPlan } from "../../src/reconcile/apply.js";
import { plan } from "../../src/reconcile/plan.js";
import { readLive } from "../../src/reconcile/read-live.js";
import { ACCOUNT, desiredAp, readPolicy } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";

function fakeClock() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

async function planAgainst(store: MemoryStore, desired: ReturnType<typeof desiredAp>[]) {
  const live = await readLive(desired, store, { concurrency: 4 });
  return plan(desired, live, "c0ffee");
}

describe("applyPlan", () => {
  test("writes create/update/delete, verifies each, and a second plan is clean", async () => {
    const create = desiredAp("create-me");
    const update = desiredAp("update-me");
    const remove = desiredAp("remove-me", { policy: null });
    const same = desiredAp("same");
    const store = new MemoryStore()
      .addAccessPoint(create)
      .addAccessPoint(update, readPolicy(update.arn, "arn:aws:iam::111122223333:role/old"))
      .addAccessPoint(remove, readPolicy(remove.arn))
      .addAccessPoint(same, same.policy ?? undefined);
    const desired = [create, update, remove, same];
    const clock = fakeClock();
    const results = await applyPlan(await planAgainst(store, desired), {
      reader: store,
      writer: store,
      concurrency: 2,
      ...clock,
    });

    const byName = Object.fromEntries(results.map((r) => [r.change.name, r]));
    expect(byName["create-me"]).toMatchObject({ status: "applied", verified: true });
    expect(byName["update-me"]).toMatchObject({ status: "applied", verified: true });
    expect(byName["remove-me"]).toMatchObject({ status: "applied", verified: true });
    expect(byName.same).toMatchObject({ status: "unchanged" });
    expect(
      store
        .writes()
        .map((w) => w.operation)
        .sort(),
    ).toEqual(["delete", "put", "put"]);
    expect(JSON.parse(store.policies.get(accessPointKey(create)) ?? "null")).toEqual(create.policy);

    const again = await planAgainst(store, desired);
    expect(again.summary).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      noop: 4,
      error: 0,
      unmanaged: 0,
    });
  });

  test("observe mode and noop are never written", async () => {
    const watched = desiredAp("watched", { mode: "observe" });
    const store = new MemoryStore().addAccessPoint(watched);
    const results = await applyPlan(await planAgainst(store, [watched]), {
      reader: store,
      writer: store,
      concurrency: 1,
      ...fakeClock(),
    });
    expect(results[0]?.status).toBe("observed");
    expect(store.writes()).toEqual([]);
  });

  test("one failing access point does not stop the others, and is reported", async () => {
    const denied = desiredAp("denied");
    const fine = desiredAp("fine");
    const missing = desiredAp("missing");
    const store = new MemoryStore()
      .addAccessPoint(denied)
      .addAccessPoint(fine)
      .failOn(
        denied,
        new AwsError("AccessDenied: add s3:PutAccessPointPolicy", "AccessDenied", false, 403),
      );
    const results = await applyPlan(await planAgainst(store, [denied, fine, missing]), {
      reader: store,
      writer: store,
      concurrency: 1,
      ...fakeClock(),
    });
    const byName = Object.fromEntries(results.map((r) => [r.change.name, r]));
    expect(byName.denied).toMatchObject({
      status: "failed",
      message: expect.stringMatching(/AccessDenied/),
    });
    expect(byName.fine).toMatchObject({ status: "applied", verified: true });
    expect(byName.missing).toMatchObject({
      status: "failed",
      message: expect.stringMatching(/does not exist/),
    });
  });

  test("read-back retries while AWS still shows the old policy, then verifies", async () => {
    const ap = desiredAp("slow");
    const store = new MemoryStore().addAccessPoint(ap);
    store.staleReads = 2;
    const clock = fakeClock();
    const results = await applyPlan(await planAgainst(store, [ap]), {
      reader: store,
      writer: store,
      concurrency: 1,
      ...clock,
      verifyDelaysMs: [0, 100, 200, 400],
    });
    expect(results[0]).toMatchObject({ status: "applied", verified: true });
    expect(clock.sleeps).toEqual([100, 200]);
  });

  test("a read-back that never matches is a failure that says what to do", async () => {
    const ap = desiredAp("never");
    const store = new MemoryStore().addAccessPoint(ap);
    store.staleReads = 100;
    const results = await applyPlan(await planAgainst(store, [ap]), {
      reader: store,
      writer: store,
      concurrency: 1,
      ...fakeClock(),
      verifyDelaysMs: [0, 10],
    });
    expect(results[0]).toMatchObject({ status: "failed", verified: false });
    expect(results[0]?.message).toMatch(/re-run apply/);
  });

  test("concurrency bounds the writes in flight", async () => {
    const aps = Array.from({ length: 12 }, (_, i) => desiredAp(`ap-${i}`));
    const store = new MemoryStore();
    for (const ap of aps) store.addAccessPoint(ap);
    let inFlight = 0;
    let peak = 0;
    const put = store.putPolicy.bind(store);
    store.putPolicy = async (ref, body) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return put(ref, body);
    };
    const results = await applyPlan(await planAgainst(store, aps), {
      reader: store,
      writer: store,
      concurrency: 3,
      ...fakeClock(),
    });
    expect(results.every((r) => r.status === "applied")).toBe(true);
    expect(peak).toBe(3);
  });

  test("each (account, region) writes at once: one account's backlog holds no other's writes", async () => {
    const a = Array.from({ length: 6 }, (_, i) => desiredAp(`a-${i}`));
    const b = Array.from({ length: 3 }, (_, i) =>
      desiredAp(`b-${i}`, { accountId: "222233334444" }),
    );
    const store = new MemoryStore();
    for (const ap of [...a, ...b]) store.addAccessPoint(ap);
    const started: string[] = [];
    const put = store.putPolicy.bind(store);
    store.putPolicy = async (ref, body) => {
      started.push(ref.accountId);
      await new Promise((resolve) => setTimeout(resolve, 2));
      return put(ref, body);
    };
    const results = await applyPlan(await planAgainst(store, [...a, ...b]), {
      reader: store,
      writer: store,
      concurrency: 2,
      ...fakeClock(),
    });
    expect(results.map((r) => r.status)).toEqual(Array(9).fill("applied"));
    // Both accounts' first two writes go out together, before A's third.
    expect(started.slice(0, 4).sort()).toEqual([ACCOUNT, ACCOUNT, "222233334444", "222233334444"]);
  });
});

test("readLive turns a throwing store into a per-access-point error", async () => {
  const ap = desiredAp("boom");
  const store = new MemoryStore().addAccessPoint(ap);
  store.getPolicy = async (): Promise<LiveState> => {
    throw new Error("socket hang up");
  };
  const live = await readLive([ap], store, { concurrency: 1 });
  expect(live.get(accessPointKey(ap))).toEqual({
    kind: "error",
    code: "ReadFailed",
    message: "socket hang up",
  });
});
