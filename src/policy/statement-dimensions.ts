// A canonical statement (canonicalize.ts) read into its dimensions: Effect, the principal, action
// and resource values it matches (or, for NotPrincipal/NotAction/NotResource, excludes), and its
// Condition blocks. A part of a shape IAM would refuse is null: readers treat it as unknown.
import type { StatementEntry } from "./canonicalize.js";
import { conditionBlocks, isPlainObject, isStringList, STATEMENT_ELEMENTS } from "./structural.js";

/** One side of a statement: values it matches ("in") or the values it excludes ("notIn"). */
export interface Dimension {
  kind: "in" | "notIn";
  values: string[];
}

export interface ParsedStatement {
  /** null: not a statement IAM would accept as Allow or Deny (could be read as either). */
  effect: "Allow" | "Deny" | null;
  /** null: a shape IAM would refuse (readers treat it as unknown). */
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
