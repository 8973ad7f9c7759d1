// Turns a failed S3 Control call into an AwsError whose message says what to do about it.

import { count } from "../count.js";
import { AwsError, type OptionName } from "../errors.js";
import { redactUrl } from "../redact-url.js";
import type { Failure } from "./failure.js";

export type Operation =
  | "GetAccessPointPolicy"
  | "PutAccessPointPolicy"
  | "DeleteAccessPointPolicy"
  | "ListAccessPoints"
  | "ListRegionalBuckets"
  | "GetAccessPointPolicyStatus"
  | "ListAccessPointsForDirectoryBuckets"
  | "GetAccessPointScope"
  | "PutAccessPointScope"
  | "DeleteAccessPointScope"
  | "ListMultiRegionAccessPoints"
  | "GetMultiRegionAccessPoint"
  | "GetMultiRegionAccessPointPolicy"
  | "PutMultiRegionAccessPointPolicy"
  | "DescribeMultiRegionAccessPointOperation";

/** The IAM service prefix of an operation's action: s3, s3-outposts or s3express. */
export type IamService = "s3" | "s3-outposts" | "s3express";

export interface FailureContext {
  operation: Operation;
  /** The access point's ARN, or for ListAccessPoints the account and region. */
  target: string;
  accountId: string;
  region: string;
  service: IamService;
  endpointUrl?: string;
  /** Attempts made, retries included. */
  attempts: number;
  /** How the entry names the options a message tells the user to change. */
  name: OptionName;
}

function endpointName(context: FailureContext): string {
  return context.endpointUrl ?? `the S3 Control endpoint of ${context.region}`;
}

function attemptsText(attempts: number): string {
  return count(attempts, "attempt");
}

function statusText(failure: Failure): string {
  return failure.httpStatus === undefined ? "" : `, HTTP ${failure.httpStatus}`;
}

export function describeFailure(failure: Failure, context: FailureContext): AwsError {
  const retryable = failure.kind !== "fatal";
  // The endpoint URL, and AWS or Node messages that quote it, may carry credentials.
  const make = (message: string) =>
    new AwsError(redactUrl(message), failure.code, retryable, failure.httpStatus);
  const { operation, target, name } = context;

  switch (failure.code) {
    case "NoSuchMultiRegionAccessPoint":
      return make(
        `Multi-Region Access Point ${target} does not exist in account ${context.accountId}; ` +
          `s3ap never creates access points: create it or remove the file that declares it`,
      );
    case "NoSuchAccessPoint":
      return make(
        `access point ${target} does not exist in account ${context.accountId}, region ` +
          `${context.region}; s3ap never creates access points: create it or remove the file ` +
          `that declares it`,
      );
    case "AccessDenied":
    case "AccessDeniedException": {
      const action = `${context.service}:${operation}`;
      return make(
        `access denied: the identity s3ap runs as needs ${action} on ${target}; grant it in ` +
          `IAM (and check SCPs, permission boundaries and the access point policy itself). ` +
          `AWS said: ${failure.message}`,
      );
    }
    case "MalformedPolicy":
      return make(
        `AWS refused the policy for ${target} as malformed: ${failure.message}. If it names a ` +
          `principal created moments ago, IAM may not have propagated it yet: re-run in a minute`,
      );
    case "InvalidRequest":
      return make(`AWS refused ${operation} for ${target} as invalid: ${failure.message}`);
    case "CredentialsProviderError":
      return make(
        `no AWS credentials found for ${operation} on ${target}: configure the standard AWS ` +
          `chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, or web identity ` +
          `via GitHub OIDC). ${failure.message}`,
      );
  }

  const tries = attemptsText(context.attempts);
  switch (failure.kind) {
    case "throttle":
      return make(
        `S3 Control kept throttling ${operation} for ${target} (${failure.code}` +
          `${statusText(failure)}) after ${tries}; lower ${name("rate")} or ${name("concurrency")} and re-run`,
      );
    case "transient":
      return make(
        `${operation} for ${target} kept failing with ${failure.code}${statusText(failure)} ` +
          `after ${tries} (${failure.message}); S3 Control or the network is unwell: re-run later`,
      );
    case "timeout":
      return make(
        `${endpointName(context)} did not answer ${operation} for ${target} in time ` +
          `(${tries}); check the network, proxy and ${name("endpointUrl")}, then re-run`,
      );
    case "unreachable":
      return make(
        `could not reach ${endpointName(context)} for ${operation} on ${target} ` +
          `(${failure.code}, ${tries}); check ${name("endpointUrl")} / AWS_ENDPOINT_URL_S3_CONTROL, ` +
          `the network and any proxy`,
      );
    case "fatal":
      return make(
        `${operation} failed for ${target}: ${failure.code}${statusText(failure)}: ${failure.message}`,
      );
  }
}
