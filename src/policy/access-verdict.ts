// Whether a policy change widens access: an offline verdict from the two documents alone.
//
// IAM evaluates an access point policy per request: an explicit Deny in a matching statement
// refuses it, else an Allow in a matching statement grants it, else the policy says nothing
// (IAM user guide, "Policy evaluation logic"). So each request gets one of three answers,
// ordered deny < nothing < allow, and a change widens access exactly when some request's
// answer goes up: a request newly allowed, or no longer denied.
//
// "No policy" says nothing to every request: without a resource-based policy, only the
// caller's identity-based policies in the access point's own account can allow it, and nothing
// is explicitly denied. A create therefore widens by every Allow and narrows by every Deny it
// brings; a delete the other way round.
//
// The verdict is "widens" or "mixed" whenever coverage cannot prove that every request the new
// policy allows was allowed before and every request denied before is still denied
// (statement-cover.ts only claims what is certain). So it may say "mixed" when unsure, and
// never says "narrows" or "same" when anything could be granted that was not before.
import { appendAll } from "../append-all.js";
import type { PolicyDocument } from "../model.js";
import {
  type AccessReason,
  APPLY_SIDES,
  atomReason,
  diffReasons,
  type PolicySides,
} from "./access-reasons.js";
import {
  type CanonicalizeOptions,
  canonicalizeTraced,
  statementEntries,
  statementList,
} from "./canonicalize.js";
import { diffPolicies, type PolicyDiff } from "./diff.js";
import { equivalent } from "./equivalent.js";
import { containsVariable } from "./json-text.js";
import { type ParsedStatement, parseStatement, uncoveredAtoms } from "./statement-cover.js";

export type AccessChange = "widens" | "narrows" | "mixed" | "same";

export type { AccessReason, PolicySides } from "./access-reasons.js";

export interface AccessVerdict {
  access: AccessChange;
  /** Why, most important first: what widens, then what narrows, then what is unclear. */
  reasons: AccessReason[];
}

/** A document's statements for coverage; null when its Statement cannot be read as a list. */
function parsedStatements(
  policy: PolicyDocument | null,
  partition: string,
): ParsedStatement[] | null {
  if (policy === null) return [];
  const list = statementList(policy);
  if (list === null) return null;
  return statementEntries(list, partition).map(parseStatement);
}

interface Witnesses {
  reasons: AccessReason[];
  found: boolean;
}

/** Requests `after` answers higher than `before` does (at most a few, as reasons). */
function widening(
  before: ParsedStatement[],
  after: ParsedStatement[],
  direction: "widens" | "narrows",
  sides: PolicySides,
): Witnesses {
  const reasons: AccessReason[] = [];
  // A statement with an effect IAM would not accept could be read either way.
  const allowsBefore = before.filter((s) => s.effect === "Allow");
  const denialsAfter = after.filter((s) => s.effect === "Deny");
  for (const s of after) {
    if (s.effect === "Deny") continue;
    if (allowsBefore.some((o) => o.entry.json === s.entry.json)) continue;
    for (const atom of uncoveredAtoms(s, allowsBefore))
      reasons.push(atomReason(atom, "grant", direction, sides));
  }
  for (const s of before) {
    if (s.effect === "Allow") continue;
    if (denialsAfter.some((o) => o.entry.json === s.entry.json)) continue;
    for (const atom of uncoveredAtoms(s, denialsAfter)) {
      reasons.push(atomReason(atom, "deny-lifted", direction, sides));
    }
  }
  return { reasons, found: reasons.length > 0 };
}

function versionOf(policy: PolicyDocument | null, options: CanonicalizeOptions): unknown {
  return policy === null ? undefined : canonicalizeTraced(policy, options).Version;
}

/** Document-level changes the statements cannot account for. */
function documentDoubt(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  options: CanonicalizeOptions,
): AccessReason | null {
  if (before === null || after === null) return null;
  // NOTE: Version 2008-10-17 reads `${aws:username}` as literal text, 2012-10-17 as a variable.
  const variables = containsVariable(before.Statement) || containsVariable(after.Statement);
  if (variables && versionOf(before, options) !== versionOf(after, options)) {
    return {
      direction: "unclear",
      text: "Version changes while the policy uses ${…} variables: they are read differently",
    };
  }
  return null;
}

function byPosition(statements: ParsedStatement[] | null): Map<number, ParsedStatement> {
  return new Map((statements ?? []).map((s) => [s.entry.position, s]));
}

const ORDER = { widens: 0, narrows: 1, unclear: 2 } as const;

/**
 * The access verdict for `before` (live; null = no policy) becoming `after` (desired; null =
 * no policy). `diff` is diffPolicies(before, after) when the caller already has it. `sides` names
 * the two policies in the reasons (default: live → desired, what apply does).
 */
export function accessVerdict(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  options: CanonicalizeOptions = {},
  diff?: PolicyDiff,
  sides: PolicySides = APPLY_SIDES,
): AccessVerdict {
  if (before === null && after === null) return { access: "same", reasons: [] };
  if (before !== null && after !== null && equivalent(before, after, options).equal) {
    return { access: "same", reasons: [] };
  }
  const partition = options.partition ?? "aws";
  const b = parsedStatements(before, partition);
  const a = parsedStatements(after, partition);
  const doubt = documentDoubt(before, after, options);
  const unreadable =
    b === null || a === null
      ? { direction: "unclear" as const, text: "a Statement that is not a list of statements" }
      : null;

  const up =
    b !== null && a !== null ? widening(b, a, "widens", sides) : { reasons: [], found: true };
  const down =
    b !== null && a !== null ? widening(a, b, "narrows", sides) : { reasons: [], found: true };
  const widens = up.found || doubt !== null || unreadable !== null;
  const narrows = down.found || doubt !== null || unreadable !== null;
  const access: AccessChange =
    widens && narrows ? "mixed" : widens ? "widens" : narrows ? "narrows" : "same";

  const fromDiff = diffReasons(
    diff ?? diffPolicies(before, after, options),
    byPosition(b),
    byPosition(a),
    sides,
  );
  let reasons: AccessReason[];
  if (access === "same") {
    reasons = [
      {
        direction: "unclear",
        text: "the statements are rewritten, but every request gets the same answer as before",
      },
    ];
  } else {
    // A diff item in a direction the coverage ruled out (an action already granted by a
    // wildcard, say) is no reason for this verdict.
    reasons = fromDiff.filter(
      (r) =>
        (r.direction === "widens" && widens) ||
        (r.direction === "narrows" && narrows) ||
        r.direction === "unclear",
    );
    if (widens && !reasons.some((r) => r.direction === "widens")) appendAll(reasons, up.reasons);
    if (narrows && !reasons.some((r) => r.direction === "narrows")) {
      appendAll(reasons, down.reasons);
    }
    for (const extra of [doubt, unreadable]) if (extra !== null) reasons.push(extra);
  }
  reasons.sort((x, y) => ORDER[x.direction] - ORDER[y.direction]);
  return { access, reasons };
}
