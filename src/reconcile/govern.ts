// s3ap.yaml's trust, exceptions, remediate and paused over a plan (pure; the day is passed in):
// - every change of the files gets `changeTrust` (base → head) and every drift `driftTrust`
//   (file → live): within trust, or what reaches outside and through which principal;
// - a drift (live differs, the files do not) that an exception matches is `excepted` — reported,
//   never written, never an issue — unless it is public or outside trust (`refused`);
// - every drift gets `remediation`: what `apply --remediate` does with it and which rule decided;
// - the plan says whether anything reaches outside trust, and whether a pause holds.
import type { AccessPointScope, PolicyDocument, RepositoryConfig } from "../model.js";
import { type AccessReason, APPLY_SIDES } from "../policy/access-reasons.js";
import { type AccessChange, accessVerdict } from "../policy/access-verdict.js";
import { diffPolicies, type PolicyDiff } from "../policy/diff.js";
import { scopeLimits } from "../policy/scope-access.js";
import {
  type TrustContext,
  type TrustVerdict,
  trustVerdict,
  witnessesWithinTrust,
} from "../policy/trust.js";
import { daysLeft, EXPIRY_WARNING_DAYS, isPaused } from "../validate/config-dates.js";
import { Exceptions, exceptionRef } from "../validate/exceptions.js";
import type { PartKey } from "./change-parts.js";
import { remediationOf } from "./remediation.js";
import {
  type ChangeDocument,
  type ChangeParts,
  type ExpiringException,
  type Plan,
  partsOf,
} from "./types.js";
import { verdictOptions } from "./verdict-options.js";

/** Where a change comes from, and the base policy it is measured from. */
export interface ChangeFacts {
  origin: "change" | "drift" | "change+drift";
  /** The file's policy at the base revision (null: `policy: null`); a new file: live's. */
  base: PolicyDocument | null;
  /** What the drift did to access (base → live), when known already. */
  driftAccess?: AccessChange;
  /** The statement diff of the drift (base → live), when known already. */
  driftDiff?: PolicyDiff;
  /** A directory-bucket access point's scope at the base (null: none), beside `base`. */
  baseScope?: AccessPointScope | null;
}

export interface GovernRules {
  config: RepositoryConfig | null;
  /** The day the rules are judged on: ms since the epoch. */
  now: number;
}

/** Why an exception no longer holds back drift whose file changes too. */
const OVERRIDDEN = "the file changes too, and an exception excuses drift alone";

const hasChange = (origin: ChangeFacts["origin"]) => origin !== "drift";
const hasDrift = (origin: ChangeFacts["origin"]) => origin !== "change";

/** A change's parts, read from its store the first time they are asked for. */
export type PartsReader = () => ChangeParts;

/** The fields s3ap.yaml's rules read and add: a whole change's, or a stored one's. */
export type GovernedFields = Omit<ChangeDocument, PartKey>;

/** Where each change comes from and its base policy (undefined: nothing to govern). */
export type FactsOf = (change: GovernedFields, parts: PartsReader) => ChangeFacts | undefined;

/** s3ap.yaml's rules over one change, whole or stored, with a reader of its parts. */
export type ChangeGovernor = <T extends GovernedFields>(change: T, parts: PartsReader) => T;

/**
 * s3ap.yaml's rules over each change on its own: the engine governs a change as it is planned,
 * its parts still at hand, so that they are never read back from the store for it. The plan's
 * own fields then come from withRules.
 */
export function changeGovernor(factsOf: FactsOf, rules: GovernRules): ChangeGovernor {
  const { config, now } = rules;
  const exceptions = new Exceptions(config?.exceptions, now);
  const paused = isPaused(config, now) ? config?.paused : undefined;
  return (change, parts) => {
    const facts = factsOf(change, parts);
    return facts === undefined
      ? change
      : governChange(change, parts, facts, config, exceptions, paused);
  };
}

export function governPlan(plan: Plan, factsOf: FactsOf, rules: GovernRules): Plan {
  const govern = changeGovernor(factsOf, rules);
  const changes = plan.changes.map((change) => {
    let read: ChangeParts | undefined;
    return govern(change, () => {
      read ??= partsOf(change);
      return read;
    });
  });
  return withRules({ ...plan, changes }, rules);
}

/** What the plan says of s3ap.yaml's rules, over changes already governed one by one. */
export function withRules(plan: Plan, rules: GovernRules): Plan {
  const { config, now } = rules;
  const paused = isPaused(config, now) ? config?.paused : undefined;
  const { changes } = plan;
  const excepted = changes.filter((c) => c.exception?.status === "excepted").length;
  const widensOutsideTrust = changes.some(
    (c) => c.changeTrust?.tier === "outside" || c.driftTrust?.tier === "outside",
  );
  const expiring: ExpiringException[] = (config?.exceptions ?? [])
    .map((e) => ({ ...exceptionRef(e), daysLeft: daysLeft(e.expires, now) }))
    .filter((e) => e.daysLeft >= 0 && e.daysLeft <= EXPIRY_WARNING_DAYS);
  return {
    ...plan,
    changes,
    summary: { ...plan.summary, ...(excepted > 0 ? { excepted } : {}) },
    widensOutsideTrust,
    ...(paused !== undefined ? { paused: { reason: paused.reason, until: paused.until } } : {}),
    ...(expiring.length > 0 ? { exceptionsExpiring: expiring } : {}),
  };
}

function governChange<T extends GovernedFields>(
  change: T,
  parts: PartsReader,
  facts: ChangeFacts,
  config: RepositoryConfig | null,
  exceptions: Exceptions,
  paused: RepositoryConfig["paused"],
): T {
  const partition = change.arn.split(":")[1] ?? "aws";
  const context = { trust: config?.trust, accountId: change.accountId, partition };
  // NOTE (measured with %HasFastProperties): Object.assign({}, change) clones the change's hidden
  // class, and the named stores below extend it. `{ ...change }` then these stores turned each
  // copy into a dictionary (10,000 drifts held ~8 MB of property hash tables).
  const out: T = Object.assign({}, change);
  if (hasChange(facts.origin)) {
    out.changeTrust = trustOf(change, facts, change.after, change.scope?.after, context, {
      access: change.changeAccess,
      reasons: parts().changeAccessReasons,
    });
  }
  if (!hasDrift(facts.origin)) return out;
  const { before: live, driftAccessReasons } = parts();
  const driftTrust = trustOf(
    change,
    facts,
    live,
    change.scope?.before,
    context,
    facts.driftAccess !== undefined
      ? { access: facts.driftAccess, reasons: driftAccessReasons }
      : { access: change.driftAccess, reasons: driftAccessReasons },
  );
  out.driftTrust = driftTrust;
  // An exception excuses drift alone: a change of the files is reviewed, and applied on merge.
  // When the file changes too, applying it writes over the drift the exception would excuse:
  // the exception is named as overridden (a file that adopts live's policy writes nothing).
  const diff = facts.driftDiff ?? diffPolicies(facts.base, live, { partition });
  const excuse = exceptions.drift(change, diff, driftTrust);
  if (excuse?.status === "refused") {
    out.exception = { ...excuse.exception, status: "refused", because: excuse.because };
  } else if (excuse !== undefined && facts.origin === "drift") {
    out.exception = { ...excuse.exception, status: "excepted" };
  } else if (excuse !== undefined && change.action !== "noop") {
    out.exception = { ...excuse.exception, status: "overridden", because: OVERRIDDEN };
  }
  const driftAccess = facts.driftAccess ?? accessVerdict(facts.base, live, { partition }).access;
  out.remediation = remediationOf(
    {
      mode: change.mode,
      origin: facts.origin,
      driftAccess,
      exceptedBy: out.exception?.status === "excepted" ? out.exception.id : undefined,
    },
    { remediate: config?.remediate, paused },
  );
  return out;
}

/**
 * Where the change from the base to `to` reaches, as far as trust goes (over policy ∩ scope for a
 * directory-bucket access point). `verdict`: the exact verdict of the same change, when the plan
 * has it: a change it found widens nothing, or widens only for trusted accounts, stays within
 * trust without a second search.
 */
function trustOf(
  change: GovernedFields,
  facts: ChangeFacts,
  to: PolicyDocument | null,
  toScope: AccessPointScope | null | undefined,
  context: TrustContext,
  verdict: { access: AccessChange | undefined; reasons: readonly AccessReason[] | undefined },
): TrustVerdict {
  const { access, reasons } = verdict;
  if (
    access === "same" ||
    access === "narrows" ||
    (access !== undefined && witnessesWithinTrust(reasons, context))
  ) {
    return { tier: "within", outside: [] };
  }
  const limits =
    change.scope === undefined
      ? undefined
      : scopeLimits(facts.baseScope ?? null, toScope ?? null, APPLY_SIDES, [facts.base, to]);
  return trustVerdict(
    facts.base,
    to,
    context,
    verdictOptions(change.arn, context.partition),
    limits,
  );
}
