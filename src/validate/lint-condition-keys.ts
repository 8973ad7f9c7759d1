// Condition keys against IAM's data: the global condition context keys and the keys of s3 (or
// s3-outposts). An unknown key is a warning: IAM accepts any key and simply never finds it in the
// request, so the condition is silently false (or, with IfExists and negated operators, true).
import { s3Authorization } from "./generated/s3-authorization.js";
import type { ActionService } from "./lint-actions.js";
import { nearestName } from "./nearest-name.js";

// NOTE: "Condition key names are not case-sensitive" (IAM User Guide, "IAM JSON policy elements:
// Condition", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html):
// aws:SourceVPC is aws:SourceVpc. So keys are compared in lower case, and a key in another case
// is no problem; only the values of some keys are case-sensitive.

// The data writes the variable part of a key as `${TagKey}`, `<key>` or `tag-key`.
const VARIABLE_PART = /\/(\$\{[^}]+\}|<[^>]+>|tag-key)$/;

interface KeyIndex {
  exact: Set<string>;
  /** Lower-case prefixes (`aws:principaltag/`) of keys with a variable part. */
  prefixes: string[];
  /** Every key as IAM spells it, for suggestions. */
  spelled: string[];
}

const indexes = new Map<ActionService, KeyIndex>();

function indexOf(service: ActionService): KeyIndex {
  let index = indexes.get(service);
  if (index === undefined) {
    const keys = [
      ...s3Authorization.globalConditionKeys,
      ...s3Authorization.services[service].conditionKeys,
    ];
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const key of keys) {
      const variable = VARIABLE_PART.exec(key);
      if (variable === null) exact.add(key.toLowerCase());
      else prefixes.push(key.slice(0, variable.index + 1).toLowerCase());
    }
    index = { exact, prefixes, spelled: [...new Set(keys)] };
    indexes.set(service, index);
  }
  return index;
}

/** A warning for a condition key IAM does not know in an s3 / s3-outposts resource policy. */
export function conditionKeyProblem(service: ActionService, key: string): string | undefined {
  const index = indexOf(service);
  const lower = key.toLowerCase();
  if (index.exact.has(lower)) return undefined;
  if (index.prefixes.some((prefix) => lower.startsWith(prefix) && lower.length > prefix.length)) {
    return undefined;
  }
  const quoted = JSON.stringify(key);
  const nearest = nearestName(key, index.spelled);
  // A suggestion only when it is plausibly a misspelling (at most a third of the key differs).
  const close =
    nearest !== undefined && nearest.distance <= Math.max(2, Math.floor(key.length / 3));
  return (
    `condition key ${quoted} is not a global condition key or a ${service} key, so requests ` +
    "never carry it" +
    (close ? `; did you mean "${nearest.name}"?` : "; see the IAM global condition context keys")
  );
}
