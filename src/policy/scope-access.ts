// The access verdict of a directory-bucket access point: over policy ∩ scope. A request through
// it is a session (s3express:CreateSession, which the policy answers) used for one operation on
// one object key or list prefix, which the scope must let through; a scope that refuses it acts
// as an explicit deny. The exact search (request-search.ts) looks for such requests whose answer
// changes, so "widens" and "narrows" are each shown by one, whether the policy, the scope or
// both changed (the policy widening on a prefix the scope excludes widens nothing).
//
// A scope limits the operations (its permissions, from a fixed set of eight; none listed = all)
// and the object keys (its prefixes; none listed = every key). A session's mode limits it too: a
// ReadOnly session cannot write (s3express:SessionMode, "CreateSession"). A request carries the
// operation and the key as `scope:operation` and `scope:key` (absent: a list without a prefix).
// A prefix ending in `*` lets through every key it starts. AWS does not document whether a
// prefix without one names that key or every key it starts: a request that only the second
// reading lets through is undecided, and a direction only such requests show is "may".
import type { AccessPointScope, PolicyDocument } from "../model.js";
import { SCOPE_PERMISSIONS } from "../model.js";
import { type AccessReason, APPLY_SIDES } from "./access-reasons.js";
import {
  type AccessVerdict,
  type AccessVerdictOptions,
  accessVerdict,
  type PolicySides,
  type SearchLimits,
} from "./access-verdict.js";
import type { Clause } from "./condition-clause.js";
import { parseOperator } from "./condition-operator.js";
import type { PolicyDiff } from "./diff.js";
import { equivalent } from "./equivalent.js";
import type { KeyPresence, SearchStatement } from "./request-search.js";
import { EVERYONE } from "./statement-dimensions.js";

const ALL_PERMISSIONS: readonly string[] = SCOPE_PERMISSIONS;
/** Operations a ReadOnly session cannot use. */
const WRITES = ["PutObject", "DeleteObject", "AbortMultipartUpload"];
/** Operations that may name no key (a list without a prefix). */
const LISTS = ["ListBucket", "ListBucketMultipartUploads"];

const CREATE_SESSION = "s3express:createsession";
const SESSION_MODE = "s3express:sessionmode";
const OPERATION = "scope:operation";
const KEY = "scope:key";
/** Stands for AWS's undocumented reading of a prefix without `*`: never decided. */
const READING = "scope:prefixreading";

function permissionsOf(scope: AccessPointScope | null): Set<string> {
  return new Set(
    scope === null || scope.permissions.length === 0 ? ALL_PERMISSIONS : scope.permissions,
  );
}

/** null: every key. */
function prefixesOf(scope: AccessPointScope | null): string[] | null {
  return scope === null || scope.prefixes.length === 0 ? null : [...new Set(scope.prefixes)];
}

/** Whether every key `inner` lets through, `outer` lets through too (certainly). */
function prefixCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (!outer.endsWith("*")) return false;
  return inner.startsWith(outer.slice(0, -1));
}

/** What `after` lets through that `before` does not, in words, with the given direction. */
function wider(
  before: AccessPointScope | null,
  after: AccessPointScope | null,
  direction: "widens" | "narrows",
): AccessReason[] {
  const reasons: AccessReason[] = [];
  const had = permissionsOf(before);
  const added = [...permissionsOf(after)].filter((p) => !had.has(p));
  if (added.length > 0) {
    const verb = direction === "widens" ? "lets through" : "no longer lets through";
    reasons.push({ direction, text: `scope ${verb} ${added.join(", ")}` });
  }
  const outer = prefixesOf(before);
  const inner = prefixesOf(after);
  if (outer !== null) {
    if (inner === null) {
      const text =
        direction === "widens"
          ? `scope no longer limits object keys (was ${outer.join(", ")})`
          : `scope now limits object keys to ${outer.join(", ")}`;
      reasons.push({ direction, text });
    } else {
      const uncovered = inner.filter((p) => !outer.some((o) => prefixCovers(o, p)));
      if (uncovered.length > 0) {
        const verb = direction === "widens" ? "adds" : "drops";
        reasons.push({ direction, text: `scope ${verb} prefix ${uncovered.join(", ")}` });
      }
    }
  }
  return reasons;
}

/** What changed between two scopes, in words (the search decides which of them count). */
function scopeReasons(
  before: AccessPointScope | null,
  after: AccessPointScope | null,
): AccessReason[] {
  return [...wider(before, after, "widens"), ...wider(after, before, "narrows")];
}

/** A prefix as a StringLike pattern of literal text: `*`, `?` and `$` escaped. */
function literalText(text: string): string {
  return text.replace(/[*?$]/g, (c) => `\${${c}}`);
}

function clause(operatorText: string, key: string, values: readonly string[]): Clause {
  return { operatorText, operator: parseOperator(operatorText), key, values, variables: true };
}

/** A Deny of sessions for everyone under `clauses`: how the search sees a limit. */
function refusal(side: 0 | 1, label: string, clauses: Clause[]): SearchStatement {
  return {
    side,
    effect: "Deny",
    principal: { kind: "in", values: [EVERYONE] },
    action: { kind: "in", values: [CREATE_SESSION] },
    resource: { kind: "in", values: ["*"] },
    clauses,
    variables: true,
    json: JSON.stringify({
      limit: label,
      clauses: clauses.map((c) => [c.operatorText, c.key, c.values]),
    }),
    label,
  };
}

/** What a scope refuses, as Denies on one side. */
function scopeRefusals(
  scope: AccessPointScope | null,
  side: 0 | 1,
  label: string,
): SearchStatement[] {
  if (scope === null) return [];
  const out: SearchStatement[] = [];
  if (scope.permissions.length > 0) {
    const permissions = [...new Set(scope.permissions)];
    out.push(refusal(side, label, [clause("StringNotEquals", OPERATION, permissions)]));
  }
  const prefixes = prefixesOf(scope);
  if (prefixes !== null) {
    const starred = prefixes.filter((p) => p.endsWith("*"));
    const bare = prefixes.filter((p) => !p.endsWith("*"));
    const certain = starred.map((p) => `${literalText(p.slice(0, -1))}*`);
    // Keys no reading lets through are refused; keys only the prefix reading lets through are
    // refused under the other reading: undecided.
    const loose = bare.map((p) => `${literalText(p)}*`);
    out.push(refusal(side, label, [clause("StringNotLike", KEY, [...certain, ...loose])]));
    if (bare.length > 0) {
      const exact = bare.map(literalText);
      out.push(
        refusal(side, label, [
          clause("StringNotLike", KEY, [...certain, ...exact]),
          clause("(prefix or key)", READING, []),
        ]),
      );
    }
  }
  return out;
}

/**
 * What no session does, on both sides alike: operations outside the eight, a mode IAM lacks, a
 * ReadOnly session that writes. `modes`: whether a policy tests the session mode; where none
 * does, every mode gets the same answers, and a ReadWrite session stands for both.
 */
function sessionRules(prefixes: boolean, modes: boolean): Array<[string, Clause[]]> {
  const rules: Array<[string, Clause[]]> = [
    ["operations", [clause("StringNotEquals", OPERATION, ALL_PERMISSIONS)]],
  ];
  if (modes) {
    rules.push(
      ["session modes", [clause("StringNotEquals", SESSION_MODE, ["ReadOnly", "ReadWrite"])]],
      [
        "a ReadOnly session",
        [
          clause("StringEquals", SESSION_MODE, ["ReadOnly"]),
          clause("StringEquals", OPERATION, WRITES),
        ],
      ],
    );
  }
  if (prefixes) {
    rules.push([
      "keys",
      [clause("Null", KEY, ["true"]), clause("StringNotEquals", OPERATION, LISTS)],
    ]);
  }
  return rules;
}

function presence(key: string, action: { lower: string }): KeyPresence | undefined {
  if (key !== OPERATION && key !== KEY && key !== READING) return undefined;
  if (action.lower !== CREATE_SESSION) return { kind: "absent" };
  return key === READING ? { kind: "fixed", value: "undecided" } : { kind: "free" };
}

const HIDDEN = new Set([READING]);

function why(text: string): string {
  return text.includes(READING)
    ? "a scope prefix without * may name one key or every key it starts (AWS does not document which)"
    : text;
}

/**
 * The search's limits for a scope change (undefined: neither side has a scope). `policies`: the
 * two policies the scopes go with (whether one tests the session mode; unknown: assume so).
 */
export function scopeLimits(
  before: AccessPointScope | null,
  after: AccessPointScope | null,
  sides: PolicySides,
  policies?: readonly [PolicyDocument | null, PolicyDocument | null],
): (SearchLimits & { reasons: AccessReason[] }) | undefined {
  if (before === null && after === null) return undefined;
  const prefixes = prefixesOf(before) !== null || prefixesOf(after) !== null;
  // Any mention of the key counts (a policy variable, a key in another letter case).
  const modes =
    policies === undefined ||
    policies.some((p) => p !== null && JSON.stringify(p).toLowerCase().includes(SESSION_MODE));
  const rules = sessionRules(prefixes, modes);
  const both = (side: 0 | 1) =>
    rules.map(([what, clauses]) => refusal(side, `no session (${what})`, clauses));
  return {
    before: [...scopeRefusals(before, 0, `the ${sides.before} scope`), ...both(0)],
    after: [...scopeRefusals(after, 1, `the ${sides.after} scope`), ...both(1)],
    presence,
    hidden: HIDDEN,
    why,
    reasons: sameScope(before, after) ? [] : scopeReasons(before, after),
  };
}

/**
 * The verdict over policy ∩ scope of a directory-bucket access point (null scope: none). `sides`
 * names the two states in the reasons.
 */
export function scopedAccessVerdict(
  policy: { before: PolicyDocument | null; after: PolicyDocument | null },
  scope: { before: AccessPointScope | null; after: AccessPointScope | null },
  options: AccessVerdictOptions = {},
  diff?: PolicyDiff,
  sides: PolicySides = APPLY_SIDES,
): AccessVerdict {
  if (
    sameScope(scope.before, scope.after) &&
    (policy.before === policy.after ||
      (policy.before !== null &&
        policy.after !== null &&
        equivalent(policy.before, policy.after, options).equal))
  ) {
    return { access: "same", reasons: [] };
  }
  const limits = scopeLimits(scope.before, scope.after, sides, [policy.before, policy.after]);
  return accessVerdict(policy.before, policy.after, options, diff, sides, limits);
}

/** Two scopes let the same requests through (order and repeats do not matter). */
export function sameScope(a: AccessPointScope | null, b: AccessPointScope | null): boolean {
  const key = (s: AccessPointScope | null) => {
    const prefixes = prefixesOf(s);
    return JSON.stringify([
      [...permissionsOf(s)].sort(),
      prefixes === null ? null : [...prefixes].sort(),
    ]);
  };
  return key(a) === key(b);
}
