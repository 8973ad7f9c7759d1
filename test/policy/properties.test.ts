import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { canonicalize } from "../../src/policy/canonicalize.js";
import { diffPolicies } from "../../src/policy/diff.js";
import { equivalent } from "../../src/policy/equivalent.js";

// Realistic access point policies, meaning-preserving rewrites of them, and meaning changes.

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const ACCOUNTS = ["111122223333", "444455556666"];
const PRINCIPALS = [
  "arn:aws:iam::111122223333:role/reports",
  "arn:aws:iam::111122223333:role/etl",
  "arn:aws:iam::444455556666:user/auditor",
  ...ACCOUNTS,
];
const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:Get*"];
const RESOURCES = [AP, `${AP}/object/*`, `${AP}/object/in/*`, `${AP}/object/Reports/*`];
const VPCS = ["vpc-1a2b", "vpc-3c4d", "vpc-5e6f"];
const INTRUDER = "arn:aws:iam::999988887777:role/intruder";

type Statement = Record<string, unknown>;
/**
 * Random choices inside a property, from a seed fast-check draws (so a failure replays from
 * its seed). A plain PRNG: seedArb records every draw and made these tests ten times slower.
 */
class Choices {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  // mulberry32
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  bool(): boolean {
    return this.next() < 0.5;
  }
  /** 0..max inclusive. */
  int(max: number): number {
    return Math.floor(this.next() * (max + 1));
  }
  shuffle<T>(items: T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
type Gen = Choices;
const seedArb = fc.integer().map((seed) => new Choices(seed));

const conditionArb = fc.option(
  fc.record(
    {
      StringEquals: fc.record({ "aws:SourceVpc": fc.subarray(VPCS, { minLength: 1 }) }),
      Bool: fc.record({ "aws:SecureTransport": fc.boolean() }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const statementArb = fc
  .record({
    sid: fc.boolean(),
    effect: fc.constantFrom("Allow", "Deny"),
    principal: fc.oneof(
      { weight: 1, arbitrary: fc.constant("*") },
      { weight: 5, arbitrary: fc.subarray(PRINCIPALS, { minLength: 1 }) },
    ),
    actions: fc.subarray(ACTIONS, { minLength: 1 }),
    resources: fc.subarray(RESOURCES, { minLength: 1 }),
    condition: conditionArb,
  })
  .map(({ sid, effect, principal, actions, resources, condition }) => {
    const s: Statement = {
      Effect: effect,
      Principal: principal === "*" ? { AWS: ["*"] } : { AWS: principal },
      Action: actions,
      Resource: resources,
    };
    if (sid) s.Sid = "named";
    if (condition !== undefined && Object.keys(condition).length > 0) s.Condition = condition;
    return s;
  });

/** 1-10 statements; Sids made unique where present (or everywhere, with `allSids`). */
const policyArb = (allSids: boolean) =>
  fc.array(statementArb, { minLength: 1, maxLength: 10 }).map(
    (statements): PolicyDocument => ({
      Version: "2012-10-17",
      Statement: statements.map((s, i) => (allSids || "Sid" in s ? { ...s, Sid: `S${i}` } : s)),
    }),
  );

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const shuffle = <T>(g: Gen, items: T[]): T[] => g.shuffle(items);

/** A random rewrite of a value set that IAM reads as the same set. */
function rewriteSet(g: Gen, values: unknown[], mapItem: (v: unknown) => unknown): unknown {
  let items = shuffle(g, values).map(mapItem);
  if (items.length > 0 && g.bool()) items = [...items, items[0]];
  if (items.length === 1 && g.bool()) return items[0];
  return items;
}

function rewriteKeyOrder(g: Gen, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteKeyOrder(g, v));
  if (typeof value !== "object" || value === null) return value;
  const keys = shuffle(g, Object.keys(value));
  return Object.fromEntries(
    keys.map((k) => [k, rewriteKeyOrder(g, (value as Record<string, unknown>)[k])]),
  );
}

function rewriteStatement(g: Gen, s: Statement): Statement {
  const out: Statement = { ...s };
  const aws = (s.Principal as { AWS: string[] }).AWS;
  if (aws.length === 1 && aws[0] === "*" && g.bool()) out.Principal = "*";
  else {
    out.Principal = {
      AWS: rewriteSet(g, aws, (v) => {
        const id = /^arn:aws:iam::(\d{12}):root$/.exec(String(v))?.[1];
        if (/^\d{12}$/.test(String(v)) && g.bool()) return `arn:aws:iam::${v}:root`;
        return id !== undefined && g.bool() ? id : v;
      }),
    };
  }
  out.Action = rewriteSet(g, s.Action as string[], (v) => (g.bool() ? String(v).toUpperCase() : v));
  out.Resource = rewriteSet(g, s.Resource as string[], (v) => v);
  if (!("Sid" in s) && g.bool()) out.Sid = "";
  const condition = s.Condition as Record<string, Record<string, unknown>> | undefined;
  if (condition === undefined) {
    if (g.bool()) out.Condition = {};
  } else {
    const rewritten: Record<string, unknown> = {};
    for (const [operator, block] of Object.entries(condition)) {
      rewritten[operator] = Object.fromEntries(
        Object.entries(block).map(([key, value]) => [
          g.bool() ? key.toUpperCase() : key,
          Array.isArray(value)
            ? rewriteSet(g, value, (v) => v)
            : g.bool()
              ? String(value)
              : [value],
        ]),
      );
    }
    out.Condition = rewritten;
  }
  return out;
}

/** A random rewrite of a whole document that keeps its meaning. */
function rewrite(g: Gen, policy: PolicyDocument): PolicyDocument {
  const statements = (policy.Statement as Statement[]).map((s) => rewriteStatement(g, s));
  let out: PolicyDocument = { Version: policy.Version, Statement: shuffle(g, statements) };
  if (g.bool()) delete out.Version; // no policy variables here, so 2008 = 2012
  if (statements.length === 1 && g.bool()) out.Statement = statements[0];
  out = rewriteKeyOrder(g, out) as PolicyDocument;
  return JSON.parse(JSON.stringify(out, null, g.int(4)));
}

type Change = (g: Gen, policy: PolicyDocument) => PolicyDocument;
const pick = (g: Gen, policy: PolicyDocument): Statement => {
  const statements = policy.Statement as Statement[];
  return statements[g.int(statements.length - 1)] as Statement;
};
const CHANGES: Record<string, Change> = {
  "drop an action": (g, policy) => {
    const out = clone(policy);
    const s = pick(g, out);
    const actions = s.Action as string[];
    const dropped = actions[g.int(actions.length - 1)];
    s.Action = actions.filter((a) => a !== dropped);
    return out;
  },
  "change a principal": (g, policy) => {
    const out = clone(policy);
    const s = pick(g, out);
    const aws = (s.Principal as { AWS: string[] }).AWS;
    const i = g.int(aws.length - 1);
    s.Principal = { AWS: aws.map((p, j) => (j === i ? INTRUDER : p)) };
    return out;
  },
  "flip Effect": (g, policy) => {
    const out = clone(policy);
    const s = pick(g, out);
    s.Effect = s.Effect === "Allow" ? "Deny" : "Allow";
    return out;
  },
  "change a condition value": (g, policy) => {
    const out = clone(policy);
    const s = pick(g, out);
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const vpc = (condition.StringEquals?.["aws:SourceVpc"] as string[] | undefined) ?? [];
    const bool = condition.Bool?.["aws:SecureTransport"];
    if (bool !== undefined && (vpc.length === 0 || g.bool())) {
      condition.Bool = { "aws:SecureTransport": !bool };
    } else {
      const i = vpc.length === 0 ? 0 : g.int(vpc.length - 1);
      const next = [...vpc];
      next[i] = "vpc-0000";
      condition.StringEquals = { "aws:SourceVpc": next };
    }
    s.Condition = condition;
    return out;
  },
};

const RUNS = { numRuns: 200 };

describe("canonicalize: properties", () => {
  test("is idempotent on realistic policies and on any JSON", () => {
    fc.assert(
      fc.property(fc.oneof(policyArb(false), fc.jsonValue()), (value) => {
        const once = canonicalize(value as PolicyDocument);
        expect(canonicalize(once)).toEqual(once);
      }),
      RUNS,
    );
  });
});

describe("equivalent: properties", () => {
  test("is reflexive and symmetric, and never throws on any JSON", () => {
    const anything = fc.oneof(policyArb(false), fc.jsonValue());
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        const pa = a as PolicyDocument;
        const pb = b as PolicyDocument;
        expect(equivalent(pa, clone(pa)).equal).toBe(true);
        expect(equivalent(pa, pb).equal).toBe(equivalent(pb, pa).equal);
      }),
      RUNS,
    );
  });

  test("meaning-preserving rewrites stay equal", () => {
    fc.assert(
      fc.property(policyArb(false), seedArb, (policy, g) => {
        const rewritten = rewrite(g, policy);
        const result = equivalent(policy, rewritten);
        expect(result.equal).toBe(true);
        expect(equivalent(rewritten, policy).equal).toBe(true);
        if (JSON.stringify(policy) !== JSON.stringify(rewritten)) {
          expect(result.notes.length).toBeGreaterThan(0);
        }
        expect(diffPolicies(rewritten, policy)).toMatchObject({
          equal: true,
          added: [],
          removed: [],
          changed: [],
        });
      }),
      RUNS,
    );
  });

  for (const [name, change] of Object.entries(CHANGES)) {
    test(`a meaning change is never equal: ${name}`, () => {
      fc.assert(
        fc.property(policyArb(true), seedArb, (policy, g) => {
          const changed = change(g, policy);
          const disguised = rewrite(g, changed);
          expect(equivalent(policy, changed).equal).toBe(false);
          expect(equivalent(policy, disguised).equal).toBe(false);
          expect(equivalent(disguised, policy).equal).toBe(false);
          const diff = diffPolicies(policy, disguised);
          expect(diff.equal).toBe(false);
          expect(diff.changed.length + diff.added.length + diff.removed.length).toBeGreaterThan(0);
        }),
        RUNS,
      );
    });
  }
});
