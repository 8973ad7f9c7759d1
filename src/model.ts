// The plain data that flows between the stages of s3ap:
// source → validate → desired[]; aws → live[]; plan(desired, live) → Plan; apply(Plan) → results.

/** An IAM policy document as parsed JSON/YAML. */
export type PolicyDocument = { [key: string]: unknown };

export type Mode = "enforce" | "observe";

/**
 * Identifies one access point. `outpostId` only for S3 on Outposts. A Multi-Region Access Point
 * has `region` MULTI_REGION and its `alias`; its kind, like every kind, comes from
 * `kindOf` (access-point/kind.ts).
 */
export interface AccessPointRef {
  accountId: string;
  region: string;
  name: string;
  outpostId?: string;
  /** Multi-Region Access Points only: the alias AWS gave it (`mfzwi23gnjvgw.mrap`). */
  alias?: string;
}

/**
 * The permissions that can be named in a directory-bucket access point's scope (S3 Control API
 * reference, `Scope.Permissions`).
 */
export const SCOPE_PERMISSIONS = [
  "GetObject",
  "GetObjectAttributes",
  "ListMultipartUploadParts",
  "ListBucket",
  "ListBucketMultipartUploads",
  "PutObject",
  "DeleteObject",
  "AbortMultipartUpload",
] as const;

export type ScopePermission = (typeof SCOPE_PERMISSIONS)[number];

/**
 * A directory-bucket access point's scope: which object prefixes and which operations requests
 * through it may use. An empty list does not limit that dimension.
 */
export interface AccessPointScope {
  prefixes: string[];
  permissions: string[];
}

/** What an access point is attached to when it is not an S3 bucket (FSx volumes), as listed. */
export interface DataSource {
  type: string;
  id: string;
}

/** A position in a source file, 1-based line and column. */
export interface SourcePosition {
  line: number;
  col: number;
}

/** One access point as declared by a validated policy file. */
export interface DesiredAccessPoint extends AccessPointRef {
  /** Path of the declaring file, relative to the repository root (POSIX separators). */
  file: string;
  /** Where `policy:` starts in that file, for reports. */
  position: SourcePosition;
  /** Multi-Region Access Points: where the file's `alias` value is (checked against live). */
  aliasPosition?: SourcePosition;
  arn: string;
  partition: string;
  mode: Mode;
  allowPublic: boolean;
  /** The desired policy after `${...}` substitution; `null` = must have no policy. */
  policy: PolicyDocument | null;
  /** Directory-bucket access points only: the desired scope; null = must have none. */
  scope?: AccessPointScope | null;
  /** Set for access points attached to an FSx volume (their Block Public Access is fixed on). */
  dataSource?: DataSource;
}

/**
 * How bad a problem is. `error`: AWS would refuse the file, or one of s3ap's guards does; it
 * always fails. `warning`: shown, and fails only with `--strict`.
 */
export type Severity = "error" | "warning";

/** A problem found in the input: always points at a file, line and column. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  severity: Severity;
  /** Stable identifier of the rule, e.g. `yaml-syntax`, `schema`, `account-id`. */
  rule: string;
  message: string;
  /** The Sid of the policy statement the problem is in, when it has one. */
  sid?: string;
  /**
   * A warning an s3ap.yaml exception excuses: still shown (as excepted, a SARIF suppression),
   * never counted by --strict.
   */
  exception?: ExceptionRef;
}

/** An s3ap.yaml exception as reports show it, beside what it excuses. */
export interface ExceptionRef {
  id: string;
  owner: string;
  reason: string;
  ticket?: string;
  expires: string;
}

/**
 * What else is live beside the policy: a directory-bucket access point's scope (null: none), and
 * a Multi-Region Access Point's Proposed policy when it differs from the Established one (a write
 * still being applied).
 */
export interface LiveExtras {
  scope?: AccessPointScope | null;
  proposed?: PolicyDocument;
  /** Multi-Region Access Points: the alias AWS gave it (a file must name the same). */
  alias?: string;
}

/**
 * The live state of one access point's policy, as read from S3 Control. Only the parsed policy is
 * kept, not AWS's text of it: thousands of answers read ahead wait while the tree is checked.
 */
export type LiveState =
  | ({ kind: "policy"; policy: PolicyDocument } & LiveExtras)
  | ({ kind: "none" } & LiveExtras)
  | { kind: "error"; code: string; message: string };

/** Why a source has no commit to name. */
export type NoCommitReason = "not a git repository" | "no commit yet";

/** Where the desired state came from. */
export interface SourceInfo {
  /** Absolute path of the folder holding the checked-out repository (or plain folder). */
  root: string;
  /** Absolute path of the policies directory inside `root`. */
  policiesDir: string;
  /** Commit SHA the files were read at; null outside git. */
  commit: string | null;
  /**
   * True when the files are not exactly a commit: uncommitted changes under the policies
   * directory, no git repository, or a repository with no commit yet.
   */
  dirty: boolean;
  /** Why `commit` is null. */
  noCommit?: NoCommitReason;
}

/** A role to assume and the ExternalId to pass (flags, environment or s3ap.yaml). */
export interface RoleSettings {
  roleArn?: string;
  externalId?: string;
}

/**
 * The zone of trust (s3ap.yaml `trust`): a widening to principals of these accounts, or pinned to
 * this organisation by a condition, stays within trust. Each access point's own account always is.
 */
export interface TrustSettings {
  organizationId?: string;
  accounts: string[];
}

/** One entry of s3ap.yaml `exceptions`: drift or warnings accepted until a date. */
export interface PolicyException {
  id: string;
  /** A glob, as --only: name, file path, account/region/name or ARN. */
  accessPoints: string;
  /** Only drift confined to statements with this Sid (warnings: inside such a statement). */
  sid?: string;
  /** Excuse warnings of this rule instead of drift. */
  rule?: string;
  owner: string;
  reason: string;
  ticket?: string;
  /** YYYY-MM-DD, UTC: the last day it excuses anything. */
  expires: string;
  /** Where the entry and its `expires` are written in s3ap.yaml. */
  position: SourcePosition;
  expiresPosition: SourcePosition;
}

export type RemediateAction = "revert" | "report";

/** s3ap.yaml `remediate`: what `apply --remediate` does with drift (default report/report). */
export interface RemediatePolicy {
  widening: RemediateAction;
  narrowing: RemediateAction;
}

/** s3ap.yaml `paused`: every run reports only until the date. */
export interface Pause {
  reason: string;
  /** YYYY-MM-DD, UTC: the last day of the pause. */
  until: string;
  untilPosition: SourcePosition;
}

/** s3ap.yaml, validated. `accounts` has no prototype (its keys come from the file). */
export interface RepositoryConfig extends RoleSettings {
  accounts: Record<string, RoleSettings>;
  /** Absent: no `trust`, so only each access point's own account is trusted. */
  trust?: TrustSettings;
  exceptions?: PolicyException[];
  /** Absent: report both. */
  remediate?: RemediatePolicy;
  paused?: Pause;
}

/**
 * Why a run stopped before doing its job, as data: the core never names a flag or an input, each
 * entry words a refusal with its own names for the options (run/refusal-text.ts).
 */
export type Refusal =
  /** apply of files that are not exactly a commit, without allowDirty. */
  | { kind: "dirty"; noCommit?: NoCommitReason }
  /** apply of more writes than maxChanges: nothing was written. */
  | { kind: "max-changes"; writes: number; limit: number }
  /** The policies directory (as the user named it) holds no policy file at all. */
  | { kind: "no-policy-files"; dir: string }
  /** `only` keeps none of the `declared` access points (`listed`: of those an import listed). */
  | {
      kind: "only-matches-nothing";
      only: readonly string[];
      among: number;
      of: "declared" | "listed";
    }
  /** `account` names no account of the policy files. */
  | { kind: "accounts-match-nothing"; accounts: readonly string[] }
  /** import: some files do not say which access point they declare (it could write a second). */
  | { kind: "undeclared-files" };
