// plan(desired, live): a pure function of plain objects. No SDK, no git, no clock.
import { accessPointKey } from "../access-point/arn.js";
import type { DesiredAccessPoint, LiveState, NoCommitReason, PolicyDocument } from "../model.js";
import { accessVerdict } from "../policy/access-verdict.js";
import { diffPolicies, type PolicyDiff } from "../policy/diff.js";
import { EMPTY, orEmpty } from "../policy/empty-list.js";
import { type Equivalence, equivalent } from "../policy/equivalent.js";
import { findUniqueIdPrincipals } from "../policy/unique-id-principals.js";
import { PartsStore, storeChange } from "./change-parts.js";
import { aliasMismatch, withKindExtras } from "./plan-kinds.js";
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  type ChangeDocument,
  type Discovery,
  type Plan,
  type PlannedChange,
  type PlanSummary,
  type UnmanagedAccessPoint,
} from "./types.js";
import { verdictOptions } from "./verdict-options.js";

const OBSERVE_NOTE = "observe mode: reported, never written";

export function emptySummary(): PlanSummary {
  return {
    ...(Object.fromEntries(CHANGE_ACTIONS.map((action) => [action, 0])) as Record<
      ChangeAction,
      number
    >),
    unmanaged: 0,
  };
}

export function summarize(changes: readonly Pick<PlannedChange, "action">[]): PlanSummary {
  const summary = emptySummary();
  for (const change of changes) summary[change.action] += 1;
  return summary;
}

export interface PlanOptions {
  /**
   * Explain, for every access point in sync, why textual differences are not drift (`notes`).
   * Costs about as much again as the comparison itself, so only when a report shows them.
   */
  explain?: boolean;
  /** Where the files came from, beyond the commit (default: exactly that commit). */
  provenance?: { dirty: boolean; noCommit?: NoCommitReason };
}

/**
 * Compares every desired access point with its live state. `live` is keyed by accessPointKey;
 * an access point missing from `live` is an error (it was never read). The changes' report
 * parts go to `store` (reconcile/change-parts.ts).
 */
export function plan(
  desired: readonly DesiredAccessPoint[],
  live: ReadonlyMap<string, LiveState>,
  commit: string | null,
  options: PlanOptions = {},
  store: PartsStore = new PartsStore(),
): Plan {
  return planOf(
    desired.map((ap) => storeChange(planOne(ap, live.get(accessPointKey(ap)), options), store)),
    commit,
    options,
  );
}

/** The plan of entries made one by one (planOne), in the order of their access points' keys. */
export function planOf(
  entries: readonly PlannedChange[],
  commit: string | null,
  options: PlanOptions = {},
): Plan {
  // Each key built once, not twice per comparison.
  const changes = entries
    .map((change) => ({ key: accessPointKey(change), change }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((keyed) => keyed.change);
  return {
    formatVersion: 1,
    commit,
    dirty: options.provenance?.dirty ?? false,
    ...(options.provenance?.noCommit !== undefined
      ? { noCommit: options.provenance.noCommit }
      : {}),
    summary: summarize(changes),
    changes,
    unmanaged: [],
    discovery: { enabled: false, warnings: [] },
  };
}

/** The plan with the unmanaged access points discovery found (pure). */
export function withUnmanaged(
  planned: Plan,
  discovery: Discovery,
  unmanaged: readonly UnmanagedAccessPoint[],
): Plan {
  return {
    ...planned,
    summary: { ...planned.summary, unmanaged: unmanaged.length },
    unmanaged: [...unmanaged],
    discovery,
  };
}

export function planOne(
  ap: DesiredAccessPoint,
  live: LiveState | undefined,
  planOptions: PlanOptions = {},
): ChangeDocument {
  const wrongAlias = aliasMismatch(ap, live);
  if (wrongAlias !== undefined) return plannedChange(ap, "error", wrongAlias, NO_DETAIL);
  return withKindExtras(planPolicy(ap, live, planOptions), ap, live);
}

/** The change of the access point's policy (for every kind alike). */
function planPolicy(
  ap: DesiredAccessPoint,
  live: LiveState | undefined,
  planOptions: PlanOptions,
): ChangeDocument {
  const make = (action: ChangeAction, reason: string, detail: ChangeDetail = NO_DETAIL) => {
    const drift = action === "create" || action === "update" || action === "delete";
    const fullReason = drift && ap.mode === "observe" ? `${reason} (${OBSERVE_NOTE})` : reason;
    return plannedChange(ap, action, fullReason, detail);
  };
  const options = { partition: ap.partition };
  /** The diff and the access verdict of a change from `before` to the desired policy. */
  const changeOf = (before: PolicyDocument | null, known?: Equivalence): ChangeDetail => {
    const diff: PolicyDiff = diffPolicies(before, ap.policy, options, known);
    const verdict = accessVerdict(before, ap.policy, verdictOptions(ap.arn, ap.partition), diff);
    return { before, diff, access: verdict.access, accessReasons: verdict.reasons };
  };

  if (live === undefined) {
    return make("error", "the live policy was not read (internal error: please report it)");
  }
  if (live.kind === "error") {
    return make("error", `${live.message} [${live.code}]`);
  }
  if (ap.policy === null) {
    if (live.kind === "none") return make("noop", "has no policy, as declared");
    return make(
      "delete",
      "declared policy: null, but the access point has a policy",
      changeOf(live.policy),
    );
  }
  if (live.kind === "none") {
    return make("create", "the access point has no policy", changeOf(null));
  }
  const verdict = equivalent(live.policy, ap.policy, options);
  if (verdict.equal) {
    return make("noop", "live policy is equivalent to the desired one", {
      before: live.policy,
      diff: null,
      notes: planOptions.explain ? verdict.notes : [],
    });
  }
  const orphaned = findUniqueIdPrincipals(live.policy);
  const reason =
    orphaned.length > 0
      ? `live policy differs: ${orphaned.map((p) => p.meaning).join("; ")}`
      : "live policy differs from the desired one";
  return make("update", reason, changeOf(live.policy, verdict));
}

/** What a change knows beyond its access point: the live policy, the diff, the verdict. */
interface ChangeDetail {
  before: PolicyDocument | null;
  diff: PolicyDiff | null;
  access?: ChangeDocument["access"];
  accessReasons?: ChangeDocument["accessReasons"];
  notes?: string[];
}

const NO_DETAIL: ChangeDetail = { before: null, diff: null };

/**
 * One plan entry, built as one literal in the order plan JSON shows its fields.
 *
 * NOTE: not `{ ...base, ...extra }`: V8 gives every object built by a spread followed by more
 * properties a hidden class of its own, so 10,000 entries held 10,000 maps and descriptor
 * arrays (~4 MB) and every read of their fields went megamorphic.
 */
function plannedChange(
  ap: DesiredAccessPoint,
  action: ChangeAction,
  reason: string,
  detail: ChangeDetail,
): ChangeDocument {
  return {
    accountId: ap.accountId,
    region: ap.region,
    name: ap.name,
    ...(ap.outpostId !== undefined ? { outpostId: ap.outpostId } : {}),
    arn: ap.arn,
    file: ap.file,
    line: ap.position.line,
    mode: ap.mode,
    after: ap.policy,
    notes: orEmpty(detail.notes ?? EMPTY),
    before: detail.before,
    diff: detail.diff,
    ...(detail.access !== undefined
      ? { access: detail.access, accessReasons: detail.accessReasons ?? [] }
      : {}),
    action,
    reason,
  };
}
