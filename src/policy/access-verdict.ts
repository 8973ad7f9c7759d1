// Whether a policy change widens access: an offline verdict from the two documents alone.
//
// IAM evaluates an access point policy per request: an explicit Deny in a matching statement
// refuses it, else an Allow in a matching statement grants it, else the policy says nothing
// (IAM user guide, "Policy evaluation logic"). So each request gets one of three answers,
// ordered deny < nothing < allow. A change widens access exactly when some request's answer
// goes up (newly allowed, or no longer denied), and narrows it when some answer goes down.
//
// "No policy" says nothing to every request: without a resource-based policy, only the
// caller's identity-based policies in the access point's own account can allow it, and nothing
// is explicitly denied. A create therefore widens by every Allow and narrows by every Deny it
// brings; a delete the other way round.
//
// The verdict is exact: "widens" and "narrows" are each shown by a request whose answer goes
// that way (request-search.ts), and "same" means the search found none either way. Where the
// search cannot rule a direction out (an operator or value IAM would not compare, a statement
// s3ap cannot read, a policy variable where no rule covers every value), the verdict is "mixed"
// with the reason — never a direction that is not true.

import type { PolicyDocument } from "../model.js";
import {
  type AccessReason,
  APPLY_SIDES,
  diffReasons,
  type PolicySides,
  witnessReason,
} from "./access-reasons.js";
import { callersFor } from "./callers.js";
import { type CanonicalizeOptions, statementEntries, statementList } from "./canonicalize.js";
import { diffPolicies, type PolicyDiff } from "./diff.js";
import { equivalent } from "./equivalent.js";
import { flatText } from "./flat-text.js";
import { glob, regionsOf } from "./glob-regions.js";
import { type ParsedStatement, parseStatement } from "./parsed-statement.js";
import {
  type ActionSample,
  type KeyPresence,
  type SearchResult,
  type SearchStatement,
  searchRequests,
} from "./request-search.js";
import { isPlainObject } from "./structural.js";

export type AccessChange = "widens" | "narrows" | "mixed" | "same";

export type {
  AccessReason,
  AccessRequest,
  PolicySides,
  ReasonPrincipal,
} from "./access-reasons.js";

export interface AccessVerdict {
  access: AccessChange;
  /** Why, most important first: what widens, then what narrows, then what is unclear. */
  reasons: AccessReason[];
}

/**
 * What IAM's service authorization data says of requests through an access point (the caller
 * reads it from the data: validate/iam-authorization.ts).
 */
export interface AccessPointAuthorization {
  /** The access point's ARN: requests name it or its objects (`ARN/object/...`). */
  arn: string;
  /** The actions whose requests act on the access point or its objects. */
  actions: readonly ActionSample[];
  /**
   * Whether a request of `action` on a resource of `kind` can carry `key` ("free": with any
   * value, or none) or never does ("absent": a key of another service, or one IAM does not know).
   */
  carries(
    key: string,
    action: ActionSample,
    kind: ActionSample["kinds"][number],
  ): "free" | "absent";
}

export interface AccessVerdictOptions extends CanonicalizeOptions {
  /**
   * With it, requests carry the actions of the access point's service and name it or its
   * objects, with the condition keys IAM's data says they carry; without it, actions and
   * resources are compared as patterns over every string.
   */
  authorization?: AccessPointAuthorization;
}

/** A document's statements; null when its Statement cannot be read as a list. */
function parsedStatements(
  policy: PolicyDocument | null,
  partition: string,
): ParsedStatement[] | null {
  if (policy === null) return [];
  const list = statementList(policy);
  if (list === null) return null;
  const variables = isPlainObject(policy) && policy.Version === "2012-10-17";
  return statementEntries(list, partition).map((entry) => parseStatement(entry, variables));
}

function label(s: ParsedStatement, side: string): string {
  const sid = isPlainObject(s.entry.canonical) ? s.entry.canonical.Sid : undefined;
  return typeof sid === "string" && sid !== ""
    ? `statement ${JSON.stringify(sid)}`
    : `${side} statement ${s.entry.position}`;
}

function searchStatement(s: ParsedStatement, side: 0 | 1, sides: PolicySides): SearchStatement {
  return {
    side,
    effect: s.effect,
    principal: s.principal,
    action: s.action && {
      kind: s.action.kind,
      values: s.action.values.map((v) => v.toLowerCase()),
    },
    resource: s.resource,
    clauses: s.clauses,
    variables: s.variables,
    json: s.entry.json,
    label: label(s, side === 0 ? sides.before : sides.after),
  };
}

/** The actions requests can carry: the access point's service's, or samples of the patterns. */
function actionUniverse(
  authorization: AccessPointAuthorization | undefined,
  statements: readonly SearchStatement[],
): { actions: readonly ActionSample[]; complete: boolean } {
  if (authorization !== undefined) return { actions: authorization.actions, complete: true };
  const patterns = statements.flatMap((s) => (s.action?.values ?? []).map((v) => glob(v)));
  const found = regionsOf(patterns);
  return {
    actions: found.regions.map((r) => ({ lower: r.text, display: r.text, kinds: [] })),
    complete: found.complete,
  };
}

/** What a request of `action` on a resource of `kind` carries for `key`. */
function presenceFor(authorization: AccessPointAuthorization | undefined) {
  if (authorization === undefined) return (): KeyPresence => ({ kind: "free" });
  const [, , service, , account] = authorization.arn.split(":");
  return (
    key: string,
    action: ActionSample,
    kind: ActionSample["kinds"][number] | undefined,
  ): KeyPresence => {
    // Every request through an access point names it (S3 User Guide, "Condition keys for
    // access points": s3:DataAccessPointArn, s3:DataAccessPointAccount): these keys are fixed.
    if (key === `${service}:dataaccesspointarn`) return { kind: "fixed", value: authorization.arn };
    if (key === `${service}:dataaccesspointaccount` && account !== undefined) {
      return { kind: "fixed", value: account };
    }
    if (kind === undefined) return { kind: "free" };
    return { kind: authorization.carries(key, action, kind) };
  };
}

const ORDER = { widens: 0, narrows: 1, unclear: 2 } as const;

/**
 * What limits requests besides the two policies, as statements the search adds to each side: a
 * directory bucket's scope (scope-access.ts), or the zone of trust (trust.ts). Such a statement
 * has no place in the policy's diff, only in the search.
 */
export interface SearchLimits {
  before: readonly SearchStatement[];
  after: readonly SearchStatement[];
  /** What a request carries for a key only these statements test; undefined: IAM's data says. */
  presence?: (key: string, action: ActionSample) => KeyPresence | undefined;
  /** Keys the reasons do not show (a key that only tells the search apart from itself). */
  hidden?: ReadonlySet<string>;
  /** Words why the search could not rule a direction out, where a limit is the cause. */
  why?: (text: string) => string;
  /** Only a request newly allowed counts as a widening (not one that is no longer denied). */
  grantsOnly?: boolean;
}

/** The exact search over two policies (and their limits), before it is put in words. */
export type ChangeSearch =
  | { kind: "unreadable" }
  | {
      kind: "searched";
      result: SearchResult;
      up: boolean;
      down: boolean;
      /** Why a direction could not be ruled out, where no request shows it. */
      unsureUp: string[];
      unsureDown: string[];
      /** The condition keys the statements test (shown in reasons). */
      tested: Set<string>;
      /** The policies' own statements, per side (the limits' are not among them). */
      statements: readonly SearchStatement[];
    };

/** Requests whose answer differs between `before` and `after` (null: no policy), limits included. */
export function searchChange(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  options: AccessVerdictOptions = {},
  sides: PolicySides = APPLY_SIDES,
  limits?: SearchLimits,
  parsed?: { before: ParsedStatement[] | null; after: ParsedStatement[] | null },
): ChangeSearch {
  const partition = options.partition ?? "aws";
  const b = parsed?.before ?? parsedStatements(before, partition);
  const a = parsed?.after ?? parsedStatements(after, partition);
  if (b === null || a === null) return { kind: "unreadable" };

  const authorization = options.authorization;
  const own = [
    ...b.map((s) => searchStatement(s, 0, sides)),
    ...a.map((s) => searchStatement(s, 1, sides)),
  ];
  const statements = limits === undefined ? own : [...own, ...limits.before, ...limits.after];
  const principalValues = new Set<string>();
  for (const s of statements) for (const v of s.principal?.values ?? []) principalValues.add(v);
  const principalClauses = statements.flatMap((s) =>
    (s.clauses ?? []).filter(
      (c) => c.key === "aws:principalarn" || c.key === "aws:principalaccount",
    ),
  );
  const usesUserName = statements.some(
    (s) =>
      (s.clauses ?? []).some((c) => c.key === "aws:username") ||
      (s.variables && s.json.toLowerCase().includes("${aws:username")),
  );
  const callers = callersFor(
    principalValues,
    principalClauses,
    partition,
    authorization?.arn.split(":")[4],
    usesUserName,
  );
  const universe = actionUniverse(authorization, statements);
  const base = presenceFor(authorization);
  const limited = limits?.presence;
  const result = searchRequests({
    statements,
    callers: callers.callers,
    actions: universe.actions,
    accessPointArn: authorization?.arn,
    presence:
      limited === undefined
        ? base
        : (key, action, kind) => limited(key, action) ?? base(key, action, kind),
    grantsOnly: limits?.grantsOnly === true,
  });
  const up = result.findings.some((f) => f.up !== undefined);
  const down = result.findings.some((f) => f.down !== undefined);
  const reword = limits?.why ?? ((text: string) => text);
  const unsureUp = up ? [] : [...result.unsure.up].map(reword);
  const unsureDown = down ? [] : [...result.unsure.down].map(reword);
  if (!callers.complete) {
    const why = "aws:PrincipalArn or aws:PrincipalAccount values with wildcards in the account";
    if (!up) unsureUp.push(why);
    if (!down) unsureDown.push(why);
  }
  if (!universe.complete) {
    const why = "action patterns too many to compare exactly";
    if (!up) unsureUp.push(why);
    if (!down) unsureDown.push(why);
  }
  const tested = new Set<string>();
  for (const s of statements) for (const c of s.clauses ?? []) tested.add(c.key);
  for (const key of limits?.hidden ?? []) tested.delete(key);
  return {
    kind: "searched",
    result,
    up,
    down,
    unsureUp,
    unsureDown,
    tested,
    statements: own,
  };
}

/**
 * The access verdict for `before` (live; null = no policy) becoming `after` (desired; null =
 * no policy). `diff` is diffPolicies(before, after) when the caller already has it. `sides` names
 * the two policies in the reasons (default: live → desired, what apply does). `limits`: what
 * else limits requests on each side (a directory bucket's scope), with reasons for its own
 * changes (`limitReasons`, filtered like the diff's by the directions the search proves).
 */
export function accessVerdict(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  options: AccessVerdictOptions = {},
  diff?: PolicyDiff,
  sides: PolicySides = APPLY_SIDES,
  limits?: SearchLimits & { reasons: readonly AccessReason[] },
): AccessVerdict {
  if (limits === undefined) {
    if (before === null && after === null) return { access: "same", reasons: [] };
    // The diff, when given, already says whether the two are equivalent: no second comparison.
    const equal =
      before !== null &&
      after !== null &&
      (diff?.equal ?? equivalent(before, after, options).equal);
    if (equal) return { access: "same", reasons: [] };
  }
  const partition = options.partition ?? "aws";
  const b = parsedStatements(before, partition);
  const a = parsedStatements(after, partition);
  const fromDiff = () => {
    const byPosition = (list: ParsedStatement[] | null) =>
      new Map((list ?? []).map((s) => [s.entry.position, s]));
    const samePolicy =
      limits !== undefined &&
      (before === after ||
        (before !== null && after !== null && equivalent(before, after, options).equal));
    const policyReasons = samePolicy
      ? []
      : diffReasons(
          diff ?? diffPolicies(before, after, options),
          byPosition(b),
          byPosition(a),
          sides,
        );
    return [...policyReasons, ...(limits?.reasons ?? [])];
  };
  const search = searchChange(before, after, options, sides, limits, { before: b, after: a });
  if (search.kind === "unreadable") {
    return {
      access: "mixed",
      reasons: sorted([
        ...fromDiff(),
        { direction: "unclear", text: "a Statement that is not a list of statements" },
      ]),
    };
  }
  const { result, up, down, unsureUp, unsureDown, tested } = search;
  const unsure = unsureUp.length > 0 || unsureDown.length > 0;
  const access: AccessChange =
    unsure || (up && down) ? "mixed" : up ? "widens" : down ? "narrows" : "same";
  if (access === "same") {
    return {
      access,
      reasons: [
        {
          direction: "unclear",
          text: "the statements are rewritten, but every request gets the same answer as before",
        },
      ],
    };
  }

  // A diff item in a direction the search ruled out (an action already granted by a wildcard,
  // say) is no reason for this verdict.
  const reasons: AccessReason[] = fromDiff().filter(
    (r) =>
      (r.direction === "widens" && up) ||
      (r.direction === "narrows" && down) ||
      r.direction === "unclear",
  );
  for (const finding of result.findings) {
    if (finding.up !== undefined) reasons.push(witnessReason(finding.up, "widens", tested, sides));
    if (finding.down !== undefined) {
      reasons.push(witnessReason(finding.down, "narrows", tested, sides));
    }
  }
  for (const why of new Set(unsureUp)) {
    reasons.push({ direction: "unclear", text: `may widen access: ${why}` });
  }
  for (const why of new Set(unsureDown)) {
    reasons.push({ direction: "unclear", text: `may narrow access: ${why}` });
  }
  return { access, reasons: sorted(reasons) };
}

/** Most important first; each text flat, as the plan keeps it (flat-text.ts). */
function sorted(reasons: AccessReason[]): AccessReason[] {
  for (const reason of reasons) reason.text = flatText(reason.text);
  return reasons.sort((x, y) => ORDER[x.direction] - ORDER[y.direction]);
}
