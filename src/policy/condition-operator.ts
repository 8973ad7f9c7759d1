// IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
// a base operator, optionally `...IfExists`, optionally prefixed `ForAllValues:`/`ForAnyValue:`.
// Operator names are case-sensitive.

export const BASE_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
] as const;

export type BaseOperator = (typeof BASE_OPERATORS)[number];

export const SET_PREFIXES = ["ForAllValues:", "ForAnyValue:"] as const;

export interface ConditionOperator {
  /** How the values of a multivalued key are combined; undefined for a single-valued test. */
  set: "all" | "any" | undefined;
  base: BaseOperator;
  /** `...IfExists`: true when the request does not carry the key. */
  ifExists: boolean;
}

const BASE = new Set<string>(BASE_OPERATORS);

/** The operator's parts, or undefined when IAM does not know it. */
export function parseOperator(operator: string): ConditionOperator | undefined {
  let rest = operator;
  let set: ConditionOperator["set"];
  if (rest.startsWith("ForAllValues:")) set = "all";
  else if (rest.startsWith("ForAnyValue:")) set = "any";
  if (set !== undefined) rest = rest.slice(rest.indexOf(":") + 1);
  let ifExists = false;
  // NOTE: IAM has no NullIfExists: Null already tests for presence.
  if (rest.endsWith("IfExists") && rest !== "NullIfExists") {
    ifExists = true;
    rest = rest.slice(0, -"IfExists".length);
  }
  return BASE.has(rest) ? { set, base: rest as BaseOperator, ifExists } : undefined;
}

const NEGATED = new Set<BaseOperator>([
  "StringNotEquals",
  "StringNotEqualsIgnoreCase",
  "StringNotLike",
  "NumericNotEquals",
  "DateNotEquals",
  "NotIpAddress",
  "ArnNotEquals",
  "ArnNotLike",
]);

/** Whether the operator holds when the request's value matches none of the policy's values. */
export function isNegated(base: BaseOperator): boolean {
  return NEGATED.has(base);
}

/**
 * How an operator's values combine: "positive" (true when the request matches one of them: more
 * values match more requests), "negated" (true when it matches none: more values match fewer),
 * or "other" (Null, and names IAM does not know).
 */
export function operatorKind(operator: string): "positive" | "negated" | "other" {
  const parsed = parseOperator(operator);
  if (parsed === undefined || parsed.base === "Null") return "other";
  return isNegated(parsed.base) ? "negated" : "positive";
}
