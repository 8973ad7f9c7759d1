// Access Analyzer and CloudTrail calls that failed for good, in one sentence each that names the
// service, the operation, what it was about and what to do; retryable unless refused outright.
import { describe, expect, test } from "vitest";
import { describeAnalyzerFailure } from "../../src/aws/access-analyzer.js";
import { isDenied } from "../../src/aws/call-failure.js";
import { describeCloudTrailFailure, isLookupDenied } from "../../src/aws/cloudtrail.js";
import type { Failure, FailureKind } from "../../src/aws/failure.js";
import { AwsError } from "../../src/errors.js";

const ARN = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const failure = (kind: FailureKind, code: string, httpStatus?: number): Failure => ({
  kind,
  code,
  message: "AWS's own words",
  ...(httpStatus !== undefined ? { httpStatus } : {}),
});

describe("IAM Access Analyzer", () => {
  const said = (f: Failure) => describeAnalyzerFailure(f, "ValidatePolicy", ARN, 3);
  test.each([
    [
      failure("throttle", "ThrottlingException", 429),
      `IAM Access Analyzer kept throttling ValidatePolicy for ${ARN} (ThrottlingException) after 3 attempts; lower --rate or --concurrency and re-run`,
    ],
    [
      failure("unreachable", "ECONNREFUSED"),
      `IAM Access Analyzer ValidatePolicy for ${ARN} kept failing (ECONNREFUSED) after 3 attempts: AWS's own words; re-run later`,
    ],
    [
      failure("fatal", "ValidationException", 400),
      `IAM Access Analyzer ValidatePolicy failed for ${ARN}: ValidationException: AWS's own words`,
    ],
    [
      failure("fatal", "AccessDeniedException", 403),
      `access denied: --access-analyzer needs access-analyzer:ValidatePolicy for the identity s3ap runs as (checking ${ARN}); grant it or drop --access-analyzer. AWS said: AWS's own words`,
    ],
  ])("%#: %s", (f, message) => {
    const error = said(f);
    expect(error).toBeInstanceOf(AwsError);
    expect(error.message).toBe(message);
    expect(error.code).toBe(f.code);
    expect(error.retryable).toBe(f.kind !== "fatal");
    expect(error.httpStatus).toBe(f.httpStatus);
  });
});

describe("CloudTrail LookupEvents", () => {
  const said = (f: Failure) => describeCloudTrailFailure(f, "111122223333", "eu-west-1", 8);
  const where = "account 111122223333 in eu-west-1";
  test.each([
    [
      failure("throttle", "ThrottlingException", 400),
      `CloudTrail kept throttling LookupEvents in ${where} (ThrottlingException) after 8 attempts; re-run later`,
    ],
    [
      failure("timeout", "TimeoutError"),
      `CloudTrail LookupEvents in ${where} kept failing (TimeoutError) after 8 attempts: AWS's own words; re-run later`,
    ],
    [
      failure("fatal", "InvalidLookupAttributesException", 400),
      `CloudTrail LookupEvents failed in ${where}: InvalidLookupAttributesException: AWS's own words`,
    ],
    [
      failure("fatal", "UnauthorizedOperation", 403),
      `cloudtrail:LookupEvents is denied in ${where}; grant it to the role s3ap uses there to see who made the drift. AWS said: AWS's own words`,
    ],
  ])("%#: %s", (f, message) => {
    expect(said(f).message).toBe(message);
  });

  test("denied is told apart from every other failure", () => {
    const denied = said(failure("fatal", "AccessDeniedException", 403));
    expect(isLookupDenied(denied)).toBe(true);
    expect(isDenied(denied)).toBe(true);
    expect(isLookupDenied(said(failure("throttle", "ThrottlingException")))).toBe(false);
    expect(isLookupDenied(new Error("AccessDenied"))).toBe(false);
  });
});
