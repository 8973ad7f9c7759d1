// The policy store as the engine needs it, declared here by the core and implemented by the
// S3 Control adapter (aws/s3control-store.ts); engine tests use in-memory fakes. Read-only runs
// (plan, apply --dry-run) are handed only a reader, so they cannot write by construction.
import type { AccessPointRef, LiveState } from "../model.js";

export interface AccessPointSummary {
  name: string;
  bucket?: string;
  arn?: string;
  /** Set for S3 on Outposts access points (listed per Outpost). */
  outpostId?: string;
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
  /** Whether AWS considers the policy public; null where AWS does not support it (Outposts). */
  getPolicyStatus(ap: AccessPointRef): Promise<{ isPublic: boolean } | null>;
}

export type PolicyReader = Pick<PolicyStore, "getPolicy" | "listAccessPoints">;
export type PolicyWriter = Pick<PolicyStore, "putPolicy" | "deletePolicy">;
