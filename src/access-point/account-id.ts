// The one rule for an AWS account id: exactly 12 decimal digits (ids with leading zeros exist, so
// it is a string, never a number). Every check of an id, alone or inside an ARN, uses this.

/** The rule as a regular-expression fragment, for patterns that embed an id (ARNs). */
export const ACCOUNT_ID_PATTERN = "\\d{12}";

const ACCOUNT_ID = new RegExp(`^${ACCOUNT_ID_PATTERN}$`);

export function isAccountId(value: unknown): boolean {
  return typeof value === "string" && ACCOUNT_ID.test(value);
}
