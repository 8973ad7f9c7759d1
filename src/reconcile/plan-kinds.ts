// What the other kinds of access point add to a planned change (pure): a directory-bucket access
// point's scope, planned and judged with its policy (policy ∩ scope), and a Multi-Region Access
// Point's Proposed policy, shown when it differs from the Established one that is compared.
import { kindOf } from "../access-point/kind.js";
import type { DesiredAccessPoint, LiveState } from "../model.js";
import { equivalent } from "../policy/equivalent.js";
import { sameScope, scopedAccessVerdict } from "../policy/scope-access.js";
import type { ChangeDocument } from "./types.js";
import { verdictOptions } from "./verdict-options.js";

const DRIFT = new Set(["create", "update", "delete"]);
const OBSERVE_NOTE = " (observe mode: reported, never written)";

export function withKindExtras(
  change: ChangeDocument,
  ap: DesiredAccessPoint,
  live: LiveState | undefined,
): ChangeDocument {
  if (live === undefined || live.kind === "error") return change;
  switch (kindOf(ap)) {
    case "directory":
      return withScope(change, ap, live);
    case "multi-region":
      return withProposed(change, ap, live);
    case "general":
    case "outposts":
      return change;
  }
}

function withScope(
  change: ChangeDocument,
  ap: DesiredAccessPoint,
  live: LiveState & { kind: "policy" | "none" },
): ChangeDocument {
  const before = live.scope ?? null;
  const after = ap.scope ?? null;
  const changed = !sameScope(before, after);
  const scope = { before, after, changed };
  const policyBefore = live.kind === "policy" ? live.policy : null;
  const judge = () =>
    scopedAccessVerdict(
      { before: policyBefore, after: ap.policy },
      { before, after },
      verdictOptions(ap.arn, ap.partition),
      change.diff ?? undefined,
    );
  if (!changed) {
    // The same scope still limits what a policy change does (a grant on keys it excludes
    // grants nothing).
    if (!DRIFT.has(change.action) || before === null) return { ...change, scope };
    const verdict = judge();
    return { ...change, scope, access: verdict.access, accessReasons: verdict.reasons };
  }
  const verdict = judge();
  const what =
    after === null
      ? "has a scope, but the file declares none"
      : before === null
        ? "has no scope, but the file declares one"
        : "has a scope that differs from the desired one";
  const observe = ap.mode === "observe" ? OBSERVE_NOTE : "";
  const judged = { scope, access: verdict.access, accessReasons: verdict.reasons };
  if (DRIFT.has(change.action)) {
    const policyReason = change.reason.replace(OBSERVE_NOTE, "");
    return { ...change, ...judged, reason: `${policyReason}; and it ${what}${observe}` };
  }
  return {
    ...change,
    ...judged,
    action: "update",
    reason: `the access point ${what}${observe}`,
    before: policyBefore,
    notes: [],
  };
}

/**
 * Why a Multi-Region Access Point's file cannot be planned: its `alias` is not the one AWS gave
 * it (the policy's Resource ARNs are built from it), naming where the file says it.
 */
export function aliasMismatch(
  ap: DesiredAccessPoint,
  live: LiveState | undefined,
): string | undefined {
  if (live === undefined || live.kind === "error" || live.alias === undefined) return undefined;
  if (ap.alias === undefined || ap.alias === live.alias) return undefined;
  const at = ap.aliasPosition ?? ap.position;
  return (
    `${ap.file}:${at.line}:${at.col}: alias ${JSON.stringify(ap.alias)} is not the alias of ` +
    `Multi-Region Access Point ${ap.name}, which is ${JSON.stringify(live.alias)}: write ` +
    `alias: ${live.alias} (the policy's \${accessPointArn} is built from it)`
  );
}

function withProposed(
  change: ChangeDocument,
  ap: DesiredAccessPoint,
  live: LiveState & { kind: "policy" | "none" },
): ChangeDocument {
  const proposed = live.proposed;
  if (proposed === undefined) return change;
  const established = live.kind === "policy" ? live.policy : null;
  if (
    established !== null &&
    equivalent(established, proposed, { partition: ap.partition }).equal
  ) {
    return change;
  }
  const desired =
    ap.policy !== null && equivalent(proposed, ap.policy, { partition: ap.partition }).equal;
  const note = desired
    ? "AWS is still applying a Proposed policy equivalent to the desired one"
    : "AWS is still applying a Proposed policy that differs from both the Established and the desired one";
  return { ...change, proposed, reason: `${change.reason}; ${note}` };
}
