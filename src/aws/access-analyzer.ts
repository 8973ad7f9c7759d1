// IAM Access Analyzer policy checks over the real API: one client per region, one rate limiter
// per (account, region), retries with backoff and full jitter, as for S3 Control calls.
import {
  AccessAnalyzerClient,
  CheckNoNewAccessCommand,
  CheckNoPublicAccessCommand,
  type ReasonSummary,
  ValidatePolicyCommand,
  type ValidatePolicyFinding,
} from "@aws-sdk/client-accessanalyzer";
import { accessPointArn } from "../access-point/arn.js";
import { kindOf, MULTI_REGION_CONTROL_REGION } from "../access-point/kind.js";
import { type AwsError, cliFlag, type OptionName } from "../errors.js";
import type { AccessPointRef } from "../model.js";
import type {
  AnalyzerCheck,
  AnalyzerFinding,
  AnalyzerFindingType,
  AnalyzerOperation,
  AnalyzerPathElement,
  Destroyable,
  PolicyChecker,
} from "../reconcile/ports.js";
import { type AccountClientOptions, accountClients } from "./account-clients.js";
import { describeCallFailure } from "./call-failure.js";
import type { Failure } from "./failure.js";
import { collectPages, createLimitedCalls, type LimitedCallOptions } from "./limited-attempt.js";

/**
 * The rate (shared by the three operations), retries and roles work as for S3 Control.
 * AWS_ENDPOINT_URL_ACCESSANALYZER is honoured by the SDK itself; `endpointUrl` overrides it.
 */
export interface AccessAnalyzerOptions
  extends LimitedCallOptions,
    AccountClientOptions<AccessAnalyzerClient> {}

const FINDING_TYPES = new Set<string>(["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"]);

function pathElement(element: unknown): AnalyzerPathElement | null {
  if (typeof element !== "object" || element === null) return null;
  const e = element as Record<string, unknown>;
  if (typeof e.index === "number") return { index: e.index };
  if (typeof e.key === "string") return { key: e.key };
  if (typeof e.value === "string") return { value: e.value };
  const sub = e.substring as Record<string, unknown> | undefined;
  if (typeof sub?.start === "number" && typeof sub.length === "number") {
    return { substring: { start: sub.start, length: sub.length } };
  }
  return null;
}

function resultOf(value: unknown): "PASS" | "FAIL" {
  // NOTE: the API documents only PASS and FAIL; anything else is not a pass.
  return value === "PASS" ? "PASS" : "FAIL";
}

export function createAccessAnalyzerChecker(
  options: AccessAnalyzerOptions,
): Destroyable<PolicyChecker> {
  const clients = accountClients((settings) => new AccessAnalyzerClient(settings), options);
  const limited = createLimitedCalls(options);

  function call<T>(
    operation: AnalyzerOperation,
    ap: AccessPointRef,
    send: (client: AccessAnalyzerClient) => Promise<T>,
  ): Promise<T> {
    const target = accessPointArn(ap);
    // A Multi-Region Access Point has no Region: ask Access Analyzer where its control calls go.
    const region = kindOf(ap) === "multi-region" ? MULTI_REGION_CONTROL_REGION : ap.region;
    return limited.call(
      { accountId: ap.accountId, region, operation, target },
      (credentials) => clients.clientFor(region, ap.accountId, credentials),
      send,
      (failure, attempts) =>
        describeAnalyzerFailure(failure, operation, target, attempts, options.optionName),
    );
  }

  const resourceType = (ap: AccessPointRef) => CHECK_RESOURCE_TYPE[kindOf(ap)];

  return {
    validatePolicy(ap, policyJson) {
      return collectPages(
        async (token) => {
          const output = await call("ValidatePolicy", ap, (client) =>
            client.send(
              new ValidatePolicyCommand({
                policyDocument: policyJson,
                policyType: "RESOURCE_POLICY",
                // NOTE: ValidatePolicy has no Outposts nor directory-bucket access point type;
                // without one it runs the checks that apply to every resource policy (API
                // reference), which is what their policies (s3-outposts:, s3express: actions)
                // should get rather than the S3 ones.
                ...validateResourceType(ap),
                ...(token !== undefined ? { nextToken: token } : {}),
              }),
            ),
          );
          return { items: (output.findings ?? []).map(findingOf), nextToken: output.nextToken };
        },
        `ValidatePolicy for ${accessPointArn(ap)}`,
        "nextToken",
      );
    },

    async checkNoPublicAccess(ap, policyJson) {
      const output = await call("CheckNoPublicAccess", ap, (client) =>
        client.send(
          new CheckNoPublicAccessCommand({
            policyDocument: policyJson,
            resourceType: resourceType(ap),
          }),
        ),
      );
      return checkOf(output);
    },

    async checkNoNewAccess(ap, existingPolicyJson, newPolicyJson) {
      const output = await call("CheckNoNewAccess", ap, (client) =>
        client.send(
          new CheckNoNewAccessCommand({
            existingPolicyDocument: existingPolicyJson,
            newPolicyDocument: newPolicyJson,
            policyType: "RESOURCE_POLICY",
          }),
        ),
      );
      return checkOf(output);
    },

    destroy() {
      clients.destroy();
      limited.clear();
    },
  };
}

// NOTE: CheckNoPublicAccess has no Multi-Region Access Point type; AWS::S3::AccessPoint is the
// closest: the same Block Public Access meaning of "public" applies to both.
const CHECK_RESOURCE_TYPE = {
  general: "AWS::S3::AccessPoint",
  outposts: "AWS::S3Outposts::AccessPoint",
  directory: "AWS::S3Express::AccessPoint",
  "multi-region": "AWS::S3::AccessPoint",
} as const;

function validateResourceType(ap: AccessPointRef) {
  switch (kindOf(ap)) {
    case "general":
      return { validatePolicyResourceType: "AWS::S3::AccessPoint" as const };
    case "multi-region":
      return { validatePolicyResourceType: "AWS::S3::MultiRegionAccessPoint" as const };
    case "outposts":
    case "directory":
      return {};
  }
}

function findingOf(finding: ValidatePolicyFinding): AnalyzerFinding {
  const location = finding.locations?.[0];
  const path = (location?.path ?? [])
    .map(pathElement)
    .filter((e): e is AnalyzerPathElement => e !== null);
  const start = location?.span?.start;
  const end = location?.span?.end;
  return {
    findingType: FINDING_TYPES.has(String(finding.findingType))
      ? (finding.findingType as AnalyzerFindingType)
      : "ERROR",
    issueCode: finding.issueCode ?? "UNKNOWN",
    details: finding.findingDetails ?? "",
    learnMoreLink: finding.learnMoreLink ?? "",
    path,
    ...(start?.line !== undefined && end?.line !== undefined
      ? {
          span: {
            start: { line: start.line, column: start.column ?? 0 },
            end: { line: end.line, column: end.column ?? 0 },
          },
        }
      : {}),
  };
}

function checkOf(output: {
  result?: string | undefined;
  message?: string | undefined;
  reasons?: ReasonSummary[] | undefined;
}): AnalyzerCheck {
  return {
    result: resultOf(output.result),
    message: output.message ?? "",
    reasons: (output.reasons ?? []).map((r) => ({
      description: r.description ?? "",
      ...(r.statementIndex !== undefined ? { statementIndex: r.statementIndex } : {}),
      ...(r.statementId !== undefined ? { statementId: r.statementId } : {}),
    })),
  };
}

/** A failed Access Analyzer call as an AwsError whose message says what to do. */
export function describeAnalyzerFailure(
  failure: Failure,
  operation: AnalyzerOperation,
  target: string,
  attempts: number,
  name: OptionName = cliFlag,
): AwsError {
  const analyzer = name("accessAnalyzer");
  return describeCallFailure(failure, {
    service: "IAM Access Analyzer",
    operation,
    about: `for ${target}`,
    attempts,
    denied: (awsSaid) =>
      `access denied: ${analyzer} needs access-analyzer:${operation} for the identity ` +
      `s3ap runs as (checking ${target}); grant it or drop ${analyzer}. AWS said: ${awsSaid}`,
    throttled: `lower ${name("rate")} or ${name("concurrency")} and re-run`,
  });
}
