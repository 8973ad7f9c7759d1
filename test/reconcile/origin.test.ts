import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { DesiredAccessPoint, LiveState, PolicyDocument } from "../../src/model.js";
import { type BaseRevision, withBase } from "../../src/reconcile/origin.js";
import { plan } from "../../src/reconcile/plan.js";
import {
  type ChangeDocument,
  changeDocument,
  type PlannedChange,
} from "../../src/reconcile/types.js";
import { ACCOUNT, desiredAp } from "../support/desired.js";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/reports`;

function policy(arn: string, actions: string[], deny = false): PolicyDocument {
  const statements: object[] = [
    {
      Sid: "Read",
      Effect: "Allow",
      Principal: { AWS: ROLE },
      Action: actions,
      Resource: `${arn}/object/*`,
    },
  ];
  if (deny) {
    statements.push({
      Sid: "NoDeletes",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:DeleteObject",
      Resource: `${arn}/object/*`,
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

const state = (doc: PolicyDocument | null): LiveState =>
  doc === null ? { kind: "none" } : { kind: "policy", policy: doc };

function threeStates(
  entries: {
    name: string;
    base?: PolicyDocument | null | "absent" | "invalid";
    head: PolicyDocument | null;
    live: PolicyDocument | null | "error";
  }[],
  extraBase: DesiredAccessPoint[] = [],
) {
  const head = entries.map((e) => desiredAp(e.name, { policy: e.head }));
  const live = new Map<string, LiveState>(
    entries.map((e, i) => [
      accessPointKey(head[i] as DesiredAccessPoint),
      e.live === "error"
        ? { kind: "error", code: "AccessDenied", message: "denied" }
        : state(e.live),
    ]),
  );
  const base: BaseRevision = {
    ref: "origin/main",
    commit: "b".repeat(40),
    desired: [
      ...entries
        .filter((e) => e.base !== "absent" && e.base !== "invalid")
        .map((e) =>
          desiredAp(e.name, { policy: e.base === undefined ? e.head : (e.base as never) }),
        ),
      ...extraBase,
    ],
    invalidFiles: new Set(
      entries.filter((e) => e.base === "invalid").map((e) => `policies/${e.name}.yaml`),
    ),
    warnings: [],
  };
  return withBase(plan(head, live, "a".repeat(40)), head, base);
}

const byName = (changes: PlannedChange[], name: string) =>
  changeDocument(changes.find((c) => c.name === name) as PlannedChange);
const arnOf = (name: string) => desiredAp(name).arn;

describe("three states: base, head and live", () => {
  test("a console edit that removes a Deny and adds s3:DeleteObject is drift that widens access; apply narrows it back", () => {
    const arn = arnOf("reports");
    const file = policy(arn, ["s3:GetObject"], true);
    const edited = policy(arn, ["s3:GetObject", "s3:DeleteObject"]);
    const change = byName(
      threeStates([{ name: "reports", head: file, live: edited }]).changes,
      "reports",
    );
    expect(change).toMatchObject({
      action: "update",
      origin: "drift",
      driftAccess: "widens",
      access: "narrows",
    });
    expect(change.changeAccess).toBeUndefined();
    expect(change.changeDiff).toBeUndefined();
    const reasons = change.driftAccessReasons?.map((r) => `${r.direction}: ${r.text}`) ?? [];
    expect(reasons.join("\n")).toMatch(/widens: .*adds action s3:DeleteObject/);
    expect(reasons.join("\n")).toMatch(/widens: removes Deny statement "NoDeletes"/);
    // The drift diff is drawn the way it happened: s3:DeleteObject is added, the Deny removed.
    expect(change.driftDiff?.changed[0]?.actions.added).toEqual(["s3:DeleteObject"]);
    expect(change.driftDiff?.removed.map((s) => s.sid)).toEqual(["NoDeletes"]);
    expect(change.diff?.changed[0]?.actions.removed).toEqual(["s3:DeleteObject"]);
  });

  test("a change that only narrows one access point is a change, whatever drift another has", () => {
    const a = arnOf("a-ap");
    const b = arnOf("b-ap");
    const result = threeStates([
      {
        name: "a-ap",
        base: policy(a, ["s3:GetObject", "s3:PutObject"]),
        head: policy(a, ["s3:GetObject"]),
        live: policy(a, ["s3:GetObject", "s3:PutObject"]),
      },
      { name: "b-ap", head: policy(b, ["s3:GetObject"]), live: policy(b, ["s3:*"]) },
    ]);
    expect(byName(result.changes, "a-ap")).toMatchObject({
      origin: "change",
      changeAccess: "narrows",
      access: "narrows",
    });
    expect(byName(result.changes, "a-ap").driftAccess).toBeUndefined();
    expect(byName(result.changes, "b-ap")).toMatchObject({
      origin: "drift",
      driftAccess: "widens",
    });
  });

  test("files and live both differing from the base is change+drift, with both verdicts", () => {
    const arn = arnOf("both");
    const change = byName(
      threeStates([
        {
          name: "both",
          base: policy(arn, ["s3:GetObject"]),
          head: policy(arn, ["s3:GetObject", "s3:PutObject"]),
          live: null,
        },
      ]).changes,
      "both",
    );
    expect(change).toMatchObject({
      action: "create",
      origin: "change+drift",
      changeAccess: "widens",
      driftAccess: "narrows",
      access: "widens",
    });
    expect(change.changeAccessReasons?.[0]?.text).toMatch(/adds action s3:PutObject/);
    expect(change.driftAccessReasons?.[0]?.text).toMatch(/removes Allow statement "Read"/);
  });

  test("a live policy deleted by hand is drift that narrows access", () => {
    const arn = arnOf("gone");
    const change = byName(
      threeStates([{ name: "gone", head: policy(arn, ["s3:GetObject"]), live: null }]).changes,
      "gone",
    );
    expect(change).toMatchObject({ action: "create", origin: "drift", driftAccess: "narrows" });
  });

  test("a new file is a change measured from live; a base file that did not validate likewise, and says so", () => {
    const n = arnOf("new-ap");
    const i = arnOf("invalid-ap");
    const result = threeStates([
      { name: "new-ap", base: "absent", head: policy(n, ["s3:GetObject"]), live: null },
      {
        name: "invalid-ap",
        base: "invalid",
        head: policy(i, ["s3:GetObject"]),
        live: policy(i, ["s3:*"]),
      },
    ]);
    expect(byName(result.changes, "new-ap")).toMatchObject({
      baseFile: "new",
      origin: "change",
      changeAccess: "widens",
      access: "widens",
    });
    expect(byName(result.changes, "invalid-ap")).toMatchObject({
      baseFile: "invalid",
      origin: "change",
      changeAccess: "narrows",
    });
    expect(byName(result.changes, "invalid-ap").driftAccess).toBeUndefined();
  });

  test("a change that adopts what live already has is a noop with origin change+drift", () => {
    const arn = arnOf("adopt");
    const live = policy(arn, ["s3:GetObject", "s3:PutObject"]);
    const change = byName(
      threeStates([{ name: "adopt", base: policy(arn, ["s3:GetObject"]), head: live, live }])
        .changes,
      "adopt",
    );
    expect(change).toMatchObject({
      action: "noop",
      origin: "change+drift",
      changeAccess: "widens",
      driftAccess: "widens",
    });
    expect(change.access).toBeUndefined();
  });

  test("in sync everywhere, or not readable: no origin", () => {
    const s = arnOf("same");
    const e = arnOf("err");
    const result = threeStates([
      { name: "same", head: policy(s, ["s3:GetObject"]), live: policy(s, ["s3:GetObject"]) },
      {
        name: "err",
        base: policy(e, ["s3:PutObject"]),
        head: policy(e, ["s3:GetObject"]),
        live: "error",
      },
    ]);
    for (const change of result.changes) {
      expect(change.origin, change.name).toBeUndefined();
      expect(change.changeAccess, change.name).toBeUndefined();
      expect(change.driftAccess, change.name).toBeUndefined();
    }
  });

  test("`policy: null` on both sides and no live policy is in sync; a live policy against it is drift", () => {
    const arn = arnOf("empty");
    const result = threeStates([
      { name: "empty", head: null, live: policy(arn, ["s3:GetObject"]) },
    ]);
    expect(result.changes[0]).toMatchObject({
      action: "delete",
      origin: "drift",
      driftAccess: "widens",
      access: "narrows",
    });
  });

  test("access points the base declared and the head does not are released, never changed", () => {
    const result = threeStates(
      [{ name: "kept", head: policy(arnOf("kept"), ["s3:GetObject"]), live: null }],
      [desiredAp("dropped")],
    );
    expect(result.base).toEqual({
      ref: "origin/main",
      commit: "b".repeat(40),
      warnings: [],
      released: [
        {
          accountId: ACCOUNT,
          region: "us-east-1",
          name: "dropped",
          arn: arnOf("dropped"),
          file: "policies/dropped.yaml",
        },
      ],
    });
    expect(result.changes.map((c) => c.name)).toEqual(["kept"]);
  });

  test("reasons name the policies of each verdict: base and head for the change, file and live for drift", () => {
    const arn = arnOf("unnamed");
    const statement = (action: string) => ({
      Effect: "Allow",
      Principal: { AWS: ROLE },
      Action: action,
      Resource: `${arn}/object/*`,
    });
    const change = byName(
      threeStates([
        {
          name: "unnamed",
          base: { Version: "2012-10-17", Statement: [statement("s3:GetObject")] },
          head: { Version: "2012-10-17", Statement: [statement("s3:PutObject")] },
          live: {
            Version: "2012-10-17",
            Statement: [statement("s3:GetObject"), statement("s3:DeleteObject")],
          },
        },
      ]).changes,
      "unnamed",
    );
    const text = (reasons: ChangeDocument["changeAccessReasons"]) =>
      (reasons ?? []).map((r) => r.text).join("\n");
    expect(text(change.changeAccessReasons)).toMatch(/head statement 1/);
    expect(text(change.changeAccessReasons)).not.toMatch(/\b(live|desired|file) statement/);
    expect(text(change.driftAccessReasons)).toMatch(/live statement 2/);
    expect(text(change.driftAccessReasons)).not.toMatch(/\b(head|desired|base) statement/);
  });
});

describe("a directory-bucket access point: its scope is one of the three states too", () => {
  const name = "reports--use1-az4--xa-s3";
  const arn = `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${name}`;
  const session: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: "s3express:CreateSession",
        Resource: arn,
      },
    ],
  };
  const wide = { prefixes: ["logs/*"], permissions: ["GetObject", "PutObject"] };
  const narrow = { prefixes: ["logs/*"], permissions: ["GetObject"] };
  const classify = (scopes: { base: typeof wide; head: typeof wide; live: typeof wide }) => {
    const head = desiredAp(name, { arn, policy: session, scope: scopes.head });
    const base = desiredAp(name, { arn, policy: session, scope: scopes.base });
    const live: LiveState = { kind: "policy", policy: session, scope: scopes.live };
    const planned = plan([head], new Map([[accessPointKey(head), live]]), null);
    const revision: BaseRevision = {
      ref: "HEAD",
      commit: null,
      desired: [base],
      invalidFiles: new Set(),
      warnings: [],
    };
    return changeDocument(withBase(planned, [head], revision).changes[0] as PlannedChange);
  };

  test("a scope widened out of band is drift that widens access", () => {
    const change = classify({ base: narrow, head: narrow, live: wide });
    expect(change).toMatchObject({ origin: "drift", driftAccess: "widens" });
    const [first, ...shown] = change.driftAccessReasons ?? [];
    expect(first).toEqual({ direction: "widens", text: "scope lets through PutObject" });
    // Shown by PutObject requests the file's scope refused and live's lets through.
    expect(shown.some((r) => r.request?.principal.value === ROLE)).toBe(true);
    for (const r of shown) {
      expect(r.request?.context["scope:operation"]).toBe("PutObject");
      expect(r.text).toContain("the file scope denied it");
    }
  });

  test("a scope the pull request narrows is a change that narrows access", () => {
    const change = classify({ base: wide, head: narrow, live: wide });
    expect(change).toMatchObject({ origin: "change", changeAccess: "narrows" });
    expect(change.driftAccess).toBeUndefined();
  });
});
