// A canonical statement (canonicalize.ts) read into the parts the access verdict searches:
// Effect, the principal, action and resource dimensions (statement-dimensions.ts reads them), and the
// Condition as a list of tests. A part of a shape IAM would refuse is left undefined: the search
// then treats it as unknown, which makes the verdict more careful, never less.
import type { StatementEntry } from "./canonicalize.js";
import { type Clause, canonicalKey } from "./condition-clause.js";
import { parseOperator } from "./condition-operator.js";
import type { Dimension } from "./request-search.js";
import { parseStatement as readDimensions } from "./statement-dimensions.js";

export interface ParsedStatement {
  /** undefined: not a statement IAM would accept as Allow or Deny (could be read as either). */
  effect: "Allow" | "Deny" | undefined;
  principal: Dimension | undefined;
  action: Dimension | undefined;
  resource: Dimension | undefined;
  clauses: Clause[] | undefined;
  /** Whether `${...}` are policy variables (the document's Version is 2012-10-17). */
  variables: boolean;
  entry: StatementEntry;
}

/**
 * Reads a canonical statement into its parts. `variables`: whether `${...}` are policy
 * variables (the document's Version is 2012-10-17).
 */
export function parseStatement(entry: StatementEntry, variables: boolean): ParsedStatement {
  const read = readDimensions(entry);
  let clauses: Clause[] | undefined;
  if (read.condition !== null) {
    clauses = [];
    for (const [operatorText, keys] of read.condition) {
      for (const [key, values] of keys) {
        clauses.push({
          operatorText,
          operator: parseOperator(operatorText),
          key: canonicalKey(key),
          values,
          variables,
        });
      }
    }
  }
  return {
    effect: read.effect ?? undefined,
    principal: read.principal ?? undefined,
    action: read.action ?? undefined,
    resource: read.resource ?? undefined,
    clauses,
    variables,
    entry,
  };
}
