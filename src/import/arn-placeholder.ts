// Rewrites an imported policy's strings as a file must declare them: references to its own
// access point become ${accessPointArn}, so the file reads like a hand-written one and survives a
// copy to another name, and any other `${...}` that validation would replace or refuse gets the
// literal escape (`${!...}`), so it reads back as itself. Nothing else changes.
import type { PolicyDocument } from "../model.js";
import { escapeVariables } from "../validate/substitute-variables.js";

export const ACCESS_POINT_ARN_VARIABLE = "${accessPointArn}";

/**
 * `arn` itself becomes `${accessPointArn}` and `arn/...` becomes `${accessPointArn}/...`; every
 * other string (a prefix that only looks alike, `arn-2`, another access point) is left as is.
 * Mapping keys are never rewritten: IAM keys are fixed names.
 */
export function withArnPlaceholder(text: string, arn: string): string {
  if (text === arn) return ACCESS_POINT_ARN_VARIABLE;
  if (text.startsWith(`${arn}/`)) return `${ACCESS_POINT_ARN_VARIABLE}${text.slice(arn.length)}`;
  return text;
}

/**
 * A deep copy of `value` with every string escaped (escapeVariables) and then given the ARN
 * placeholder (withArnPlaceholder); objects have no prototype.
 */
export function rewriteArnReferences(value: unknown, arn: string): unknown {
  if (typeof value === "string") return withArnPlaceholder(escapeVariables(value), arn);
  if (Array.isArray(value)) return value.map((item) => rewriteArnReferences(item, arn));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) copy[key] = rewriteArnReferences(item, arn);
    return copy;
  }
  return value;
}

export function rewritePolicyArns(policy: PolicyDocument, arn: string): PolicyDocument {
  return rewriteArnReferences(policy, arn) as PolicyDocument;
}
