import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { type AccessChange, accessVerdict } from "../../src/policy/access-verdict.js";
import { ACCOUNT, AP, compareOverUniverse, OTHER_ACCOUNT } from "./support/iam-oracle.js";

// Random access point policies and random statement edits, checked against a brute-force IAM
// evaluator over a small universe of callers × actions × resources × request contexts.

type Statement = Record<string, unknown>;

const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:role/reports`,
  `arn:aws:iam::${ACCOUNT}:role/etl`,
  `arn:aws:iam::${OTHER_ACCOUNT}:root`,
  OTHER_ACCOUNT,
];
const ACTION_PATTERNS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "s3:DeleteObject",
  "s3:Get*",
  "s3:*Object",
  "s3:*",
  "*",
];
const RESOURCE_PATTERNS = [AP, `${AP}/object/*`, `${AP}/object/a.txt`, `${AP}/object/in/*`, "*"];
const OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringLike",
  "StringNotLike",
  "StringEqualsIfExists",
  "StringNotEqualsIfExists",
];
const CONDITION_VALUES: Record<string, string[]> = {
  "aws:SourceVpc": ["vpc-1", "vpc-2", "vpc-*"],
  "aws:PrincipalTag/team": ["red", "blue", "r*"],
};

const someOf = <T>(items: readonly T[]) =>
  fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: 3 });

const principalArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant("*"), weight: 1 },
  { arbitrary: someOf(PRINCIPALS).map((aws) => ({ AWS: aws })), weight: 5 },
  { arbitrary: fc.constant({ Service: "cloudfront.amazonaws.com" }), weight: 1 },
);

const conditionArb = fc.option(
  fc
    .tuple(
      fc.constantFrom(...OPERATORS),
      fc.constantFrom(...Object.keys(CONDITION_VALUES)),
      fc.integer({ min: 0, max: 100 }),
    )
    .chain(([operator, key]) =>
      someOf(CONDITION_VALUES[key] as string[]).map((values) => ({
        [operator]: { [key]: values },
      })),
    ),
  { freq: 2 },
);

const statementArb: fc.Arbitrary<Statement> = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Deny"),
    principal: principalArb,
    negatePrincipal: fc.nat(9).map((n) => n === 0),
    actions: someOf(ACTION_PATTERNS),
    negateActions: fc.nat(5).map((n) => n === 0),
    resources: someOf(RESOURCE_PATTERNS),
    negateResources: fc.nat(7).map((n) => n === 0),
    condition: conditionArb,
  })
  .map((r) => {
    const s: Statement = { Effect: r.effect };
    if (r.negatePrincipal && typeof r.principal === "object") s.NotPrincipal = r.principal;
    else s.Principal = r.principal;
    s[r.negateActions ? "NotAction" : "Action"] = r.actions;
    s[r.negateResources ? "NotResource" : "Resource"] = r.resources;
    if (r.condition !== null) s.Condition = r.condition;
    return s;
  });

const policyArb = fc
  .array(statementArb, { minLength: 1, maxLength: 4 })
  .map((Statement): PolicyDocument => ({ Version: "2012-10-17", Statement }));

function clone<T>(value: T): T {
  return structuredClone(value);
}

function statements(policy: PolicyDocument): Statement[] {
  return policy.Statement as Statement[];
}

/** An edit: the policy after it, or null when it does not apply to this policy. */
type Edit = (policy: PolicyDocument, pick: number) => PolicyDocument | null;

function onStatement(
  filter: (s: Statement) => boolean,
  change: (s: Statement, pick: number) => boolean,
): Edit {
  return (policy, pick) => {
    const out = clone(policy);
    const candidates = statements(out).filter(filter);
    const target = candidates[pick % Math.max(1, candidates.length)];
    if (target === undefined) return null;
    return change(target, pick) ? out : null;
  };
}

const isAllow = (s: Statement) => s.Effect === "Allow";
const isDeny = (s: Statement) => s.Effect === "Deny";

/** Adds a value to the positive list (Principal AWS, Action, Resource) of a statement. */
function addValue(field: "Principal" | "Action" | "Resource", pool: string[]) {
  return (s: Statement, pick: number) => {
    if (field === "Principal") {
      const p = s.Principal as Record<string, unknown> | string | undefined;
      if (typeof p !== "object" || !Array.isArray(p.AWS)) return false;
      const value = pool.find(
        (v, i) => i >= pick % pool.length && !(p.AWS as string[]).includes(v),
      );
      if (value === undefined) return false;
      (p.AWS as string[]).push(value);
      return true;
    }
    const list = s[field];
    if (!Array.isArray(list)) return false;
    const value = pool.find((v, i) => i >= pick % pool.length && !list.includes(v));
    if (value === undefined) return false;
    list.push(value);
    return true;
  };
}

/** Removes one value of a list with at least two (NotX lists included when `field` is NotX). */
function removeValue(field: string) {
  return (s: Statement, pick: number) => {
    let list = s[field];
    if (field === "Principal" || field === "NotPrincipal") {
      const p = s[field];
      list = typeof p === "object" && p !== null ? (p as Record<string, unknown>).AWS : undefined;
    }
    if (!Array.isArray(list) || list.length < 2) return false;
    list.splice(pick % list.length, 1);
    return true;
  };
}

function conditionEntries(s: Statement): Array<[string, string, string[]]> {
  const out: Array<[string, string, string[]]> = [];
  for (const [operator, block] of Object.entries((s.Condition ?? {}) as Record<string, unknown>)) {
    for (const [key, values] of Object.entries(block as Record<string, string[]>)) {
      out.push([operator, key, values]);
    }
  }
  return out;
}

const addCondition = (s: Statement, pick: number) => {
  if (s.Condition !== undefined) return false;
  const vpc = pick % 2 === 0 ? "vpc-1" : "vpc-*";
  s.Condition = { [pick % 3 === 0 ? "StringLike" : "StringEquals"]: { "aws:SourceVpc": [vpc] } };
  return true;
};
const removeCondition = (s: Statement) => {
  if (s.Condition === undefined) return false;
  delete s.Condition;
  return true;
};
/** A condition that matches more requests: a value more for a positive operator, one less for
 *  a negated one. */
const loosenCondition = (s: Statement, pick: number) => {
  const entries = conditionEntries(s);
  const entry = entries[pick % Math.max(1, entries.length)];
  if (entry === undefined) return false;
  const [operator, key, values] = entry;
  if (operator.includes("Not")) {
    if (values.length < 2) return false;
    values.splice(pick % values.length, 1);
    return true;
  }
  const extra = (CONDITION_VALUES[key] as string[]).find((v) => !values.includes(v));
  if (extra === undefined) return false;
  values.push(extra);
  return true;
};
const tightenCondition = (s: Statement, pick: number) => {
  const entries = conditionEntries(s);
  const entry = entries[pick % Math.max(1, entries.length)];
  if (entry === undefined) return false;
  const [operator, key, values] = entry;
  if (!operator.includes("Not")) {
    if (values.length < 2) return false;
    values.splice(pick % values.length, 1);
    return true;
  }
  const extra = (CONDITION_VALUES[key] as string[]).find((v) => !values.includes(v));
  if (extra === undefined) return false;
  values.push(extra);
  return true;
};
const flip = (to: "Allow" | "Deny") => (s: Statement) => {
  s.Effect = to;
  return true;
};
function dropStatement(filter: (s: Statement) => boolean): Edit {
  return (policy, pick) => {
    const list = statements(policy);
    const indexes = list.map((s, i) => (filter(s) ? i : -1)).filter((i) => i >= 0);
    if (indexes.length === 0 || list.length < 2) return null;
    const drop = indexes[pick % indexes.length] as number;
    return { ...clone(policy), Statement: list.filter((_, i) => i !== drop).map(clone) };
  };
}
function addStatement(effect: "Allow" | "Deny"): Edit {
  return (policy, pick) => {
    const extra: Statement = {
      Effect: effect,
      Principal: { AWS: [PRINCIPALS[pick % PRINCIPALS.length]] },
      Action: [ACTION_PATTERNS[pick % ACTION_PATTERNS.length]],
      Resource: [RESOURCE_PATTERNS[pick % RESOURCE_PATTERNS.length]],
    };
    return { ...clone(policy), Statement: [...statements(clone(policy)), extra] };
  };
}

const WIDENING: Record<string, Edit> = {
  "adds a principal to an Allow": onStatement(isAllow, addValue("Principal", PRINCIPALS)),
  "adds an action to an Allow": onStatement(isAllow, addValue("Action", ACTION_PATTERNS)),
  "adds a resource to an Allow": onStatement(isAllow, addValue("Resource", RESOURCE_PATTERNS)),
  "removes an Allow's condition": onStatement(isAllow, removeCondition),
  "loosens an Allow's condition": onStatement(isAllow, loosenCondition),
  "removes a NotAction value of an Allow": onStatement(isAllow, removeValue("NotAction")),
  "adds an Allow statement": addStatement("Allow"),
  "removes a Deny statement": dropStatement(isDeny),
  "removes a principal from a Deny": onStatement(isDeny, removeValue("Principal")),
  "removes an action from a Deny": onStatement(isDeny, removeValue("Action")),
  "removes a resource from a Deny": onStatement(isDeny, removeValue("Resource")),
  "adds a condition to a Deny": onStatement(isDeny, addCondition),
  "tightens a Deny's condition": onStatement(isDeny, tightenCondition),
  "turns a Deny into an Allow": onStatement(isDeny, flip("Allow")),
};

const NARROWING: Record<string, Edit> = {
  "removes a principal from an Allow": onStatement(isAllow, removeValue("Principal")),
  "removes an action from an Allow": onStatement(isAllow, removeValue("Action")),
  "removes a resource from an Allow": onStatement(isAllow, removeValue("Resource")),
  "adds a condition to an Allow": onStatement(isAllow, addCondition),
  "tightens an Allow's condition": onStatement(isAllow, tightenCondition),
  "removes an Allow statement": dropStatement(isAllow),
  "adds a Deny statement": addStatement("Deny"),
  "adds a principal to a Deny": onStatement(isDeny, addValue("Principal", PRINCIPALS)),
  "adds an action to a Deny": onStatement(isDeny, addValue("Action", ACTION_PATTERNS)),
  "removes a Deny's condition": onStatement(isDeny, removeCondition),
  "loosens a Deny's condition": onStatement(isDeny, loosenCondition),
  "turns an Allow into a Deny": onStatement(isAllow, flip("Deny")),
};

/** Splits a statement's list of `field` values into two statements. */
function split(field: "Action" | "Resource"): Edit {
  return (policy, pick) => {
    const list = statements(clone(policy));
    const index = list.findIndex((s, i) => i >= pick % list.length && Array.isArray(s[field]));
    const target = list[index];
    if (target === undefined || (target[field] as string[]).length < 2) return null;
    const values = target[field] as string[];
    const cut = 1 + (pick % (values.length - 1));
    const first = { ...clone(target), [field]: values.slice(0, cut) };
    const second = { ...clone(target), [field]: values.slice(cut) };
    return {
      ...policy,
      Statement: [...list.slice(0, index), first, second, ...list.slice(index + 1)],
    };
  };
}

const REWRITES: Record<string, Edit> = {
  "reverses the statements": (p) => ({
    ...clone(p),
    Statement: [...statements(clone(p))].reverse(),
  }),
  "repeats a statement": (p, pick) => {
    const list = statements(clone(p));
    return { ...p, Statement: [...list, clone(list[pick % list.length])] };
  },
  "writes actions in upper case and reversed": (p) => {
    const out = clone(p);
    for (const s of statements(out)) {
      for (const field of ["Action", "NotAction"]) {
        if (Array.isArray(s[field]))
          s[field] = (s[field] as string[]).map((a) => a.toUpperCase()).reverse();
      }
    }
    return out;
  },
  "writes one-element lists as strings": (p) => {
    const out = clone(p);
    for (const s of statements(out)) {
      for (const field of ["Action", "NotAction", "Resource", "NotResource"]) {
        const v = s[field];
        if (Array.isArray(v) && v.length === 1) s[field] = v[0];
      }
    }
    return out;
  },
  "splits a statement's actions": split("Action"),
  "splits a statement's resources": split("Resource"),
  "renames the Sids": (p) => {
    const out = clone(p);
    statements(out).forEach((s, i) => {
      s.Sid = `Renamed${i}`;
    });
    return out;
  },
  "writes {AWS: *} for *": (p) => {
    const out = clone(p);
    for (const s of statements(out)) if (s.Principal === "*") s.Principal = { AWS: "*" };
    return out;
  },
  "writes account ids as root ARNs": (p) => {
    const out = clone(p);
    for (const s of statements(out)) {
      for (const field of ["Principal", "NotPrincipal"]) {
        const v = s[field] as Record<string, unknown> | undefined;
        if (typeof v === "object" && Array.isArray(v.AWS)) {
          v.AWS = (v.AWS as string[]).map((a) =>
            /^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a,
          );
        }
      }
    }
    return out;
  },
  "adds a duplicate Allow covered by another": (p, pick) => {
    const list = statements(clone(p));
    const allow = list.find(
      (s, i) => i >= pick % list.length && isAllow(s) && Array.isArray(s.Action),
    );
    if (allow === undefined || (allow.Action as string[]).length < 2) return null;
    const narrower = { ...clone(allow), Action: [(allow.Action as string[])[0]] };
    return { ...p, Statement: [...list, narrower] };
  },
};

function run(edits: Record<string, Edit>) {
  return fc.tuple(policyArb, fc.constantFrom(...Object.keys(edits)), fc.nat(1000));
}

const RUNS = { numRuns: 300 };

function verdictOf(before: PolicyDocument | null, after: PolicyDocument | null): AccessChange {
  return accessVerdict(before, after).access;
}

describe("the access verdict against a brute-force IAM evaluator", () => {
  test("never says narrows or same when some request is allowed (or no longer denied) after", () => {
    fc.assert(
      fc.property(policyArb, policyArb, (before, after) => {
        const { up, down } = compareOverUniverse(before, after);
        const access = verdictOf(before, after);
        if (up !== undefined) expect(["widens", "mixed"], JSON.stringify(up)).toContain(access);
        if (down !== undefined) expect(["narrows", "mixed"]).toContain(access);
      }),
      { numRuns: 1000 },
    );
  });

  test("a create widens by its Allows and narrows by its Denies; a delete the other way", () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const created = compareOverUniverse(null, policy);
        const createVerdict = verdictOf(null, policy);
        if (created.up !== undefined) expect(["widens", "mixed"]).toContain(createVerdict);
        if (created.down !== undefined) expect(["narrows", "mixed"]).toContain(createVerdict);
        const deleted = compareOverUniverse(policy, null);
        const deleteVerdict = verdictOf(policy, null);
        if (deleted.up !== undefined) expect(["widens", "mixed"]).toContain(deleteVerdict);
        if (deleted.down !== undefined) expect(["narrows", "mixed"]).toContain(deleteVerdict);
      }),
      RUNS,
    );
  });

  test("a widening edit gives widens or mixed (same only when nothing changed at all)", () => {
    let applied = 0;
    fc.assert(
      fc.property(run(WIDENING), ([before, name, pick]) => {
        const after = (WIDENING[name] as Edit)(before, pick);
        if (after === null) return;
        applied++;
        const { up, down } = compareOverUniverse(before, after);
        expect(down, `${name} must never take access away`).toBeUndefined();
        const access = verdictOf(before, after);
        if (up !== undefined) expect(["widens", "mixed"], name).toContain(access);
        else expect(["widens", "mixed", "same"], name).toContain(access);
      }),
      RUNS,
    );
    expect(applied).toBeGreaterThan(100);
  });

  test("a narrowing edit gives narrows or mixed (same only when nothing changed at all)", () => {
    let applied = 0;
    fc.assert(
      fc.property(run(NARROWING), ([before, name, pick]) => {
        const after = (NARROWING[name] as Edit)(before, pick);
        if (after === null) return;
        applied++;
        const { up, down } = compareOverUniverse(before, after);
        expect(up, `${name} must never grant anything`).toBeUndefined();
        const access = verdictOf(before, after);
        if (down !== undefined) expect(["narrows", "mixed"], name).toContain(access);
        else expect(["narrows", "mixed", "same"], name).toContain(access);
      }),
      RUNS,
    );
    expect(applied).toBeGreaterThan(100);
  });

  test("a meaning-preserving rewrite gives same", () => {
    let applied = 0;
    fc.assert(
      fc.property(run(REWRITES), ([before, name, pick]) => {
        const after = (REWRITES[name] as Edit)(before, pick);
        if (after === null) return;
        applied++;
        const { up, down } = compareOverUniverse(before, after);
        expect(up ?? down, `${name} must not change any answer`).toBeUndefined();
        expect(verdictOf(before, after), name).toBe("same");
      }),
      RUNS,
    );
    expect(applied).toBeGreaterThan(100);
  });
});
