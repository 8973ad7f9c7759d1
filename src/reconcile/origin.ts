// Three states, three verdicts: where each difference of a plan comes from (the files, live, or
// both), and what each did to access. A pure function of base, head and live.
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointScope, DesiredAccessPoint, PolicyDocument } from "../model.js";
import {
  type AccessChange,
  type AccessReason,
  accessVerdict,
  type PolicySides,
} from "../policy/access-verdict.js";
import { diffPolicies, type PolicyDiff } from "../policy/diff.js";
import { equivalent } from "../policy/equivalent.js";
import { sameScope, scopedAccessVerdict } from "../policy/scope-access.js";
import { storeChange } from "./change-parts.js";
import type { ChangeDocument, ChangeOrigin, Plan, PlanBase, ReleasedAccessPoint } from "./types.js";
import { changeDocument } from "./types.js";
import { verdictOptions } from "./verdict-options.js";

/** The base revision's files, read and validated like the head's (selected the same way). */
export interface BaseRevision {
  ref: string;
  commit: string | null;
  /** The access points its valid files declare. */
  desired: readonly DesiredAccessPoint[];
  /** Its files with errors: an access point declared there has no base policy to compare. */
  invalidFiles: ReadonlySet<string>;
  /** Why files of the base did not validate, for the report (they never fail the plan). */
  warnings: readonly string[];
}

/** A base revision that could not be read: the plan says why and classifies nothing. */
export interface UnreadableBase {
  ref: string;
  unreadable: string;
}

export type BaseInput = BaseRevision | UnreadableBase;

/** How reasons name the policies: what the files' change did, and what live's drift did. */
export const CHANGE_SIDES: PolicySides = { before: "base", after: "head" };
export const DRIFT_SIDES: PolicySides = { before: "file", after: "live" };

/**
 * The base policy of one access point, as the classification needs it (with a directory-bucket
 * access point's base scope: the change and the drift are judged over policy ∩ scope).
 */
export type BasePolicy =
  | { kind: "declared"; policy: PolicyDocument | null; scope?: AccessPointScope | null }
  | { kind: "new" }
  | { kind: "invalid" };

interface Verdicts {
  access: AccessChange;
  reasons: AccessReason[];
  diff: PolicyDiff;
}

/** The verdict from `before` to `after`; with `scopes`, over policy ∩ scope (directory buckets). */
function compare(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  arn: string,
  partition: string,
  sides: PolicySides,
  scopes?: { before: AccessPointScope | null; after: AccessPointScope | null },
): Verdicts {
  const options = verdictOptions(arn, partition);
  const diff = diffPolicies(before, after, options);
  const verdict =
    scopes === undefined
      ? accessVerdict(before, after, options, diff, sides)
      : scopedAccessVerdict({ before, after }, scopes, options, diff, sides);
  return { access: verdict.access, reasons: verdict.reasons, diff };
}

function samePolicy(
  a: PolicyDocument | null,
  b: PolicyDocument | null,
  partition: string,
): boolean {
  if (a === null || b === null || a === b) return a === b;
  return equivalent(a, b, { partition }).equal;
}

function originOf(changed: boolean, drifted: boolean): ChangeOrigin | undefined {
  if (changed && drifted) return "change+drift";
  if (changed) return "change";
  if (drifted) return "drift";
  return undefined;
}

/**
 * One change with its origin. Live is the change's `before` (null: no policy) and head its
 * `after`; an access point that could not be read (error) has no origin. Without a base policy
 * (a new file, or a base file that did not validate) the access point was not managed: what
 * the change does is what applying does, measured from live.
 */
export function classifyChange(
  change: ChangeDocument,
  base: BasePolicy,
  partition: string,
): ChangeDocument {
  if (change.action === "error") return change;
  const live = change.before;
  const head = change.after;
  if (base.kind !== "declared") {
    const noop = change.action === "noop";
    // Object.assign, not `{ ...change, … }`: V8 gives every object a spread followed by more
    // properties makes a hidden class of its own (10,000 changes, 10,000 maps).
    return Object.assign({}, change, {
      baseFile: base.kind,
      origin: "change" as const,
      changeAccess: noop ? ("same" as const) : (change.access ?? "same"),
      changeAccessReasons: noop ? [] : (change.accessReasons ?? []),
      ...(change.diff !== null ? { changeDiff: change.diff } : {}),
    });
  }
  // A directory-bucket access point: its scope (base, head = file, live) counts with its policy.
  const scopes =
    change.scope !== undefined
      ? { base: base.scope ?? null, head: change.scope.after, live: change.scope.before }
      : undefined;
  const scopeChanged = scopes !== undefined && !sameScope(scopes.base, scopes.head);
  const scopeDrifted = scopes !== undefined && !sameScope(scopes.base, scopes.live);
  const changed = !samePolicy(base.policy, head, partition) || scopeChanged;
  // With the head's own files as the base (a clean tree), live differs from the base exactly
  // when the plan found drift: no second comparison.
  const drifted =
    base.policy === head && scopes === undefined
      ? change.action !== "noop"
      : !samePolicy(base.policy, live, partition) || scopeDrifted;
  const origin = originOf(changed, drifted);
  if (origin === undefined) return change;
  const out: ChangeDocument = Object.assign({}, change, { origin });
  /** From the base to `to` (head or live), the scope included. */
  const from = (to: PolicyDocument | null, sides: PolicySides, toScope?: AccessPointScope | null) =>
    compare(
      base.policy,
      to,
      change.arn,
      partition,
      sides,
      scopes === undefined ? undefined : { before: scopes.base, after: toScope ?? null },
    );
  if (changed) {
    const { access, reasons, diff } = from(head, CHANGE_SIDES, scopes?.head);
    Object.assign(out, { changeAccess: access, changeAccessReasons: reasons, changeDiff: diff });
  }
  if (drifted) {
    const { access, reasons, diff } = from(live, DRIFT_SIDES, scopes?.live);
    Object.assign(out, { driftAccess: access, driftAccessReasons: reasons, driftDiff: diff });
  }
  return out;
}

/**
 * The plan with every change classified against the base revision, and the access points the
 * base declared that the head no longer does. `head` is what was planned (for partitions).
 */
export function withBase(plan: Plan, head: readonly DesiredAccessPoint[], base: BaseInput): Plan {
  const classify = baseClassifier(head, base);
  const changes = plan.changes.map((change) =>
    storeChange(classify(changeDocument(change)), change.parts.store),
  );
  return withBaseOf({ ...plan, changes }, head, base);
}

/**
 * classifyChange of one change against the base revision, for changes classified one by one as
 * they are planned (the engine does it while the other reads are on their way); withBaseOf
 * then adds what the plan as a whole says of the base. An unreadable base classifies nothing.
 */
export function baseClassifier(
  head: readonly DesiredAccessPoint[],
  base: BaseInput,
): (change: ChangeDocument) => ChangeDocument {
  if ("unreadable" in base) return (change) => change;
  const baseByKey = new Map(base.desired.map((ap) => [accessPointKey(ap), ap]));
  const headByKey = new Map(head.map((ap) => [accessPointKey(ap), ap]));
  return (change) => {
    const key = accessPointKey(change);
    const declared = baseByKey.get(key);
    const basePolicy: BasePolicy =
      declared !== undefined
        ? {
            kind: "declared",
            policy: declared.policy,
            ...(declared.scope !== undefined ? { scope: declared.scope } : {}),
          }
        : base.invalidFiles.has(change.file)
          ? { kind: "invalid" }
          : { kind: "new" };
    return classifyChange(change, basePolicy, headByKey.get(key)?.partition ?? "aws");
  };
}

/** The plan (its changes classified by baseClassifier) with what it says of the base revision. */
export function withBaseOf(plan: Plan, head: readonly DesiredAccessPoint[], base: BaseInput): Plan {
  if ("unreadable" in base) {
    return {
      ...plan,
      base: { ref: base.ref, commit: null, warnings: [base.unreadable], released: [] },
    };
  }
  const headKeys = new Set(head.map((ap) => accessPointKey(ap)));
  const released: ReleasedAccessPoint[] = base.desired
    .filter((ap) => !headKeys.has(accessPointKey(ap)))
    .map((ap) => ({
      accountId: ap.accountId,
      region: ap.region,
      name: ap.name,
      ...(ap.outpostId !== undefined ? { outpostId: ap.outpostId } : {}),
      arn: ap.arn,
      file: ap.file,
    }))
    .sort((a, b) => accessPointKey(a).localeCompare(accessPointKey(b)));
  const planBase: PlanBase = {
    ref: base.ref,
    commit: base.commit,
    warnings: [...base.warnings],
    released,
  };
  return { ...plan, base: planBase };
}
