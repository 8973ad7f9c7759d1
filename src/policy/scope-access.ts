// The access verdict of a directory-bucket access point. A request through it is allowed only if
// its policy allows it AND its scope lets it through (policy ∩ scope), so a change widens access
// only if the policy or the scope lets more through. The policy's own verdict is accessVerdict's
// (access-verdict.ts); this module judges the scope and joins the two.
//
// A scope limits two dimensions: the operations (its permissions; none listed = all eight) and
// the object keys (its prefixes; none listed = every key). No scope limits nothing. It is judged
// only where that is certain: a prefix ending in `*` covers every key it starts, and a prefix
// without one is taken to cover only itself (AWS does not document which it means), so a narrowing
// is never claimed that might not be one.
import type { AccessPointScope, PolicyDocument } from "../model.js";
import { SCOPE_PERMISSIONS } from "../model.js";
import type { AccessReason } from "./access-reasons.js";
import {
  type AccessChange,
  type AccessVerdict,
  type AccessVerdictOptions,
  accessVerdict,
} from "./access-verdict.js";
import type { PolicyDiff } from "./diff.js";

const ALL_PERMISSIONS: readonly string[] = SCOPE_PERMISSIONS;

function permissionsOf(scope: AccessPointScope | null): Set<string> {
  return new Set(
    scope === null || scope.permissions.length === 0 ? ALL_PERMISSIONS : scope.permissions,
  );
}

/** null: every key. */
function prefixesOf(scope: AccessPointScope | null): string[] | null {
  return scope === null || scope.prefixes.length === 0 ? null : [...new Set(scope.prefixes)];
}

/** Whether every key `inner` lets through, `outer` lets through too (certainly). */
function prefixCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (!outer.endsWith("*")) return false;
  return inner.startsWith(outer.slice(0, -1));
}

/** What `after` lets through that `before` does not, as reasons with the given direction. */
function wider(
  before: AccessPointScope | null,
  after: AccessPointScope | null,
  direction: "widens" | "narrows",
): AccessReason[] {
  const reasons: AccessReason[] = [];
  const had = permissionsOf(before);
  const added = [...permissionsOf(after)].filter((p) => !had.has(p));
  if (added.length > 0) {
    const verb = direction === "widens" ? "lets through" : "no longer lets through";
    reasons.push({ direction, text: `scope ${verb} ${added.join(", ")}` });
  }
  const outer = prefixesOf(before);
  const inner = prefixesOf(after);
  if (outer !== null) {
    if (inner === null) {
      const text =
        direction === "widens"
          ? `scope no longer limits object keys (was ${outer.join(", ")})`
          : `scope now limits object keys to ${outer.join(", ")}`;
      reasons.push({ direction, text });
    } else {
      const uncovered = inner.filter((p) => !outer.some((o) => prefixCovers(o, p)));
      if (uncovered.length > 0) {
        const verb = direction === "widens" ? "adds" : "drops";
        reasons.push({ direction, text: `scope ${verb} prefix ${uncovered.join(", ")}` });
      }
    }
  }
  return reasons;
}

/** How a scope change alone changes what requests may get through. */
export function scopeVerdict(
  before: AccessPointScope | null,
  after: AccessPointScope | null,
): AccessVerdict {
  const up = wider(before, after, "widens");
  const down = wider(after, before, "narrows");
  const access: AccessChange =
    up.length > 0 && down.length > 0
      ? "mixed"
      : up.length > 0
        ? "widens"
        : down.length > 0
          ? "narrows"
          : "same";
  return { access, reasons: [...up, ...down] };
}

/** Joins two verdicts of an intersection: it narrows only if neither part widens. */
export function joinVerdicts(policy: AccessVerdict, scope: AccessVerdict): AccessVerdict {
  const parts = [policy.access, scope.access].filter((a) => a !== "same");
  const widens = parts.some((a) => a === "widens" || a === "mixed");
  const narrows = parts.some((a) => a === "narrows" || a === "mixed");
  const access: AccessChange =
    widens && narrows ? "mixed" : widens ? "widens" : narrows ? "narrows" : "same";
  // What widens first, from either part, then what narrows, then what is unclear.
  const rank = { widens: 0, narrows: 1, unclear: 2 } as const;
  const reasons = [...policy.reasons, ...scope.reasons].sort(
    (a, b) => rank[a.direction] - rank[b.direction],
  );
  return { access, reasons };
}

/** The verdict over policy ∩ scope of a directory-bucket access point. */
export function scopedAccessVerdict(
  policy: { before: PolicyDocument | null; after: PolicyDocument | null },
  scope: { before: AccessPointScope | null; after: AccessPointScope | null },
  options: AccessVerdictOptions = {},
  diff?: PolicyDiff,
): AccessVerdict {
  return joinVerdicts(
    accessVerdict(policy.before, policy.after, options, diff),
    scopeVerdict(scope.before, scope.after),
  );
}

/** Two scopes let the same requests through (order and repeats do not matter). */
export function sameScope(a: AccessPointScope | null, b: AccessPointScope | null): boolean {
  const key = (s: AccessPointScope | null) => {
    const prefixes = prefixesOf(s);
    return JSON.stringify([
      [...permissionsOf(s)].sort(),
      prefixes === null ? null : [...prefixes].sort(),
    ]);
  };
  return key(a) === key(b);
}
