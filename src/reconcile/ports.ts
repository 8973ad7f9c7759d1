// The policy store as the engine needs it, declared here by the core and implemented by the
// S3 Control adapter (aws/s3control-store.ts); engine tests use in-memory fakes. Read-only runs
// (plan, apply --dry-run) are handed only a reader, so they cannot write by construction.
import type { AccessPointRef, AccessPointScope, LiveState } from "../model.js";

/**
 * The most requests the engine ever has in flight at once, over all accounts and regions
 * (`--concurrency` counts per account and region: reconcile/scoped-limit.ts). An adapter sizes
 * its connection pool for it.
 */
export const MAX_IN_FLIGHT = 256;

export interface AccessPointSummary {
  name: string;
  bucket?: string;
  arn?: string;
  /** Set for S3 on Outposts access points (listed per Outpost). */
  outpostId?: string;
  /** What the access point is attached to, as listed (e.g. an FSx volume); absent for buckets. */
  dataSourceType?: string;
  dataSourceId?: string;
  /** Multi-Region Access Points: the alias that names them in ARNs. */
  alias?: string;
}

export interface PolicyStore {
  /** No policy is {kind:"none"}; per-access-point failures (NoSuchAccessPoint, AccessDenied,
   *  retries exhausted, ...) are {kind:"error", code, message} with a message saying what to do. */
  getPolicy(ap: AccessPointRef): Promise<LiveState>;
  /** Throws AwsError (src/errors.ts) with an actionable message on failure. */
  putPolicy(ap: AccessPointRef, policyJson: string): Promise<void>;
  /** Deleting an absent policy is success. Throws AwsError on failure. */
  deletePolicy(ap: AccessPointRef): Promise<void>;
  /**
   * Every access point of the account in the region, all pages; with `outpostId`, those of that
   * Outpost (which the call without it never lists). Throws AwsError on failure.
   */
  listAccessPoints(
    accountId: string,
    region: string,
    outpostId?: string,
  ): Promise<AccessPointSummary[]>;
  /**
   * Every directory-bucket access point of the account in the region (ListAccessPoints never
   * lists them). Throws AwsError on failure.
   */
  listDirectoryAccessPoints(accountId: string, region: string): Promise<AccessPointSummary[]>;
  /** Every Multi-Region Access Point of the account (they have no Region). Throws AwsError. */
  listMultiRegionAccessPoints(accountId: string): Promise<AccessPointSummary[]>;
  /** Replaces a directory-bucket access point's scope. Throws AwsError on failure. */
  putScope(ap: AccessPointRef, scope: AccessPointScope): Promise<void>;
  /** Removes a directory-bucket access point's scope; removing none is success. */
  deleteScope(ap: AccessPointRef): Promise<void>;
  /** Whether AWS considers the policy public; null where AWS does not support it (Outposts). */
  getPolicyStatus(ap: AccessPointRef): Promise<{ isPublic: boolean } | null>;
}

export type PolicyReader = Pick<
  PolicyStore,
  "getPolicy" | "listAccessPoints" | "listDirectoryAccessPoints" | "listMultiRegionAccessPoints"
>;
export type PolicyWriter = Pick<
  PolicyStore,
  "putPolicy" | "deletePolicy" | "putScope" | "deleteScope"
>;

/** A port that holds clients and sockets: whoever opens it destroys it when the run ends. */
export type Destroyable<T> = T & { destroy(): void };

// IAM Access Analyzer as the engine needs it (--access-analyzer), implemented by the Access
// Analyzer adapter (aws/access-analyzer.ts); engine tests use in-memory fakes.

export type AnalyzerFindingType = "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";

/** One step of a finding's path into the policy document (the API's PathElement). */
export type AnalyzerPathElement =
  | { index: number }
  | { key: string }
  | { value: string }
  | { substring: { start: number; length: number } };

/** A ValidatePolicy finding with its first location, as the API reference documents it. */
export interface AnalyzerFinding {
  findingType: AnalyzerFindingType;
  issueCode: string;
  details: string;
  learnMoreLink: string;
  /** Path into the submitted policy document; empty when AWS gave no location. */
  path: AnalyzerPathElement[];
  /** Lines from 1, columns from 0, in the submitted JSON text. */
  span?: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** The answer of CheckNoPublicAccess / CheckNoNewAccess. */
export interface AnalyzerCheck {
  result: "PASS" | "FAIL";
  message: string;
  reasons: Array<{ description: string; statementIndex?: number; statementId?: string }>;
}

export type AnalyzerOperation = "ValidatePolicy" | "CheckNoPublicAccess" | "CheckNoNewAccess";

/** What s3ap asks IAM Access Analyzer. Every method throws AwsError for its access point. */
export interface PolicyChecker {
  validatePolicy(ap: AccessPointRef, policyJson: string): Promise<AnalyzerFinding[]>;
  checkNoPublicAccess(ap: AccessPointRef, policyJson: string): Promise<AnalyzerCheck>;
  checkNoNewAccess(
    ap: AccessPointRef,
    existingPolicyJson: string,
    newPolicyJson: string,
  ): Promise<AnalyzerCheck>;
}

// CloudTrail as the engine needs it (--attribute-drift), implemented by the CloudTrail adapter
// (aws/cloudtrail.ts); engine tests use in-memory fakes.

/** One CloudTrail event of a write to an access point policy, as LookupEvents returns it. */
export interface PolicyWriteRecord {
  eventId: string;
  eventName: string;
  /** ms since the epoch. */
  eventTime: number;
  /** The ResourceName of each of the event's resources (ARNs or names). */
  resources: string[];
  /** The CloudTrailEvent JSON, parsed without prototypes; null when it could not be read. */
  record: unknown;
}

export interface PolicyWrites {
  /** Newest first. */
  events: PolicyWriteRecord[];
  /** More events matched than s3ap reads (the newest are kept). */
  truncated: boolean;
}

/** Who wrote which policy, from CloudTrail. Throws AwsError for the account and region. */
export interface ChangeHistory {
  /** Events named `eventNames` in the account and region from `start` to `end` (ms). */
  policyWrites(
    accountId: string,
    region: string,
    eventNames: readonly string[],
    window: { start: number; end: number },
  ): Promise<PolicyWrites>;
}
