// Why a policy change widens or narrows access, in words: read off the statement diff (diff.ts),
// and from the requests the verdict's search found answered differently (request-search.ts),
// which also carry who, what and where as data for whoever classifies them further.

import { appendAll } from "../append-all.js";
import { newObject, setEntry } from "../untrusted/plain-data.js";
import type { RequestValue } from "./condition-clause.js";
import { operatorKind } from "./condition-operator.js";
import type { ConditionChange, PolicyDiff, PrincipalValue, StatementChange } from "./diff.js";
import type { ParsedStatement } from "./parsed-statement.js";
import type { Answer, Witness } from "./request-search.js";
import { isPlainObject } from "./structural.js";

export type AccessDirection = "widens" | "narrows" | "unclear";

/** Who a request came from, as the policies can tell: see ReasonPrincipal in the README. */
export interface ReasonPrincipal {
  /** How IAM names the caller; "anonymous": an unsigned request. */
  type: "AWS" | "Service" | "Federated" | "CanonicalUser" | "anonymous";
  /** The ARN, service name or id; absent for a principal no statement names. */
  value?: string;
  /** The 12-digit account of an AWS principal, when one of the policies names that account. */
  account?: string;
}

/** One request whose answer changes: the verdict's proof of its direction. */
export interface AccessRequest {
  principal: ReasonPrincipal;
  /** IAM's spelling with the service prefix, e.g. "s3:GetObject". */
  action: string;
  resource: string;
  /** The condition keys the statements test, with the request's value (null: it has none). */
  context: Record<string, string | string[] | null>;
  /** What the live and the desired policy answer it. */
  before: "deny" | "none" | "allow";
  after: "deny" | "none" | "allow";
}

export interface AccessReason {
  direction: AccessDirection;
  text: string;
  /** For a reason the search proved: the request whose answer changes. */
  request?: AccessRequest;
}

/**
 * What the two policies of a verdict are called in its reasons: `live` → `desired` for what apply
 * does, `base` → `head` for what a change to the files does, `file` → `live` for what drift did.
 */
export interface PolicySides {
  before: string;
  after: string;
}

export const APPLY_SIDES: PolicySides = { before: "live", after: "desired" };

const MAX_LISTED = 3;

function listed(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(", ");
  const more = values.length - MAX_LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function principalText(p: PrincipalValue): string {
  if (p.type === "AWS" && p.value === "*") return 'everyone ("*")';
  return p.type === "AWS" ? p.value : `${p.type} ${p.value}`;
}

function statementLabel(sid: string | null, position: number, side: string): string {
  return sid !== null ? `statement "${sid}"` : `${side} statement ${position}`;
}

function directionOf(direction: "more" | "less", effect: unknown): AccessDirection {
  if (effect !== "Allow" && effect !== "Deny") return "unclear";
  // More matched by an Allow grants more; more matched by a Deny refuses more.
  return (direction === "more") === (effect === "Allow") ? "widens" : "narrows";
}

function hasConditionKey(s: ParsedStatement | undefined, operator: string, key: string): boolean {
  const lower = key.toLowerCase();
  return (s?.clauses ?? []).some(
    (c) => c.operatorText === operator && c.key.toLowerCase() === lower,
  );
}

function conditionReasons(
  c: ConditionChange,
  effect: unknown,
  label: string,
  before: ParsedStatement | undefined,
  after: ParsedStatement | undefined,
): AccessReason[] {
  const where = `${c.operator} ${c.key}`;
  const wasThere = hasConditionKey(before, c.operator, c.key);
  const isThere = hasConditionKey(after, c.operator, c.key);
  if (wasThere && !isThere) {
    return [
      { direction: directionOf("more", effect), text: `${label}: removes condition ${where}` },
    ];
  }
  if (!wasThere && isThere) {
    return [
      {
        direction: directionOf("less", effect),
        text: `${label}: adds condition ${where} ${listed(c.added)}`,
      },
    ];
  }
  const kind = operatorKind(c.operator);
  const negated = kind === "negated";
  const known = kind !== "other";
  const out: AccessReason[] = [];
  if (c.added.length > 0) {
    out.push({
      direction: known ? directionOf(negated ? "less" : "more", effect) : "unclear",
      text: `${label}: condition ${where} ${negated ? "excludes" : "accepts"} ${listed(c.added)} too`,
    });
  }
  if (c.removed.length > 0) {
    out.push({
      direction: known ? directionOf(negated ? "more" : "less", effect) : "unclear",
      text: `${label}: condition ${where} no longer ${negated ? "excludes" : "accepts"} ${listed(c.removed)}`,
    });
  }
  return out;
}

function setReasons(
  label: string,
  effect: unknown,
  what: string,
  added: readonly string[],
  removed: readonly string[],
  negated: boolean,
): AccessReason[] {
  const out: AccessReason[] = [];
  const more = negated ? "less" : "more";
  const less = negated ? "more" : "less";
  if (added.length > 0) {
    const star = !negated && added.includes("*") ? ' ("*" introduced)' : "";
    out.push({
      direction: directionOf(more, effect),
      text: `${label}: adds ${what} ${listed(added)}${star}`,
    });
  }
  if (removed.length > 0) {
    out.push({
      direction: directionOf(less, effect),
      text: `${label}: removes ${what} ${listed(removed)}`,
    });
  }
  return out;
}

function changeReasons(
  change: StatementChange,
  before: ParsedStatement | undefined,
  after: ParsedStatement | undefined,
  sides: PolicySides,
): AccessReason[] {
  const label = statementLabel(change.after.sid, change.after.position, sides.after);
  if (change.effect !== null) {
    // A live Effect may be any JSON (AWS is not the only endpoint): show it as JSON text.
    const text = (effect: unknown) =>
      typeof effect === "string" ? effect : JSON.stringify(effect);
    const from = text(change.effect.before);
    const to = text(change.effect.after);
    const direction: AccessDirection =
      from === "Deny" && to === "Allow"
        ? "widens"
        : from === "Allow" && to === "Deny"
          ? "narrows"
          : "unclear";
    return [{ direction, text: `${label}: Effect ${from} becomes ${to}` }];
  }
  const effect = after?.effect ?? before?.effect;
  const principals = (values: PrincipalValue[]) => values.map(principalText);
  const out: AccessReason[] = [
    ...setReasons(
      label,
      effect,
      "principal",
      principals(change.principals.added),
      principals(change.principals.removed),
      false,
    ),
    ...setReasons(
      label,
      effect,
      "NotPrincipal",
      principals(change.notPrincipals.added),
      principals(change.notPrincipals.removed),
      true,
    ),
    ...setReasons(label, effect, "action", change.actions.added, change.actions.removed, false),
    ...setReasons(
      label,
      effect,
      "NotAction",
      change.notActions.added,
      change.notActions.removed,
      true,
    ),
    ...setReasons(
      label,
      effect,
      "resource",
      change.resources.added,
      change.resources.removed,
      false,
    ),
    ...setReasons(
      label,
      effect,
      "NotResource",
      change.notResources.added,
      change.notResources.removed,
      true,
    ),
  ];
  for (const c of change.conditions) {
    appendAll(out, conditionReasons(c, effect, label, before, after));
  }
  for (const field of change.other) {
    if (field.field === "Sid") continue;
    out.push({ direction: "unclear", text: `${label}: ${field.field} changes` });
  }
  return out;
}

function statementSummary(statement: unknown): string {
  if (!isPlainObject(statement)) return "";
  const list = (value: unknown): string[] =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.map(String) : [];
  const principal = statement.Principal ?? statement.NotPrincipal;
  const principals =
    principal === "*"
      ? ['everyone ("*")']
      : isPlainObject(principal)
        ? Object.entries(principal).flatMap(([type, v]) =>
            list(v).map((value) => principalText({ type, value })),
          )
        : [];
  const not = (field: string) => (statement[field] !== undefined ? "all but " : "");
  const actions = list(statement.Action ?? statement.NotAction);
  const resources = list(statement.Resource ?? statement.NotResource);
  const condition = statement.Condition !== undefined ? " under a condition" : "";
  return (
    `: ${not("NotPrincipal")}${listed(principals)} may ${not("NotAction")}${listed(actions)}` +
    ` on ${not("NotResource")}${listed(resources)}${condition}`
  );
}

/** Reasons read off the statement diff; `before`/`after` are the parsed statements by position. */
export function diffReasons(
  diff: PolicyDiff,
  before: ReadonlyMap<number, ParsedStatement>,
  after: ReadonlyMap<number, ParsedStatement>,
  sides: PolicySides = APPLY_SIDES,
): AccessReason[] {
  const out: AccessReason[] = [];
  for (const field of diff.document) {
    if (field.field === "Id") continue;
    out.push({ direction: "unclear", text: `the policy's ${field.field} changes` });
  }
  for (const s of diff.added) {
    const effect = isPlainObject(s.statement) ? s.statement.Effect : undefined;
    const label = statementLabel(s.sid, s.position, sides.after);
    const verb = effect === "Allow" || effect === "Deny" ? `adds ${effect}` : "adds";
    out.push({
      direction: directionOf("more", effect),
      text: `${verb} ${label}${statementSummary(s.statement)}`,
    });
  }
  for (const s of diff.removed) {
    const effect = isPlainObject(s.statement) ? s.statement.Effect : undefined;
    const label = statementLabel(s.sid, s.position, sides.before);
    const verb = effect === "Allow" || effect === "Deny" ? `removes ${effect}` : "removes";
    out.push({
      direction: directionOf("less", effect),
      text: `${verb} ${label}${statementSummary(s.statement)}`,
    });
  }
  for (const change of diff.changed) {
    appendAll(
      out,
      changeReasons(
        change,
        before.get(change.before.position),
        after.get(change.after.position),
        sides,
      ),
    );
  }
  return out;
}

const ANSWER: Record<Answer, AccessRequest["before"]> = { [-1]: "deny", 0: "none", 1: "allow" };

/** How a reason names the caller. */
export function principalWords(p: ReasonPrincipal): string {
  if (p.type === "anonymous") return "anonymous callers";
  if (p.value === undefined) {
    if (p.type === "Service") return "an AWS service no statement names";
    return p.account !== undefined
      ? `a principal of account ${p.account} that no statement names`
      : "a principal of an account no statement names";
  }
  if (p.type === "AWS") return p.value === "*" ? 'everyone ("*")' : p.value;
  return `${p.type} ${p.value}`;
}

function valueWords(value: RequestValue): string {
  if (value === undefined) return "absent";
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

const MAX_KEYS = 4;

/** The keys a directory bucket's requests carry for what a session is used for. */
const SCOPE_OPERATION = "scope:operation";
const SCOPE_KEY = "scope:key";

/**
 * The context of a request that decided no condition key: one shared, frozen object (a plan of
 * 10,000 changes held 50,000 empty ones, ~2.7 MB).
 */
const NO_CONTEXT = Object.freeze(newObject()) as AccessRequest["context"];

/**
 * A reason for a request the search found answered differently: `widens` when desired answers
 * it higher than live, `narrows` when lower. `tested` are the condition keys any statement
 * tests (canonical form): only those are shown.
 */
export function witnessReason(
  witness: Witness,
  direction: "widens" | "narrows",
  tested: ReadonlySet<string>,
  sides: PolicySides = APPLY_SIDES,
): AccessReason {
  const { request, before, after, matched } = witness;
  const who = principalWords(request.caller.principal);
  const decided = [...request.context].filter(([key]) => tested.has(key));
  // A directory bucket's request is a session used for one operation on one key (scope-access.ts):
  // said as that operation, with the session after it.
  const operation = request.context.get(SCOPE_OPERATION);
  const conditions = decided.filter(
    ([key]) => typeof operation !== "string" || (key !== SCOPE_OPERATION && key !== SCOPE_KEY),
  );
  const shown = conditions.slice(0, MAX_KEYS);
  const more = conditions.length > MAX_KEYS ? ` and ${conditions.length - MAX_KEYS} more keys` : "";
  const when =
    shown.length === 0
      ? ""
      : ` when ${shown.map(([key, value]) => `${key} is ${valueWords(value)}`).join(" and ")}${more}`;
  const on = `${request.action.display} on ${request.resource}`;
  let what = `${on}${when}`;
  if (typeof operation === "string") {
    const key = request.context.get(SCOPE_KEY);
    const where = !request.context.has(SCOPE_KEY)
      ? ""
      : typeof key === "string"
        ? ` on key ${valueWords(key)}`
        : " without a prefix";
    what = `${operation}${where} in a session (${on})${when}`;
  }
  const label = (side: 0 | 1, effect: "Allow" | "Deny") =>
    matched[side].find((s) => s.effect === effect)?.label ??
    (side === 0 ? sides.before : sides.after);
  let text: string;
  if (after === 1) {
    text =
      before === -1
        ? `${who} may now do ${what}: ${label(1, "Allow")} allows it, and ${label(0, "Deny")} denied it`
        : `${label(1, "Allow")} allows ${who} to do ${what}, which ${sides.before} did not allow`;
  } else if (after === 0 && before === -1) {
    text = `${who} is no longer denied ${what}: ${label(0, "Deny")} denied it`;
  } else if (after === -1) {
    text =
      before === 1
        ? `${label(1, "Deny")} denies ${who} ${what}, which ${label(0, "Allow")} allowed`
        : `${label(1, "Deny")} denies ${who} ${what}`;
  } else {
    text = `${label(0, "Allow")} allowed ${who} to do ${what}, which ${sides.after} no longer allows`;
  }
  const context = decided.length === 0 ? NO_CONTEXT : (newObject() as AccessRequest["context"]);
  for (const [key, value] of decided) {
    setEntry(
      context,
      key,
      value === undefined ? null : typeof value === "string" ? value : [...value],
    );
  }
  return {
    direction,
    text,
    request: {
      principal: request.caller.principal,
      action: request.action.display,
      resource: request.resource,
      context,
      before: ANSWER[before],
      after: ANSWER[after],
    },
  };
}
