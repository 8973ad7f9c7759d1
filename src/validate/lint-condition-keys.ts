// Condition keys against IAM's data: the global condition context keys, the keys of the identity
// providers IAM federates with, and the keys of s3 (or s3-outposts). An unknown key is a warning:
// IAM accepts any key and simply never finds it in the request, so the condition is silently
// false (or, with IfExists and negated operators, true).
import { conditionKeyKind, knownConditionKeys } from "./iam-authorization.js";
import type { ActionService } from "./lint-actions.js";
import { nearestName } from "./nearest-name.js";

// NOTE: "Condition key names are not case-sensitive" (IAM User Guide, "IAM JSON policy elements:
// Condition", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html):
// aws:SourceVPC is aws:SourceVpc. So keys are compared in lower case, and a key in another case
// is no problem; only the values of some keys are case-sensitive.

/** A warning for a condition key IAM does not know in an s3 / s3-outposts resource policy. */
export function conditionKeyProblem(service: ActionService, key: string): string | undefined {
  if (conditionKeyKind(service, key) !== "unknown") return undefined;
  const quoted = JSON.stringify(key);
  const nearest = nearestName(key, knownConditionKeys(service));
  // A suggestion only when it is plausibly a misspelling (at most a third of the key differs).
  const close =
    nearest !== undefined && nearest.distance <= Math.max(2, Math.floor(key.length / 3));
  return (
    `condition key ${quoted} is not a global condition key or a ${service} key, so requests ` +
    "never carry it" +
    (close ? `; did you mean "${nearest.name}"?` : "; see the IAM global condition context keys")
  );
}
