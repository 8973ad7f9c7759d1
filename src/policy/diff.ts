import { appendAll } from "../append-all.js";
import type { PolicyDocument } from "../model.js";
import {
  type CanonicalizeOptions,
  canonicalizeTraced,
  type StatementEntry,
  statementEntries,
  statementList,
} from "./canonicalize.js";
import { EMPTY, orEmpty } from "./empty-list.js";
import { type Equivalence, equivalent } from "./equivalent.js";
import { matchStatements } from "./match-statements.js";
import {
  compareStrings,
  conditionBlocks,
  isPlainObject,
  isStringList,
  STATEMENT_ELEMENTS,
  sortKeysDeep,
} from "./structural.js";
import { findUniqueIdPrincipals, type UniqueIdPrincipal } from "./unique-id-principals.js";

export interface SetChange<T> {
  added: T[];
  removed: T[];
}

export interface PrincipalValue {
  /** "AWS", "Service", "Federated", "CanonicalUser", ... */
  type: string;
  value: string;
}

export interface ConditionChange {
  operator: string;
  key: string;
  added: string[];
  removed: string[];
}

/** A value that is not a set, or has a shape IAM would not accept; absent sides are omitted. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

export interface StatementRef {
  sid: string | null;
  /** 1-based position in its document's Statement list. */
  position: number;
}

export interface StatementSnapshot extends StatementRef {
  /** The statement as written in its document (keys sorted). */
  statement: unknown;
}

export interface StatementChange {
  before: StatementRef;
  after: StatementRef;
  effect: { before: unknown; after: unknown } | null;
  principals: SetChange<PrincipalValue>;
  notPrincipals: SetChange<PrincipalValue>;
  actions: SetChange<string>;
  notActions: SetChange<string>;
  resources: SetChange<string>;
  notResources: SetChange<string>;
  conditions: ConditionChange[];
  /** Sid and any other field that changed. */
  other: FieldChange[];
}

/** What changes when `before` (live) becomes `after` (desired). Plain JSON. */
export interface PolicyDiff {
  kind: "unchanged" | "create" | "update" | "delete";
  equal: boolean;
  /** When equal: why the texts differ without differing in meaning. */
  notes: string[];
  /** Changes outside the statements: Version, Id, a Statement that is not a list. */
  document: FieldChange[];
  added: StatementSnapshot[];
  removed: StatementSnapshot[];
  changed: StatementChange[];
  /** Statements present, identical in meaning, on both sides. */
  unchanged: number;
  /** Unique-id principals in `before`: deleted roles and users, and ids that are no principal. */
  uniqueIdPrincipals: UniqueIdPrincipal[];
}

type Canonical = Record<string, unknown>;

function asObject(value: unknown): Canonical {
  return isPlainObject(value) ? value : {};
}

function sidOf(entry: StatementEntry): string | null {
  const sid = asObject(entry.raw).Sid;
  return typeof sid === "string" && sid !== "" ? sid : null;
}

function ref(entry: StatementEntry): StatementRef {
  return { sid: sidOf(entry), position: entry.position };
}

function snapshot(entry: StatementEntry): StatementSnapshot {
  return { sid: sidOf(entry), position: entry.position, statement: sortKeysDeep(entry.raw) };
}

function fieldChange(field: string, before: unknown, after: unknown): FieldChange {
  const change: FieldChange = { field };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return change;
}

function setChange(before: string[], after: string[]): SetChange<string> {
  const b = new Set(before);
  const a = new Set(after);
  return {
    added: after.filter((item) => !b.has(item)),
    removed: before.filter((item) => !a.has(item)),
  };
}

/** Original spellings of values canonicalization lower-cased, for display. */
function spellings(raw: unknown, field: string): Map<string, string> {
  const value = asObject(raw)[field];
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const map = new Map<string, string>();
  for (const item of list) {
    if (typeof item === "string" && !map.has(item.toLowerCase())) {
      map.set(item.toLowerCase(), item);
    }
  }
  return map;
}

function conditionKeySpellings(raw: unknown, operator: string): Map<string, string> {
  const block = asObject(asObject(asObject(raw).Condition)[operator]);
  const map = new Map<string, string>();
  for (const key of Object.keys(block)) {
    const slash = key.indexOf("/");
    const lowered =
      slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
    if (!map.has(lowered)) map.set(lowered, key);
    if (!map.has(key)) map.set(key, key);
  }
  return map;
}

interface Differ {
  change: StatementChange;
  before: StatementEntry;
  after: StatementEntry;
}

function diffStringSet(
  d: Differ,
  field: string,
  target: SetChange<string>,
  display: boolean,
): boolean {
  const b = asObject(d.before.canonical)[field];
  const a = asObject(d.after.canonical)[field];
  if ((b !== undefined && !isStringList(b)) || (a !== undefined && !isStringList(a))) {
    return false;
  }
  const changes = setChange(b ?? [], a ?? []);
  const spellBefore = display ? spellings(d.before.raw, field) : undefined;
  const spellAfter = display ? spellings(d.after.raw, field) : undefined;
  appendAll(
    target.added,
    changes.added.map((item) => spellAfter?.get(item) ?? item),
  );
  appendAll(
    target.removed,
    changes.removed.map((item) => spellBefore?.get(item) ?? item),
  );
  // [] vs a missing field differs without a set difference: leave that to the caller.
  return (
    changes.added.length > 0 ||
    changes.removed.length > 0 ||
    JSON.stringify(a) === JSON.stringify(b)
  );
}

function principalValues(value: unknown): PrincipalValue[] | null {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return null;
  const out: PrincipalValue[] = [];
  for (const [type, values] of Object.entries(value)) {
    if (!isStringList(values)) return null;
    for (const item of values) out.push({ type, value: item });
  }
  return out;
}

function diffPrincipals(d: Differ, field: string, target: SetChange<PrincipalValue>): boolean {
  const b = principalValues(asObject(d.before.canonical)[field]);
  const a = principalValues(asObject(d.after.canonical)[field]);
  if (b === null || a === null) return false;
  const key = (p: PrincipalValue) => `${p.type}\u0000${p.value}`;
  const bKeys = new Set(b.map(key));
  const aKeys = new Set(a.map(key));
  appendAll(
    target.added,
    a.filter((p) => !bKeys.has(key(p))),
  );
  appendAll(
    target.removed,
    b.filter((p) => !aKeys.has(key(p))),
  );
  return (
    target.added.length > 0 ||
    target.removed.length > 0 ||
    JSON.stringify(asObject(d.before.canonical)[field]) ===
      JSON.stringify(asObject(d.after.canonical)[field])
  );
}

function diffConditions(d: Differ): boolean {
  const b = conditionBlocks(asObject(d.before.canonical).Condition);
  const a = conditionBlocks(asObject(d.after.canonical).Condition);
  if (b === null || a === null) return false;
  const operators = [...new Set([...b.keys(), ...a.keys()])].sort(compareStrings);
  for (const operator of operators) {
    const bBlock = b.get(operator) ?? new Map<string, string[]>();
    const aBlock = a.get(operator) ?? new Map<string, string[]>();
    const spellBefore = conditionKeySpellings(d.before.raw, operator);
    const spellAfter = conditionKeySpellings(d.after.raw, operator);
    const keys = [...new Set([...bBlock.keys(), ...aBlock.keys()])].sort(compareStrings);
    for (const key of keys) {
      const changes = setChange(bBlock.get(key) ?? [], aBlock.get(key) ?? []);
      if (changes.added.length === 0 && changes.removed.length === 0) continue;
      const display = spellAfter.get(key) ?? spellBefore.get(key) ?? key;
      d.change.conditions.push({ operator, key: display, ...changes });
    }
  }
  return true;
}

const HANDLED = new Set(STATEMENT_ELEMENTS.filter((element) => element !== "Sid"));

function diffStatement(before: StatementEntry, after: StatementEntry): StatementChange {
  const emptyPrincipals = (): SetChange<PrincipalValue> => ({ added: [], removed: [] });
  const empty = (): SetChange<string> => ({ added: [], removed: [] });
  const change: StatementChange = {
    before: ref(before),
    after: ref(after),
    effect: null,
    principals: emptyPrincipals(),
    notPrincipals: emptyPrincipals(),
    actions: empty(),
    notActions: empty(),
    resources: empty(),
    notResources: empty(),
    conditions: [],
    other: [],
  };
  const d: Differ = { change, before, after };
  const b = asObject(before.canonical);
  const a = asObject(after.canonical);
  const differs = (field: string) => JSON.stringify(b[field]) !== JSON.stringify(a[field]);
  const fallback = (field: string, handled: boolean) => {
    if (!handled && differs(field)) change.other.push(fieldChange(field, b[field], a[field]));
  };

  if (differs("Effect")) change.effect = { before: b.Effect ?? null, after: a.Effect ?? null };
  fallback("Principal", diffPrincipals(d, "Principal", change.principals));
  fallback("NotPrincipal", diffPrincipals(d, "NotPrincipal", change.notPrincipals));
  fallback("Action", diffStringSet(d, "Action", change.actions, true));
  fallback("NotAction", diffStringSet(d, "NotAction", change.notActions, true));
  fallback("Resource", diffStringSet(d, "Resource", change.resources, false));
  fallback("NotResource", diffStringSet(d, "NotResource", change.notResources, false));
  fallback(
    "Condition",
    diffConditions(d) && (change.conditions.length > 0 || !differs("Condition")),
  );
  const others = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compareStrings);
  for (const field of others) {
    if (!HANDLED.has(field) && differs(field)) {
      change.other.push(fieldChange(field, b[field], a[field]));
    }
  }
  if (!isPlainObject(before.canonical) || !isPlainObject(after.canonical)) {
    change.other.push(fieldChange("statement", before.canonical, after.canonical));
  }
  return {
    before: change.before,
    after: change.after,
    effect: change.effect,
    principals: compactSet(change.principals),
    notPrincipals: compactSet(change.notPrincipals),
    actions: compactSet(change.actions),
    notActions: compactSet(change.notActions),
    resources: compactSet(change.resources),
    notResources: compactSet(change.notResources),
    conditions: orEmpty(change.conditions),
    other: orEmpty(change.other),
  };
}

const NO_SET_CHANGE: SetChange<never> = Object.freeze({ added: EMPTY, removed: EMPTY });

function compactSet<T>(set: SetChange<T>): SetChange<T> {
  if (set.added.length === 0 && set.removed.length === 0) return NO_SET_CHANGE;
  return { added: orEmpty(set.added), removed: orEmpty(set.removed) };
}

function documentChanges(
  before: unknown,
  after: unknown,
  options?: CanonicalizeOptions,
): FieldChange[] {
  const b = canonicalizeTraced(before, options);
  const a = canonicalizeTraced(after, options);
  if (!isPlainObject(before) || !isPlainObject(after)) {
    return JSON.stringify(b) === JSON.stringify(a) ? [] : [fieldChange("policy", b, a)];
  }
  const statementsComparable = statementList(before) !== null && statementList(after) !== null;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compareStrings);
  return fields
    .filter((field) => !(field === "Statement" && statementsComparable))
    .filter((field) => JSON.stringify(b[field]) !== JSON.stringify(a[field]))
    .map((field) => fieldChange(field, b[field], a[field]));
}

/**
 * The statement-level difference from `before` (live; null = no policy) to `after` (desired;
 * null = must have no policy).
 */
export function diffPolicies(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  options?: CanonicalizeOptions,
  /** equivalent(before, after, options), when the caller has it already. */
  known?: Equivalence,
): PolicyDiff {
  const partition = options?.partition ?? "aws";
  const uniqueIdPrincipals = before === null ? [] : findUniqueIdPrincipals(before);
  const entriesOf = (policy: PolicyDocument) =>
    statementEntries(statementList(policy) ?? [], partition);

  if (before === null && after === null) {
    return policyDiff({ kind: "unchanged", equal: true, uniqueIdPrincipals });
  }
  if (before === null || after === null) {
    const present = (before ?? after) as PolicyDocument;
    const snapshots = entriesOf(present).map(snapshot);
    return before === null
      ? policyDiff({ kind: "create", equal: false, added: snapshots, uniqueIdPrincipals })
      : policyDiff({ kind: "delete", equal: false, removed: snapshots, uniqueIdPrincipals });
  }

  const equivalence = known ?? equivalent(before, after, options);
  const document = documentChanges(before, after, options);
  const match = matchStatements(entriesOf(before), entriesOf(after));
  return policyDiff({
    kind: equivalence.equal ? "unchanged" : "update",
    equal: equivalence.equal,
    notes: equivalence.notes,
    document,
    added: match.added.map(snapshot),
    removed: match.removed.map(snapshot),
    changed: match.pairs.map(([b, a]) => diffStatement(b, a)),
    unchanged: match.unchanged,
    uniqueIdPrincipals,
  });
}

/**
 * A PolicyDiff as one literal, fields in the order plan JSON shows them.
 *
 * NOTE: not `{ ...base, kind, ... }`: V8 gives every object built by a spread followed by more
 * properties a hidden class of its own (10,000 diffs held 10,000 maps).
 */
function policyDiff(fields: Partial<PolicyDiff> & Pick<PolicyDiff, "kind" | "equal">): PolicyDiff {
  return {
    notes: orEmpty(fields.notes ?? EMPTY),
    document: orEmpty(fields.document ?? EMPTY),
    added: orEmpty(fields.added ?? EMPTY),
    removed: orEmpty(fields.removed ?? EMPTY),
    changed: orEmpty(fields.changed ?? EMPTY),
    uniqueIdPrincipals: orEmpty(fields.uniqueIdPrincipals ?? EMPTY),
    kind: fields.kind,
    equal: fields.equal,
    unchanged: fields.unchanged ?? 0,
  };
}
