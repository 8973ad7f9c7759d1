import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { plan } from "../../src/reconcile/plan.js";
import { changeDocument, type PlannedChange, partsOf } from "../../src/reconcile/types.js";
import { ACCOUNT, desiredAp, readPolicy } from "../support/desired.js";

const live = (entries: [ReturnType<typeof desiredAp>, LiveState][]) =>
  new Map(entries.map(([ap, state]) => [accessPointKey(ap), state]));
const policyState = (policy: object): LiveState => ({
  kind: "policy",
  policy: policy as Record<string, unknown>,
});

describe("plan", () => {
  test("no policy live → create, with a diff that adds the statement", () => {
    const ap = desiredAp("reports");
    const result = plan([ap], live([[ap, { kind: "none" }]]), "abc123");
    expect(result.summary).toEqual({
      create: 1,
      update: 0,
      delete: 0,
      noop: 0,
      error: 0,
      unmanaged: 0,
    });
    expect(result.commit).toBe("abc123");
    expect(result.formatVersion).toBe(1);
    const change = changeDocument(result.changes[0] as PlannedChange);
    expect(change?.action).toBe("create");
    expect(change?.before).toBeNull();
    expect(change?.after).toEqual(ap.policy);
    expect(change?.diff).not.toBeNull();
  });

  test("equivalent live policy written differently → noop with notes", () => {
    const ap = desiredAp("reports");
    const rewritten = {
      Statement: {
        Resource: [`${ap.arn}/object/*`],
        Action: ["s3:GetObject", "s3:GetObject"],
        Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/reports`] },
        Effect: "Allow",
        Sid: "Read",
      },
      Version: "2012-10-17",
    };
    const result = plan([ap], live([[ap, policyState(rewritten)]]), null);
    expect(result.changes[0]?.action).toBe("noop");
    expect(result.summary.noop).toBe(1);
    expect(result.changes[0]?.notes).toEqual([]);
    const explained = plan([ap], live([[ap, policyState(rewritten)]]), null, { explain: true });
    expect(explained.changes[0]?.notes).toEqual(
      expect.arrayContaining([
        "a single statement object is the same as a one-element Statement array",
        "duplicate s3:getobject in Action is ignored",
      ]),
    );
  });

  test("different principal → update with a diff", () => {
    const ap = desiredAp("reports");
    const other = readPolicy(ap.arn, `arn:aws:iam::${ACCOUNT}:role/other`);
    const result = plan([ap], live([[ap, policyState(other)]]), null);
    expect(result.changes[0]?.action).toBe("update");
    expect(partsOf(result.changes[0] as PlannedChange).before).toEqual(other);
    expect(partsOf(result.changes[0] as PlannedChange).diff).not.toBeNull();
  });

  test("a deleted role's unique id in the live policy is drift, and the reason says so", () => {
    const ap = desiredAp("reports");
    const orphaned = readPolicy(ap.arn, "AROAEXAMPLEUNIQUEID12");
    const result = plan([ap], live([[ap, policyState(orphaned)]]), null);
    expect(result.changes[0]?.action).toBe("update");
    expect(result.changes[0]?.reason).toMatch(/AROAEXAMPLEUNIQUEID12/);
    expect(result.changes[0]?.reason).toMatch(/deleted/i);
  });

  test("policy: null with a live policy → delete; without → noop", () => {
    const withPolicy = desiredAp("gone", { policy: null });
    const without = desiredAp("empty", { policy: null });
    const result = plan(
      [withPolicy, without],
      live([
        [withPolicy, policyState(readPolicy(withPolicy.arn))],
        [without, { kind: "none" }],
      ]),
      null,
    );
    const byName = Object.fromEntries(result.changes.map((c) => [c.name, c]));
    expect(byName.gone?.action).toBe("delete");
    expect(byName.gone?.after).toBeNull();
    expect(byName.empty?.action).toBe("noop");
  });

  test("observe mode drift is planned and says it will not be written", () => {
    const ap = desiredAp("watched", { mode: "observe" });
    const result = plan([ap], live([[ap, { kind: "none" }]]), null);
    expect(result.changes[0]?.action).toBe("create");
    expect(result.changes[0]?.mode).toBe("observe");
    expect(result.changes[0]?.reason).toMatch(/observe mode/);
  });

  test("a live read error becomes an error change with the code", () => {
    const ap = desiredAp("missing");
    const result = plan(
      [ap],
      live([
        [
          ap,
          {
            kind: "error",
            code: "NoSuchAccessPoint",
            message: "access point missing does not exist",
          },
        ],
      ]),
      null,
    );
    expect(result.changes[0]).toMatchObject({
      action: "error",
      reason: expect.stringMatching(/NoSuchAccessPoint/),
    });
    expect(result.summary.error).toBe(1);
  });

  test("an access point never read is an error, not a silent noop", () => {
    const ap = desiredAp("unread");
    expect(plan([ap], new Map(), null).changes[0]?.action).toBe("error");
  });

  test("changes come out in a stable order whatever the input order", () => {
    const a = desiredAp("a-ap");
    const b = desiredAp("b-ap");
    const c = desiredAp("c-ap", { accountId: "444455556666" });
    const state = live([
      [a, { kind: "none" }],
      [b, { kind: "none" }],
      [c, { kind: "none" }],
    ]);
    const names = (order: (typeof a)[]) => plan(order, state, null).changes.map((x) => x.name);
    expect(names([c, b, a])).toEqual(["a-ap", "b-ap", "c-ap"]);
    expect(names([b, a, c])).toEqual(["a-ap", "b-ap", "c-ap"]);
  });
});
