// Whether the requests one statement matches are all matched by a set of other statements.
//
// A statement matches the requests in principals × actions × resources that satisfy its
// Condition. It is split into atoms — one principal, one action and one resource value each
// (a NotPrincipal/NotAction/NotResource list stays whole) — and every atom must be matched by
// one statement of the set. Each check only says "covered" where IAM's documented matching
// makes that certain (patterns.ts); anything unfamiliar is "not covered", which makes the
// access verdict more careful, never less.
import type { StatementEntry } from "./canonicalize.js";
import { operatorKind } from "./condition-operator.js";
import { patternCovers, patternsDisjoint } from "./patterns.js";
import { conditionBlocks, isPlainObject, isStringList, STATEMENT_ELEMENTS } from "./structural.js";

/** One side of a statement: values it matches ("in") or the values it excludes ("notIn"). */
export interface Dimension {
  kind: "in" | "notIn";
  values: string[];
}

export interface ParsedStatement {
  /** null: not a statement IAM would accept as Allow or Deny (could be read as either). */
  effect: "Allow" | "Deny" | null;
  /** null: a shape this module does not understand (it covers nothing, nothing covers it). */
  principal: Dimension | null;
  action: Dimension | null;
  resource: Dimension | null;
  /** operator → condition key → values; null for a Condition of a shape IAM would refuse. */
  condition: Map<string, Map<string, string[]>> | null;
  entry: StatementEntry;
}

/** The principal value that matches every principal, anonymous ones included. */
export const EVERYONE = "AWS\u0000*";

const KNOWN_FIELDS = new Set(STATEMENT_ELEMENTS);

function principalValues(value: unknown): string[] | null {
  if (!isPlainObject(value)) return null;
  const out: string[] = [];
  for (const [type, values] of Object.entries(value)) {
    if (!isStringList(values)) return null;
    for (const item of values) out.push(`${type}\u0000${item}`);
  }
  return out;
}

function dimension(
  statement: Record<string, unknown>,
  field: string,
  values: (value: unknown) => string[] | null,
): Dimension | null {
  const positive = statement[field];
  const negative = statement[`Not${field}`];
  if ((positive === undefined) === (negative === undefined)) return null;
  const list = values(positive ?? negative);
  if (list === null) return null;
  return { kind: positive !== undefined ? "in" : "notIn", values: list };
}

/** Reads a canonical statement (canonicalize.ts) into its dimensions. */
export function parseStatement(entry: StatementEntry): ParsedStatement {
  const statement = entry.canonical;
  const unknown: ParsedStatement = {
    effect: null,
    principal: null,
    action: null,
    resource: null,
    condition: null,
    entry,
  };
  if (!isPlainObject(statement)) return unknown;
  if (Object.keys(statement).some((key) => !KNOWN_FIELDS.has(key))) return unknown;
  const effect = statement.Effect;
  return {
    effect: effect === "Allow" || effect === "Deny" ? effect : null,
    principal: dimension(statement, "Principal", principalValues),
    action: dimension(statement, "Action", (v) => (isStringList(v) ? v : null)),
    resource: dimension(statement, "Resource", (v) => (isStringList(v) ? v : null)),
    condition: conditionBlocks(statement.Condition),
    entry,
  };
}

/** Whether a statement is understood well enough to take part in coverage either way. */
export function isUnderstood(s: ParsedStatement): boolean {
  return (
    s.effect !== null &&
    s.principal !== null &&
    s.action !== null &&
    s.resource !== null &&
    s.condition !== null
  );
}

type Covers = (outer: string, inner: string) => boolean;
type Disjoint = (a: string, b: string) => boolean;

const principalCovers: Covers = (outer, inner) => outer === inner || outer === EVERYONE;
// NOTE: NotPrincipal matching depends on how the caller is named (a role session is matched by
// its role ARN and its account); no disjointness of two principal values is claimed.
const principalDisjoint: Disjoint = () => false;
const universalPrincipal = (values: string[]) => values.includes(EVERYONE);
const universalPattern = (values: string[]) => values.includes("*");

interface DimensionRules {
  covers: Covers;
  disjoint: Disjoint;
  universal: (values: string[]) => boolean;
}

const PRINCIPAL_RULES: DimensionRules = {
  covers: principalCovers,
  disjoint: principalDisjoint,
  universal: universalPrincipal,
};
const PATTERN_RULES: DimensionRules = {
  covers: patternCovers,
  disjoint: patternsDisjoint,
  universal: universalPattern,
};

/** The atoms of one dimension: each value alone, or the whole exclusion list. */
function atomsOf(d: Dimension): Dimension[] {
  return d.kind === "in" ? d.values.map((value) => ({ kind: "in", values: [value] })) : [d];
}

/** Whether every value the atom `inner` matches is matched by `outer`. */
function dimensionCovers(outer: Dimension, inner: Dimension, rules: DimensionRules): boolean {
  if (outer.kind === "in") {
    if (inner.kind === "notIn") return rules.universal(outer.values);
    return inner.values.every((value) => outer.values.some((o) => rules.covers(o, value)));
  }
  if (inner.kind === "in") {
    return inner.values.every((value) => outer.values.every((o) => rules.disjoint(o, value)));
  }
  // All but X within all but Y: every excluded y must already be excluded by X.
  return outer.values.every((y) => inner.values.some((x) => rules.covers(x, y)));
}

function valuesImply(operator: string, inner: string[], outer: string[]): boolean {
  const kind = operatorKind(operator);
  if (kind === "negated") return outer.every((v) => inner.includes(v));
  if (kind === "positive") return inner.every((v) => outer.includes(v));
  return inner.length === outer.length && inner.every((v) => outer.includes(v));
}

/** Whether every request satisfying `inner` satisfies `outer` (both understood). */
export function conditionImplies(
  inner: Map<string, Map<string, string[]>>,
  outer: Map<string, Map<string, string[]>>,
): boolean {
  for (const [operator, keys] of outer) {
    const innerKeys = inner.get(operator);
    if (innerKeys === undefined) return false;
    for (const [key, values] of keys) {
      const innerValues = innerKeys.get(key);
      if (innerValues === undefined || !valuesImply(operator, innerValues, values)) return false;
    }
  }
  return true;
}

/** An atom of a statement that no statement of the set matches, for the reasons. */
export interface UncoveredAtom {
  statement: ParsedStatement;
  principal: Dimension | null;
  action: Dimension | null;
  resource: Dimension | null;
}

/** Beyond this many atoms a statement is checked whole (sound, only less precise). */
const MAX_ATOMS = 20_000;

/**
 * The atoms of `inner` that no statement of `outers` matches (empty: fully covered). A
 * statement not understood is one uncovered atom; `outers` not understood are skipped.
 */
export function uncoveredAtoms(
  inner: ParsedStatement,
  outers: readonly ParsedStatement[],
  limit = 3,
): UncoveredAtom[] {
  const { principal, action, resource, condition } = inner;
  if (principal === null || action === null || resource === null || condition === null) {
    return [{ statement: inner, principal, action, resource }];
  }
  const candidates = outers.filter(
    (o) => isUnderstood(o) && conditionImplies(condition, o.condition as Map<never, never>),
  );
  let ps = atomsOf(principal);
  let as = atomsOf(action);
  let rs = atomsOf(resource);
  if (ps.length * as.length * rs.length > MAX_ATOMS) {
    ps = [principal];
    as = [action];
    rs = [resource];
  }
  const table = candidates.map((o) => ({
    p: ps.map((d) => dimensionCovers(o.principal as Dimension, d, PRINCIPAL_RULES)),
    a: as.map((d) => dimensionCovers(o.action as Dimension, d, PATTERN_RULES)),
    r: rs.map((d) => dimensionCovers(o.resource as Dimension, d, PATTERN_RULES)),
  }));
  const out: UncoveredAtom[] = [];
  for (let i = 0; i < ps.length; i++) {
    for (let j = 0; j < as.length; j++) {
      for (let k = 0; k < rs.length; k++) {
        if (table.some((row) => row.p[i] && row.a[j] && row.r[k])) continue;
        out.push({
          statement: inner,
          principal: ps[i] as Dimension,
          action: as[j] as Dimension,
          resource: rs[k] as Dimension,
        });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
