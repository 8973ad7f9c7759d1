import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { governPlan } from "../../src/reconcile/govern.js";
import { mergePlans } from "../../src/reconcile/merge-plans.js";
import { plan as storedPlan } from "../../src/reconcile/plan.js";
import { selectOnly } from "../../src/reconcile/reconcile.js";
import { shardsOf } from "../../src/reconcile/shards.js";
import { planDocument } from "../../src/reconcile/types.js";
import { splitList } from "../../src/run/list-value.js";
import { SELECT_OPTIONS } from "../../src/run/options.js";
import { desiredAp, readPolicy } from "../support/desired.js";
import { policyException } from "../support/policy-exception.js";

const ACCOUNTS = ["111122223333", "444455556666", "777788889999"];
const desired = ACCOUNTS.flatMap((accountId, a) =>
  ["us-east-1", "eu-west-1"].flatMap((region) =>
    Array.from({ length: 3 + a }, (_, i) => desiredAp(`ap-${region}-${i}`, { accountId, region })),
  ),
);
// Some drift, some in sync, one error, one policy to delete.
const live = new Map<string, LiveState>(
  desired.map((ap, i): [string, LiveState] => {
    const key = accessPointKey(ap);
    if (i % 5 === 0) return [key, { kind: "none" }];
    if (i % 7 === 0) return [key, { kind: "error", code: "AccessDenied", message: "denied" }];
    if (i % 3 === 0) {
      const policy = readPolicy(ap.arn, "arn:aws:iam::111122223333:role/other");
      return [key, { kind: "policy", policy }];
    }
    return [key, { kind: "policy", policy: ap.policy ?? {} }];
  }),
);

/** The plan as its JSON holds it: what merge-plans reads from each shard. */
const plan = (...args: Parameters<typeof storedPlan>) => planDocument(storedPlan(...args));

describe("shards", () => {
  test("one per account with its regions and access point count", () => {
    expect(shardsOf(desired)).toEqual([
      {
        shard: ACCOUNTS[0],
        accounts: ACCOUNTS[0],
        regions: ["eu-west-1", "us-east-1"],
        accessPoints: 6,
      },
      {
        shard: ACCOUNTS[1],
        accounts: ACCOUNTS[1],
        regions: ["eu-west-1", "us-east-1"],
        accessPoints: 8,
      },
      {
        shard: ACCOUNTS[2],
        accounts: ACCOUNTS[2],
        regions: ["eu-west-1", "us-east-1"],
        accessPoints: 10,
      },
    ]);
  });

  test("more accounts than a matrix holds are packed into balanced shards, each account once", () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      accountId: String(100000000000 + i),
      region: "us-east-1",
    }));
    const shards = shardsOf(many, 256);
    expect(shards).toHaveLength(256);
    const ids = shards.flatMap((s) => s.accounts.split(","));
    expect(ids.sort()).toEqual(many.map((m) => m.accountId).sort());
    expect(Math.max(...shards.map((s) => s.accessPoints))).toBe(2);
  });

  test("the merge of the shard plans is the plan one job makes of the same tree", () => {
    const single = plan(desired, live, "abc123");
    const shardPlans = shardsOf(desired).map((shard) => {
      const selected = desired.filter((ap) =>
        // The matrix's accounts field is what --account / input account takes.
        splitList(shard.accounts, SELECT_OPTIONS.account.spaces).includes(ap.accountId),
      );
      return { name: `plan-${shard.shard}.json`, plan: plan(selected, live, "abc123") };
    });
    // The merge does not depend on the order the artifacts arrive in.
    const merged = mergePlans([...shardPlans].reverse(), ACCOUNTS);
    expect(planDocument(merged)).toEqual({ ...single, missingAccounts: [] });
    expect(single.summary.error + single.summary.create + single.summary.update).toBeGreaterThan(2);
  });

  test("shard plans under s3ap.yaml's rules merge into the plan one job makes of the same tree", () => {
    const config = {
      accounts: {},
      trust: { accounts: [] },
      exceptions: [
        policyException({ id: "drift-ok", accessPoints: "ap-us-east-1-*", expires: "2026-03-10" }),
      ],
      paused: { reason: "INC-1", until: "2026-03-05", untilPosition: { line: 1, col: 1 } },
    };
    const governed = (planned: ReturnType<typeof storedPlan>) => ({
      ...governPlan(
        planned,
        (c) =>
          c.action === "create" || c.action === "update" || c.action === "delete"
            ? { origin: "drift", base: c.after }
            : undefined,
        { config, now: Date.parse("2026-03-01T00:00:00Z") },
      ),
      attribution: {
        enabled: true,
        windowDays: 7,
        warnings: [`denied in ${planned.changes[0]?.accountId}`],
      },
    });
    const single = planDocument(governed(storedPlan(desired, live, "abc123")));
    const shardPlans = ACCOUNTS.map((accountId) => ({
      name: accountId,
      plan: planDocument(
        governed(
          storedPlan(
            desired.filter((ap) => ap.accountId === accountId),
            live,
            "abc123",
          ),
        ),
      ),
    }));
    const merged = mergePlans(shardPlans, ACCOUNTS);
    expect(merged.widensOutsideTrust).toBe(true);
    expect(merged.summary.excepted).toBe(single.summary.excepted);
    expect(merged.paused).toEqual(single.paused);
    expect(merged.exceptionsExpiring?.map((e) => e.id)).toEqual(["drift-ok"]);
    expect(merged.attribution?.warnings).toEqual(ACCOUNTS.map((a) => `denied in ${a}`));
    expect(planDocument(merged).changes).toEqual(single.changes);
  });

  test("a failed shard's account is named as missing, and its access points are not in the plan", () => {
    const [first, ...rest] = ACCOUNTS;
    const shardPlans = rest.map((accountId) => ({
      name: accountId,
      plan: plan(
        desired.filter((ap) => ap.accountId === accountId),
        live,
        "abc123",
      ),
    }));
    const merged = mergePlans(shardPlans, ACCOUNTS);
    expect(merged.missingAccounts).toEqual([first]);
    expect(merged.changes.some((c) => c.accountId === first)).toBe(false);
  });

  test("with a failed shard, the unmanaged list is known partial: the issue is not closed on it", () => {
    // Each account's own shard plan, having listed its unmanaged access points (none).
    const shardPlan = (accountId: string) => ({
      name: accountId,
      plan: {
        ...plan(
          desired.filter((ap) => ap.accountId === accountId),
          live,
          "abc123",
        ),
        unmanaged: [],
        discovery: { enabled: true, warnings: [] },
      },
    });
    const [first, ...rest] = ACCOUNTS;
    const merged = mergePlans(rest.map(shardPlan), ACCOUNTS);
    expect(merged.unmanaged).toEqual([]);
    expect(merged.discovery?.warnings).toEqual([
      `the unmanaged access points of ${first} were not listed (their shard jobs failed)`,
    ]);
    // Every shard back: no warning.
    const all = ACCOUNTS.map(shardPlan);
    expect(mergePlans(all, ACCOUNTS).discovery?.warnings).toEqual([]);
  });

  test("shards narrowed by --only merge into one narrowed plan that counts them all", () => {
    const shardPlans = ACCOUNTS.map((accountId, index) => ({
      name: accountId,
      plan: {
        ...plan(
          desired.filter((ap) => ap.accountId === accountId),
          live,
          "abc123",
        ),
        only: { patterns: ["*-ap"], selected: index + 1, declared: 10 },
      },
    }));
    expect(mergePlans(shardPlans, ACCOUNTS).only).toEqual({
      patterns: ["*-ap"],
      selected: (ACCOUNTS.length * (ACCOUNTS.length + 1)) / 2,
      declared: 10 * ACCOUNTS.length,
    });
  });

  test("no plan at all (every shard failed) names every account, given the run's commit", () => {
    const merged = mergePlans([], ACCOUNTS, "abc123");
    expect(merged).toMatchObject({
      commit: "abc123",
      changes: [],
      summary: { create: 0, update: 0, delete: 0, noop: 0, error: 0 },
      discovery: { enabled: false, warnings: [] },
      missingAccounts: [...ACCOUNTS].sort(),
    });
    expect(() => mergePlans([], ACCOUNTS)).toThrow(/at least one plan file/);
    expect(() => mergePlans([], undefined, "abc123")).toThrow(/at least one plan file/);
  });

  test("shards planned at different commits or overlapping are refused", () => {
    const a = plan(desired.slice(0, 2), live, "abc");
    expect(() =>
      mergePlans([
        { name: "a", plan: a },
        { name: "b", plan: { ...a, commit: "def" } },
      ]),
    ).toThrow(/b was planned at commit def, a at abc/);
    expect(() =>
      mergePlans([
        { name: "a", plan: a },
        { name: "b", plan: a },
      ]),
    ).toThrow(/in both a and b: shards must not overlap/);
  });

  test("--only <account>/** selects exactly that account", () => {
    const selected = selectOnly(desired, [`${ACCOUNTS[1]}/**`]);
    expect(selected.length).toBe(8);
    expect(new Set(selected.map((ap) => ap.accountId))).toEqual(new Set([ACCOUNTS[1]]));
  });
});
