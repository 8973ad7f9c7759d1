// Why a policy change widens or narrows access, in words, read off the statement diff (diff.ts).
// The verdict itself comes from statement coverage (access-verdict.ts); these are its reasons.
import { appendAll } from "../append-all.js";
import type { ConditionChange, PolicyDiff, PrincipalValue, StatementChange } from "./diff.js";
import type { Dimension, ParsedStatement, UncoveredAtom } from "./statement-cover.js";
import { EVERYONE, operatorKind } from "./statement-cover.js";
import { isPlainObject } from "./structural.js";

export type AccessDirection = "widens" | "narrows" | "unclear";

export interface AccessReason {
  direction: AccessDirection;
  text: string;
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
  const keys = s?.condition?.get(operator);
  if (keys === undefined) return false;
  for (const k of keys.keys()) if (k.toLowerCase() === key.toLowerCase()) return true;
  return false;
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
  for (const c of change.conditions)
    appendAll(out, conditionReasons(c, effect, label, before, after));
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

function dimensionText(d: Dimension | null, principal: boolean): string {
  if (d === null) return "(unreadable)";
  const values = d.values.map((v) => {
    if (!principal) return v;
    if (v === EVERYONE) return 'everyone ("*")';
    const [type, value] = v.split("\u0000") as [string, string];
    return principalText({ type, value });
  });
  return d.kind === "notIn" ? `all but ${listed(values)}` : listed(values);
}

/**
 * A reason for a request whose answer coverage found changed. Coverage looks for requests one
 * side answers higher than the other: `widens` looks from live to desired, `narrows` back.
 */
export function atomReason(
  atom: UncoveredAtom,
  kind: "grant" | "deny-lifted",
  direction: "widens" | "narrows",
  sides: PolicySides = APPLY_SIDES,
): AccessReason {
  const s = atom.statement;
  const sid = isPlainObject(s.entry.canonical) ? s.entry.canonical.Sid : undefined;
  // The statement is in the side answering higher: desired for widens (a grant) or live (a
  // denial it held), and the other way round for narrows.
  const desiredSide = (kind === "grant") === (direction === "widens");
  const label = statementLabel(
    typeof sid === "string" && sid !== "" ? sid : null,
    s.entry.position,
    desiredSide ? sides.after : sides.before,
  );
  const request =
    `${dimensionText(atom.principal, true)} doing ${dimensionText(atom.action, false)}` +
    ` on ${dimensionText(atom.resource, false)}`;
  const text =
    kind === "grant"
      ? direction === "widens"
        ? `${label} allows ${request}, which no ${sides.before} statement allowed`
        : `${label} allowed ${request}, which no ${sides.after} statement allows`
      : direction === "widens"
        ? `${label} denied ${request}, which no ${sides.after} statement denies`
        : `${label} denies ${request}, which no ${sides.before} statement denied`;
  return { direction, text };
}
