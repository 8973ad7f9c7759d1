// The plain data of a plan and an apply: what the engine returns and every report renders.
import type {
  AccessPointScope,
  ExceptionRef,
  Mode,
  NoCommitReason,
  PolicyDocument,
  Problem,
  Refusal,
  RemediateAction,
  SourceInfo,
} from "../model.js";
import type { AccessChange, AccessReason } from "../policy/access-verdict.js";
import type { PolicyDiff } from "../policy/diff.js";
import type { TrustVerdict } from "../policy/trust.js";
import type { ChangeParts, ChangePartsRef, PartKey } from "./change-parts.js";
import type { AnalyzerCheck, AnalyzerFinding } from "./ports.js";

export type ChangeAction = "create" | "update" | "delete" | "noop" | "error";

/**
 * Where a difference comes from, among the three policies of an access point: the file at the
 * base revision, the file being planned (head) and live. `change`: the files differ and live is
 * still the base's; `drift`: the files agree and live differs from them; `change+drift`: both.
 */
export type ChangeOrigin = "change" | "drift" | "change+drift";

export const CHANGE_ORIGINS: readonly ChangeOrigin[] = ["change", "drift", "change+drift"];

export const CHANGE_ACTIONS: readonly ChangeAction[] = [
  "create",
  "update",
  "delete",
  "noop",
  "error",
];

/**
 * One access point's line in a plan as it is held between stages: its report parts (policies,
 * diffs, verdict reasons) are in a store, read back with `partsOf` (reconcile/change-parts.ts).
 */
export type PlannedChange = Omit<ChangeDocument, PartKey> & { parts: ChangePartsRef };

export type { ChangeParts } from "./change-parts.js";

/** A change's report parts (its live policy, diffs, verdict reasons), read back from its store. */
export function partsOf(change: Pick<PlannedChange, "parts">): ChangeParts {
  return change.parts.read();
}

/** The whole change, its fields in the order the plan made them: what plan JSON writes. */
export function changeDocument(change: PlannedChange): ChangeDocument {
  return change.parts.document(change);
}

/** The plan (or merged plan) with every change whole again: what its JSON writes. */
export function planDocument<T extends { changes: readonly PlannedChange[] }>(
  plan: T,
): Omit<T, "changes"> & { changes: ChangeDocument[] } {
  return { ...plan, changes: plan.changes.map(changeDocument) };
}

/** One access point's line in a plan, whole (the contract's plan JSON `changes[]`). */
export interface ChangeDocument {
  accountId: string;
  region: string;
  name: string;
  outpostId?: string;
  arn: string;
  /** The policy file that declares the access point, relative to the repository root. */
  file: string;
  action: ChangeAction;
  mode: Mode;
  reason: string;
  /** Live policy (null: none, or could not be read). */
  before: PolicyDocument | null;
  /** Desired policy (null: must have none). */
  after: PolicyDocument | null;
  diff: PolicyDiff | null;
  /**
   * create/update/delete only: whether the change widens access (offline, from the statements;
   * never "narrows" or "same" when anything could be granted that was not before), and why.
   */
  access?: AccessChange;
  accessReasons?: AccessReason[];
  /** With --access-analyzer: what IAM Access Analyzer said, beside `access`. */
  accessAnalyzer?: AccessAnalyzerResult;
  /** With --attribute-drift: who made the drift, from CloudTrail. */
  attribution?: Attribution;
  /** The line of `policy:` in the file, for links to it at the plan's commit. */
  line?: number;
  /**
   * With a base revision (every plan has one: `--base`, default HEAD): whether the difference
   * comes from the files, from live, or both. On create/update/delete, and on a noop whose file
   * changed (a change that adopts what live already has).
   */
  origin?: ChangeOrigin;
  /** What the change to the files does to access (base → head), when origin has `change`. */
  changeAccess?: AccessChange;
  changeAccessReasons?: AccessReason[];
  changeDiff?: PolicyDiff;
  /** What the out-of-band change did to access (base → live), when origin has `drift`. */
  driftAccess?: AccessChange;
  driftAccessReasons?: AccessReason[];
  driftDiff?: PolicyDiff;
  /**
   * `new`: no file declared it at the base revision; `invalid`: the base revision's file did not
   * validate. Either way there is no base policy, and the change is measured from live.
   */
  baseFile?: "new" | "invalid";
  /** Why a textual difference between live and desired is not drift (noop only). */
  notes: string[];
  /**
   * Directory-bucket access points: the live (`before`) and desired (`after`) scope, null for
   * none; `changed` when apply writes it. `access` then judges policy and scope together.
   */
  scope?: ScopeChange;
  /**
   * Multi-Region Access Points: a Proposed policy that differs from the Established one
   * (`before`), i.e. a write AWS is still applying.
   */
  proposed?: PolicyDocument;
  /** Whether what the files' change grants stays within s3ap.yaml's trust (base → head). */
  changeTrust?: TrustVerdict;
  /** Whether what live's drift grants stays within trust (file → live). */
  driftTrust?: TrustVerdict;
  /** The s3ap.yaml exception that matches the drift: excepted, or refused and why. */
  exception?: ChangeException;
  /** Drift only: what `apply --remediate` does with it, and which rule decided. */
  remediation?: Remediation;
}

export interface ScopeChange {
  before: AccessPointScope | null;
  after: AccessPointScope | null;
  changed: boolean;
}

export type { TrustVerdict } from "../policy/trust.js";

/** An s3ap.yaml exception close to its date: after it, what it excuses fails the run. */
export interface ExpiringException extends ExceptionRef {
  /** Whole days left: 0 on its last day. */
  daysLeft: number;
}

/** An exception on a drift: `excepted` (never applied, never an issue) or `refused`. */
export interface ChangeException extends ExceptionRef {
  /**
   * excepted: the drift is reported, never written. refused: the drift is public or outside
   * trust, which no exception hides. overridden: the file changed too, so applying it writes
   * over the drift the exception would excuse.
   */
  status: "excepted" | "refused" | "overridden";
  /** Why a matching exception does not hold back the drift (refused, overridden). */
  because?: string;
}

export type RemediationRule =
  | "paused"
  | "exception"
  | "mode"
  | "not-drift"
  | "remediate.widening"
  | "remediate.narrowing";

/** What `apply --remediate` does with one drift, and the s3ap.yaml rule that decided it. */
export interface Remediation {
  action: RemediateAction;
  rule: RemediationRule;
  /** The decision in words, naming the rule: `remediate.widening: revert — live widens access`. */
  text: string;
  /** s3ap.yaml sets no `remediate`: the default (report) decided. */
  byDefault?: boolean;
}

/** Counts per action, and the unmanaged access points found (0 when discovery was off). */
export type PlanSummary = Record<ChangeAction, number> & {
  unmanaged: number;
  /** Drift that s3ap.yaml exceptions excuse (counted in its action too); absent when none. */
  excepted?: number;
};

/** An access point in a pair (account, region[, Outpost]) the files use that no file declares. */
export interface UnmanagedAccessPoint {
  accountId: string;
  region: string;
  name: string;
  outpostId?: string;
  arn: string;
  /** null when its policy could not be read (a warning says why). */
  hasPolicy: boolean | null;
}

/** Whether unmanaged access points were looked for (--no-discover: not), and what went wrong. */
export interface Discovery {
  enabled: boolean;
  warnings: string[];
}

/** What Access Analyzer said about one access point's change, beside s3ap's own verdict. */
export interface AccessAnalyzerResult {
  /** ValidatePolicy findings of the desired policy (the ERROR ones are also problems). */
  findings: AnalyzerFinding[];
  /** CheckNoPublicAccess of the policy a create or update writes. */
  noPublicAccess?: AnalyzerCheck;
  /** CheckNoNewAccess of an update: FAIL means the desired policy grants new access. */
  noNewAccess?: AnalyzerCheck;
}

/** An access point the base revision declared and the head no longer does: s3ap lets go of it. */
export interface ReleasedAccessPoint {
  accountId: string;
  region: string;
  name: string;
  outpostId?: string;
  arn: string;
  /** Its file at the base revision. */
  file: string;
}

/** The base revision a plan compared the files with (the three states). */
export interface PlanBase {
  /** As given (`--base`, `HEAD` by default). */
  ref: string;
  commit: string | null;
  /** Base files that did not validate (their changes are measured from live). */
  warnings: string[];
  /** Declared at the base revision, no longer at the head: never changed, no longer managed. */
  released: ReleasedAccessPoint[];
}

export interface Plan {
  formatVersion: 1;
  commit: string | null;
  /** The files are not exactly `commit` (uncommitted changes, no repository, no commit yet). */
  dirty: boolean;
  /** Why `commit` is null. */
  noCommit?: NoCommitReason;
  summary: PlanSummary;
  changes: PlannedChange[];
  /** Never changed by s3ap; listed so that nobody is surprised by them. */
  unmanaged: UnmanagedAccessPoint[];
  discovery: Discovery;
  /** With --attribute-drift: how far back CloudTrail was searched, and what went wrong. */
  attribution?: { enabled: boolean; windowDays: number; warnings: string[] };
  /** The base revision of the three states; absent in plans made without one. */
  base?: PlanBase;
  /** Any change or drift that reaches outside s3ap.yaml's trust (public included). */
  widensOutsideTrust?: boolean;
  /** s3ap.yaml `paused`, while it holds: every run reports only. */
  paused?: { reason: string; until: string };
  /** s3ap.yaml exceptions that end within 14 days (reports warn; absent when none). */
  exceptionsExpiring?: ExpiringException[];
  /** With --only: its patterns, and how many of the declared access points they selected. */
  only?: PlanSelection;
}

/** What --only (input only) made of a run: `selected` of the `declared` access points. */
export interface PlanSelection {
  patterns: string[];
  selected: number;
  declared: number;
}

// Who made a drift (--attribute-drift), read from CloudTrail by reconcile/attribution.ts.

export type ActorKind =
  | "iam-user"
  | "assumed-role"
  | "sso-user"
  | "identity-center-user"
  | "root"
  | "aws-service"
  | "federated-user"
  | "saml-user"
  | "web-identity-user"
  | "aws-account"
  | "unknown";

/** The tool a request came from, by its user agent. */
export type AgentClass =
  | "console"
  | "cli"
  | "sdk"
  | "terraform"
  | "cloudformation"
  | "s3ap"
  | "aws-service"
  | "other";

export interface Actor {
  kind: ActorKind;
  /** Who, in a few words: `alice@example.com`, `role terraform-deployer (session x)`. */
  name: string;
  arn?: string;
  accountId?: string;
  /** The assumed role's name, for role sessions. */
  role?: string;
  session?: string;
  /** sessionContext.sourceIdentity: the person behind a role session, where set. */
  sourceIdentity?: string;
  /** IAM Identity Center: the permission set (from the AWSReservedSSO_ role name). */
  permissionSet?: string;
  /** The AWS service that made the request on the actor's behalf (invokedBy). */
  invokedBy?: string;
}

export interface PolicyWriteEvent {
  eventName: string;
  eventId: string;
  /** ISO 8601, UTC. */
  time: string;
  actor: Actor;
  sourceIp?: string;
  userAgent?: string;
  agent: AgentClass;
  /** Made by s3ap itself (its role session or its user agent). */
  s3ap: boolean;
}

export interface Attribution {
  status: "found" | "not-found" | "error";
  /** How far back CloudTrail was searched. */
  windowDays: number;
  /** Newest first, at most MAX_EVENTS. */
  events: PolicyWriteEvent[];
  /** One line: who changed it, with what, when and from where; or why it is not known. */
  text: string;
}

/**
 * A plan as the plan JSON holds it: apply runs add `results` and the run's `retries` (absent in
 * plans of older versions), a refused apply its refusal.
 */
export type PlanDocument = Omit<Plan, "changes"> & {
  changes: ChangeDocument[];
  results?: ResultDocument[];
  retries?: number;
  refusal?: PlanRefusal;
};

/** The refusals that come with a plan (the others stop a run before there is one). */
export type PlanRefusal = Extract<Refusal, { kind: "max-changes" }>;

/** One apply result as the plan JSON writes it (report/plan-json.ts). */
export type ResultDocument = Pick<
  PlannedChange,
  "accountId" | "region" | "name" | "outpostId" | "arn" | "action"
> & {
  status: ApplyStatus;
  verified: boolean;
  message: string;
  durationMs: number;
};

/** The plans of a fan-out run's shards, merged into the plan one job would have made. */
export interface MergedPlan extends Plan {
  results?: ResultDocument[];
  retries?: number;
  refusal?: PlanRefusal;
  /** Accounts expected (from the shard list) that no shard plan covers: their jobs failed. */
  missingAccounts?: string[];
  /** Shards whose apply was refused: they wrote nothing (their changes are still listed). */
  refusedShards?: RefusedShard[];
}

/** A merged plan (or one plan file read back) as its JSON holds it. */
export type MergedPlanDocument = Omit<MergedPlan, "changes"> & { changes: ChangeDocument[] };

export interface RefusedShard {
  /** The shard's plan file, as merge-plans found it. */
  plan: string;
  /** The accounts that shard planned. */
  accounts: string[];
  refusal: PlanRefusal;
}

export interface Shard {
  /** A label for the job name: the account id, or the first id and how many more. */
  shard: string;
  /** Comma-separated account ids: what `--account` (action input `account`) takes. */
  accounts: string;
  regions: string[];
  accessPoints: number;
}

/** The matrix GitHub Actions takes with `strategy.matrix: ${{ fromJSON(...) }}`. */
export interface ShardMatrix {
  include: Shard[];
}

/** The long stages of a run, for progress reports. */
export type Phase = "read" | "apply";

/** `reported`: drift an s3ap.yaml rule held back (pause, exception, remediate); the message names it. */
export type ApplyStatus = "applied" | "failed" | "observed" | "reported" | "unchanged";

/** What happened to one access point during apply. */
export interface ApplyResult {
  change: PlannedChange;
  status: ApplyStatus;
  /** The read-back after the write matched the desired state. */
  verified: boolean;
  message: string;
  durationMs: number;
}

/**
 * The result of one run. `invalid`: problems that stop it (errors, or warnings with --strict);
 * the other outcomes carry the warnings that did not.
 */
export type ReconcileOutcome =
  | { status: "invalid"; source: SourceInfo; problems: Problem[]; files: number }
  | { status: "planned"; source: SourceInfo; warnings: Problem[]; plan: Plan }
  | {
      status: "refused";
      source: SourceInfo;
      warnings: Problem[];
      /** The plan when the refusal came after planning (max-changes), else null. */
      plan: Plan | null;
      refusal: Refusal;
    }
  | {
      status: "applied";
      source: SourceInfo;
      warnings: Problem[];
      plan: Plan;
      results: ApplyResult[];
    };

/** True for the changes apply writes: drift in enforce mode that no exception excuses. */
export function isWrite(change: PlannedChange): boolean {
  return (
    change.mode === "enforce" &&
    (change.action === "create" || change.action === "update" || change.action === "delete") &&
    change.exception?.status !== "excepted"
  );
}

/** Any drift, including observe-mode drift: what `plan` reports as "changes pending". */
export function hasDrift(plan: Pick<Plan, "summary">): boolean {
  return pendingCount(plan) > 0;
}

/** Access points that differ from their files, less the drift s3ap.yaml exceptions excuse. */
export function pendingCount(plan: Pick<Plan, "summary">): number {
  const { summary } = plan;
  return summary.create + summary.update + summary.delete - (summary.excepted ?? 0);
}
