// Whether IAM knows a condition operator, and which one a misspelt name meant.
import { BASE_OPERATORS, parseOperator, SET_PREFIXES } from "../policy/condition-operator.js";

/** Whether IAM accepts `operator`: a base operator, optionally `...IfExists`, optionally set-prefixed. */
export function isConditionOperator(operator: string): boolean {
  return parseOperator(operator) !== undefined;
}

/** The operator the user probably meant (same letters, other case), for the message. */
export function suggestOperator(operator: string): string | undefined {
  const lower = operator.toLowerCase();
  for (const prefix of ["", ...SET_PREFIXES]) {
    for (const base of BASE_OPERATORS) {
      for (const suffix of ["", "IfExists"]) {
        const candidate = `${prefix}${base}${suffix}`;
        if (candidate !== operator && candidate.toLowerCase() === lower) return candidate;
      }
    }
  }
  return undefined;
}
