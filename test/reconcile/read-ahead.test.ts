// Reading ahead: the run starts a valid file's read while the rest of the tree is checked; the
// engine's read then takes that answer, once.
import { expect, test } from "vitest";
import { readAhead } from "../../src/reconcile/read-ahead.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";

const ap = (name: string) => ({ accountId: ACCOUNT, region: "us-east-1", name });

test("a read started ahead is sent once; the engine's read takes it, a later read reads again", async () => {
  const store = new MemoryStore().addAccessPoint(ap("a"), { Version: "2012-10-17", Statement: [] });
  const ahead = readAhead(store, 4);
  ahead.start(ap("a"));
  ahead.start(ap("a"));
  expect(ahead.pending).toBe(1);
  const first = await ahead.reader.getPolicy(ap("a"));
  expect(first.kind).toBe("policy");
  expect(store.calls.filter((c) => c.operation === "get")).toHaveLength(1);
  // A read-back after a write must see the write: not the answer read ahead.
  await ahead.reader.getPolicy(ap("a"));
  expect(store.calls.filter((c) => c.operation === "get")).toHaveLength(2);
  expect(ahead.pending).toBe(0);
});

test("after stop, the reads not yet sent are never sent", async () => {
  const store = new MemoryStore();
  for (const name of ["a", "b", "c", "d"]) store.addAccessPoint(ap(name));
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow = {
    getPolicy: async (ref: ReturnType<typeof ap>) => {
      await gate;
      return store.getPolicy(ref);
    },
    listAccessPoints: store.listAccessPoints.bind(store),
    listDirectoryAccessPoints: store.listDirectoryAccessPoints.bind(store),
    listMultiRegionAccessPoints: store.listMultiRegionAccessPoints.bind(store),
  };
  // One at a time: "a" is in flight, the others wait for a slot.
  const ahead = readAhead(slow, 1);
  for (const name of ["a", "b", "c", "d"]) ahead.start(ap(name));
  await new Promise((resolve) => setImmediate(resolve));
  ahead.stop();
  ahead.start(ap("e"));
  release();
  const answers = await Promise.all(["a", "b", "c", "d"].map((n) => ahead.reader.getPolicy(ap(n))));
  expect(store.calls.map((c) => c.key)).toEqual([`${ACCOUNT}/us-east-1/a`]);
  expect(answers.slice(1).map((a) => a.kind === "error" && a.code)).toEqual([
    "NotRead",
    "NotRead",
    "NotRead",
  ]);
  expect(ahead.pending).toBe(0);
});

test("a read ahead that fails is reported to whoever takes it, and never goes unhandled", async () => {
  const failing = {
    getPolicy: () => Promise.reject(new Error("socket hang up")),
    listAccessPoints: async () => [],
    listDirectoryAccessPoints: async () => [],
    listMultiRegionAccessPoints: async () => [],
  };
  const ahead = readAhead(failing, 2);
  ahead.start(ap("a"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  await expect(ahead.reader.getPolicy(ap("a"))).rejects.toThrow("socket hang up");
});

test("the engine's read of an access point still waiting for its slot takes that read when it is sent", async () => {
  const store = new MemoryStore();
  for (const name of ["a", "b"])
    store.addAccessPoint(ap(name), { Version: "2012-10-17", Statement: [] });
  const ahead = readAhead(store, 1);
  ahead.start(ap("a"));
  ahead.start(ap("b"));
  // "b" waits behind "a" (one at a time); the engine asks for it first.
  const b = await ahead.reader.getPolicy(ap("b"));
  const a = await ahead.reader.getPolicy(ap("a"));
  expect([a.kind, b.kind]).toEqual(["policy", "policy"]);
  expect(store.calls.filter((c) => c.operation === "get").map((c) => c.key)).toEqual([
    `${ACCOUNT}/us-east-1/a`,
    `${ACCOUNT}/us-east-1/b`,
  ]);
  expect(ahead.pending).toBe(0);
});
