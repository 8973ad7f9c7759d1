// IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators").
const BASE_OPERATORS = [
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

const BASE = new Set<string>(BASE_OPERATORS);
const SET_PREFIXES = ["ForAllValues:", "ForAnyValue:"];

/** Whether IAM accepts `operator`: a base operator, optionally `...IfExists`, optionally set-prefixed. */
export function isConditionOperator(operator: string): boolean {
  let rest = operator;
  const prefix = SET_PREFIXES.find((p) => rest.startsWith(p));
  if (prefix !== undefined) rest = rest.slice(prefix.length);
  if (BASE.has(rest)) return true;
  // NOTE: IAM has no NullIfExists: Null already tests for presence.
  if (rest.endsWith("IfExists")) {
    const base = rest.slice(0, -"IfExists".length);
    return BASE.has(base) && base !== "Null";
  }
  return false;
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
