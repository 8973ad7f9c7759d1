// biome-ignore-all lint/suspicious/noTemplateCurlyInString: none here, but keep the house rule
// Plan, apply and discovery for the other kinds of access point, over the in-memory store: a
// directory bucket's policy and scope judged and written together, a Multi-Region Access Point's
// Proposed policy shown, unmanaged ones of every kind listed.

import { describe, expect, test } from "vitest";
import { accessPointArn, accessPointKey } from "../../src/access-point/arn.js";
import { MULTI_REGION } from "../../src/access-point/kind.js";
import {
  type AccessPointScope,
  type DesiredAccessPoint,
  type PolicyDocument,
  SCOPE_PERMISSIONS,
} from "../../src/model.js";
import { applyPlan } from "../../src/reconcile/apply.js";
import { discoverUnmanaged } from "../../src/reconcile/discover-unmanaged.js";
import { plan } from "../../src/reconcile/plan.js";
import { readLive } from "../../src/reconcile/read-live.js";
import { changeDocument, type PlannedChange, partsOf } from "../../src/reconcile/types.js";
import { ACCOUNT, desiredAp } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";

const DIRECTORY_NAME = "reports--use1-az4--xa-s3";

function sessionPolicy(
  arn: string,
  principal = `arn:aws:iam::${ACCOUNT}:role/reader`,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "s3express:CreateSession",
        Resource: arn,
      },
    ],
  };
}

function directoryAp(scope: AccessPointScope | null, principal?: string): DesiredAccessPoint {
  const ref = { accountId: ACCOUNT, region: "us-east-1", name: DIRECTORY_NAME };
  const arn = accessPointArn(ref);
  return desiredAp(DIRECTORY_NAME, { arn, scope, policy: sessionPolicy(arn, principal) });
}

function mrap(policy: PolicyDocument): DesiredAccessPoint {
  const ref = { accountId: ACCOUNT, region: MULTI_REGION, name: "global", alias: "abc123.mrap" };
  return { ...desiredAp("bucket-ap"), ...ref, arn: accessPointArn(ref), partition: "aws", policy };
}

const clock = () => {
  let time = 0;
  return {
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
    },
  };
};

async function planAgainst(store: MemoryStore, desired: DesiredAccessPoint[]) {
  return plan(desired, await readLive(desired, store, { concurrency: 2 }), "c0ffee");
}

async function applyAgainst(store: MemoryStore, desired: DesiredAccessPoint[]) {
  const planned = await planAgainst(store, desired);
  return applyPlan(planned, { reader: store, writer: store, concurrency: 1, ...clock() });
}

describe("directory-bucket access points: policy ∩ scope", () => {
  const wide = { prefixes: ["logs/*"], permissions: ["GetObject", "PutObject"] };
  const narrow = { prefixes: ["logs/2026/*"], permissions: ["GetObject"] };

  test("a narrower scope alone is an update that narrows access; apply writes only the scope", async () => {
    const desired = directoryAp(narrow);
    const store = new MemoryStore().addAccessPoint(desired, desired.policy ?? undefined);
    store.scopes.set(accessPointKey(desired), wide);
    const planned = await planAgainst(store, [desired]);
    expect(planned.changes[0]).toMatchObject({
      action: "update",
      reason: "the access point has a scope that differs from the desired one",
      access: "narrows",
      scope: { before: wide, after: narrow, changed: true },
    });
    const reasons = partsOf(planned.changes[0] as PlannedChange).accessReasons ?? [];
    expect(reasons.slice(0, 2).map((r) => `${r.direction}: ${r.text}`)).toEqual([
      "narrows: scope no longer lets through PutObject",
      "narrows: scope drops prefix logs/*",
    ]);
    // Each narrowing is shown by a request the desired scope now refuses.
    const shown = reasons.slice(2);
    expect(shown.length).toBeGreaterThan(0);
    for (const r of shown) {
      expect(r.direction).toBe("narrows");
      expect(r.request?.after).toBe("deny");
      expect(r.text).toContain("the desired scope denies");
    }
    const results = await applyPlan(planned, {
      reader: store,
      writer: store,
      concurrency: 1,
      ...clock(),
    });
    expect(results[0]).toMatchObject({
      status: "applied",
      verified: true,
      message: "scope written and verified",
    });
    expect(store.writes().map((w) => w.operation)).toEqual(["put-scope"]);
    expect((await planAgainst(store, [desired])).summary.noop).toBe(1);
  });

  test("removing the scope widens access, and is written as a delete of the scope", async () => {
    const desired = directoryAp(null);
    const store = new MemoryStore().addAccessPoint(desired, desired.policy ?? undefined);
    store.scopes.set(accessPointKey(desired), narrow);
    const planned = await planAgainst(store, [desired]);
    expect(planned.changes[0]).toMatchObject({ action: "update", access: "widens" });
    await applyPlan(planned, { reader: store, writer: store, concurrency: 1, ...clock() });
    expect(store.writes().map((w) => w.operation)).toEqual(["delete-scope"]);
    expect(store.scopes.has(accessPointKey(desired))).toBe(false);
  });

  test("a policy that admits one more principal while the scope narrows is mixed, never narrows", async () => {
    const desired = directoryAp(narrow, "arn:aws:iam::444455556666:root");
    const store = new MemoryStore().addAccessPoint(desired, sessionPolicy(desired.arn));
    store.scopes.set(accessPointKey(desired), wide);
    const [change] = (await planAgainst(store, [desired])).changes;
    expect(change).toMatchObject({ action: "update", access: "mixed" });
    expect(change?.reason).toBe(
      "live policy differs from the desired one; and it has a scope that differs from the desired one",
    );
    const results = await applyAgainst(store, [desired]);
    expect(results[0]).toMatchObject({ status: "applied", verified: true });
    expect(store.writes().map((w) => w.operation)).toEqual(["put", "put-scope"]);
  });

  test("the same scope in another order, or all eight permissions spelt out, is in sync", async () => {
    const desired = directoryAp({ prefixes: ["b/*", "a/*"], permissions: [] });
    const store = new MemoryStore().addAccessPoint(desired, desired.policy ?? undefined);
    store.scopes.set(accessPointKey(desired), {
      prefixes: ["a/*", "b/*", "a/*"],
      permissions: [...SCOPE_PERMISSIONS],
    });
    expect((await planAgainst(store, [desired])).changes[0]?.action).toBe("noop");
  });
});

describe("Multi-Region Access Points", () => {
  const established = (principal: string): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3::111122223333:accesspoint/abc123.mrap/object/*",
      },
    ],
  });

  test("are compared with the Established policy; a Proposed one that differs is shown", async () => {
    const desired = mrap(established(`arn:aws:iam::${ACCOUNT}:role/new`));
    const store = new MemoryStore().addAccessPoint(
      desired,
      established(`arn:aws:iam::${ACCOUNT}:role/old`),
    );
    store.proposed.set(accessPointKey(desired), desired.policy as PolicyDocument);
    const [change] = (await planAgainst(store, [desired])).changes;
    expect(change).toMatchObject({
      action: "update",
      region: "multi-region",
      arn: "arn:aws:s3::111122223333:accesspoint/abc123.mrap",
      proposed: desired.policy,
    });
    expect(change?.reason).toBe(
      "live policy differs from the desired one; AWS is still applying a Proposed policy equivalent to the desired one",
    );
  });

  test("a file whose alias is not the live one's is an error naming where the file says it", async () => {
    const desired = {
      ...mrap(established(`arn:aws:iam::${ACCOUNT}:role/new`)),
      aliasPosition: { line: 4, col: 8 },
    };
    const store = new MemoryStore().addAccessPoint(
      desired,
      established(`arn:aws:iam::${ACCOUNT}:role/old`),
    );
    store.aliases.set(accessPointKey(desired), "zzz9.mrap");
    const [change] = (await planAgainst(store, [desired])).changes;
    expect(changeDocument(change as PlannedChange)).toMatchObject({
      action: "error",
      before: null,
      diff: null,
    });
    expect(change?.reason).toBe(
      `${desired.file}:4:8: alias "abc123.mrap" is not the alias of Multi-Region Access Point global, which is "zzz9.mrap": write alias: zzz9.mrap (the policy's \${accessPointArn} is built from it)`,
    );
    const results = await applyAgainst(store, [desired]);
    expect(results[0]?.status).toBe("failed");
    expect(store.writes()).toEqual([]);
  });

  test("are written by name and then in sync", async () => {
    const desired = mrap(established(`arn:aws:iam::${ACCOUNT}:role/new`));
    const store = new MemoryStore().addAccessPoint(
      desired,
      established(`arn:aws:iam::${ACCOUNT}:role/old`),
    );
    const results = await applyAgainst(store, [desired]);
    expect(results[0]).toMatchObject({ status: "applied", verified: true });
    expect(store.writes().map((w) => `${w.operation} ${w.key}`)).toEqual([
      "put 111122223333/multi-region/global",
    ]);
    expect((await planAgainst(store, [desired])).summary.noop).toBe(1);
  });
});

describe("unmanaged discovery", () => {
  test("lists directory-bucket and Multi-Region access points where the files declare that kind", async () => {
    const directory = directoryAp(null);
    const global = mrap({ Version: "2012-10-17", Statement: [] });
    const store = new MemoryStore()
      .addAccessPoint(directory)
      .addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "other--use1-az4--xa-s3" })
      .addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "bucket-ap" })
      .addAccessPoint(global)
      .addAccessPoint({
        accountId: ACCOUNT,
        region: MULTI_REGION,
        name: "other-global",
        alias: "zzz9.mrap",
      })
      .addAccessPoint({ accountId: ACCOUNT, region: "eu-west-1", name: "else--euw1-az1--xa-s3" });
    const { unmanaged } = await discoverUnmanaged([directory, global], store, { concurrency: 2 });
    expect(unmanaged.map((u) => u.arn)).toEqual([
      "arn:aws:s3::111122223333:accesspoint/zzz9.mrap",
      "arn:aws:s3:us-east-1:111122223333:accesspoint/bucket-ap",
      "arn:aws:s3express:us-east-1:111122223333:accesspoint/other--use1-az4--xa-s3",
    ]);
    const general = await discoverUnmanaged([desiredAp("bucket-ap")], store, { concurrency: 2 });
    expect(general.unmanaged.map((u) => u.name)).toEqual([]);
    const listed = store.calls.filter((c) => c.operation === "list").map((c) => c.key);
    // The second run declares only a general-purpose access point: one listing, no other kind.
    expect([...listed.slice(0, 3)].sort()).toEqual([
      "111122223333/multi-region",
      "111122223333/us-east-1",
      "111122223333/us-east-1/directory",
    ]);
    expect(listed.slice(3)).toEqual(["111122223333/us-east-1"]);
  });
});
