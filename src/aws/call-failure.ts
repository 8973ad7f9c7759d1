// How a call to IAM Access Analyzer or CloudTrail that failed for good is told: denied (what to
// grant), throttled, unwell or refused, each in one sentence that names the service, the
// operation and what it was about. S3 Control's failures have words of their own
// (failure-message.ts): more codes, the endpoint, the access point's own permission.
import { count } from "../count.js";
import { AwsError } from "../errors.js";
import type { Failure } from "./failure.js";

/** The codes AWS answers a caller that lacks the permission with. */
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

export interface FailedCall {
  /** "IAM Access Analyzer", "CloudTrail". */
  service: string;
  operation: string;
  /** What the call was about, as it follows the operation: "for arn:…", "in account … in …". */
  about: string;
  /** Attempts made, retries included. */
  attempts: number;
  /** The sentence for a caller without the permission, given what AWS said. */
  denied: (awsSaid: string) => string;
  /** What to do when throttling outlasted the retries: "re-run later", "lower … and re-run". */
  throttled: string;
}

/** Whether an error says the caller lacks the permission for the call. */
export function isDenied(error: unknown): boolean {
  return error instanceof AwsError && DENIED.has(error.code);
}

export function describeCallFailure(failure: Failure, call: FailedCall): AwsError {
  const make = (message: string) =>
    new AwsError(message, failure.code, failure.kind !== "fatal", failure.httpStatus);
  const { service, operation, about } = call;
  if (DENIED.has(failure.code)) return make(call.denied(failure.message));
  const tries = count(call.attempts, "attempt");
  switch (failure.kind) {
    case "throttle":
      return make(
        `${service} kept throttling ${operation} ${about} (${failure.code}) after ${tries}; ` +
          call.throttled,
      );
    case "transient":
    case "timeout":
    case "unreachable":
      return make(
        `${service} ${operation} ${about} kept failing (${failure.code}) after ${tries}: ` +
          `${failure.message}; re-run later`,
      );
    case "fatal":
      return make(`${service} ${operation} failed ${about}: ${failure.code}: ${failure.message}`);
  }
}
