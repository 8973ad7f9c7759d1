// The IAM Access Analyzer adapter with the SDK mocked at `send`. Responses follow the shapes of
// the API reference (ValidatePolicy, CheckNoPublicAccess, CheckNoNewAccess).
import {
  AccessAnalyzerClient,
  AccessDeniedException,
  CheckNoNewAccessCommand,
  CheckNoPublicAccessCommand,
  type PathElement,
  ThrottlingException,
  ValidatePolicyCommand,
  type ValidatePolicyFinding,
} from "@aws-sdk/client-accessanalyzer";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createAccessAnalyzerChecker } from "../../src/aws/access-analyzer.js";
import type { StoreEvent } from "../../src/aws/store-events.js";
import { AwsError } from "../../src/errors.js";
import type { AccessPointRef } from "../../src/model.js";
import { ACTION_NAMES, CLI_NAMES } from "../../src/run/option-names.js";

const analyzer = mockClient(AccessAnalyzerClient);
const AP: AccessPointRef = { accountId: "111122223333", region: "eu-west-1", name: "reports-ap" };
const OUTPOST_AP: AccessPointRef = { ...AP, outpostId: "op-01234567890123456" };
const POLICY = '{"Version":"2012-10-17","Statement":[]}';

let events: StoreEvent[];
let slept: number[];
let checker: ReturnType<typeof createAccessAnalyzerChecker>;

beforeEach(() => {
  analyzer.reset();
  events = [];
  slept = [];
  checker = createAccessAnalyzerChecker({
    ratePerSecond: 1000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    onEvent: (event) => events.push(event),
    clientFactory: (region) => new AccessAnalyzerClient({ region }),
  });
});

afterEach(() => checker.destroy());

const finding = (
  type: "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION",
  code: string,
  path: PathElement[],
): ValidatePolicyFinding => ({
  findingDetails: `details of ${code}`,
  findingType: type,
  issueCode: code,
  learnMoreLink: `https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#${code}`,
  locations: [
    {
      path,
      span: {
        start: { line: 5, column: 16, offset: 102 },
        end: { line: 5, column: 33, offset: 119 },
      },
    },
  ],
});

test("ValidatePolicy asks for an access point resource policy and reads every page", async () => {
  analyzer
    .on(ValidatePolicyCommand, { nextToken: undefined })
    .resolves({
      findings: [
        finding("ERROR", "INVALID_ACTION", [
          { value: "Statement" },
          { index: 0 },
          { value: "Action" },
          { index: 1 },
        ]),
      ],
      nextToken: "page-2",
    })
    .on(ValidatePolicyCommand, { nextToken: "page-2" })
    .resolves({
      findings: [finding("SUGGESTION", "EMPTY_ARRAY_ACTION", [{ value: "Statement" }])],
    });

  const findings = await checker.validatePolicy(AP, POLICY);

  const calls = analyzer.commandCalls(ValidatePolicyCommand);
  expect(calls).toHaveLength(2);
  expect(calls[0]?.args[0].input).toEqual({
    policyDocument: POLICY,
    policyType: "RESOURCE_POLICY",
    validatePolicyResourceType: "AWS::S3::AccessPoint",
  });
  expect(findings.map((f) => [f.findingType, f.issueCode])).toEqual([
    ["ERROR", "INVALID_ACTION"],
    ["SUGGESTION", "EMPTY_ARRAY_ACTION"],
  ]);
  expect(findings[0]).toMatchObject({
    details: "details of INVALID_ACTION",
    path: [{ value: "Statement" }, { index: 0 }, { value: "Action" }, { index: 1 }],
    span: { start: { line: 5, column: 16 }, end: { line: 5, column: 33 } },
  });
});

test("an Outposts policy is validated as a resource policy of no S3 type (AWS has none for it)", async () => {
  analyzer.on(ValidatePolicyCommand).resolves({ findings: [] });
  await checker.validatePolicy(OUTPOST_AP, POLICY);
  expect(analyzer.commandCalls(ValidatePolicyCommand)[0]?.args[0].input).toEqual({
    policyDocument: POLICY,
    policyType: "RESOURCE_POLICY",
  });
});

test("a ValidatePolicy page token seen twice is an error, not an endless loop", async () => {
  analyzer.on(ValidatePolicyCommand).resolves({ findings: [], nextToken: "again" });
  await expect(checker.validatePolicy(AP, POLICY)).rejects.toThrow(/same nextToken twice/);
});

test("CheckNoPublicAccess names the access point's resource type, Outposts included", async () => {
  analyzer.on(CheckNoPublicAccessCommand).resolves({
    result: "FAIL",
    message: "The resource policy grants public access for the given resource type.",
    reasons: [
      {
        description: "Public access granted in the following statement with index: 0.",
        statementIndex: 0,
      },
    ],
  });
  const general = await checker.checkNoPublicAccess(AP, POLICY);
  await checker.checkNoPublicAccess(OUTPOST_AP, POLICY);
  expect(general).toEqual({
    result: "FAIL",
    message: "The resource policy grants public access for the given resource type.",
    reasons: [
      {
        description: "Public access granted in the following statement with index: 0.",
        statementIndex: 0,
      },
    ],
  });
  expect(
    analyzer.commandCalls(CheckNoPublicAccessCommand).map((c) => c.args[0].input.resourceType),
  ).toEqual(["AWS::S3::AccessPoint", "AWS::S3Outposts::AccessPoint"]);
});

test("CheckNoNewAccess compares the desired policy with the live one as resource policies", async () => {
  analyzer.on(CheckNoNewAccessCommand).resolves({
    result: "PASS",
    message: "The modified permissions do not grant new access compared to your reference policy.",
    reasons: [],
  });
  const live = '{"Version":"2012-10-17","Statement":[{"Sid":"Old"}]}';
  const check = await checker.checkNoNewAccess(AP, live, POLICY);
  expect(check.result).toBe("PASS");
  expect(analyzer.commandCalls(CheckNoNewAccessCommand)[0]?.args[0].input).toEqual({
    existingPolicyDocument: live,
    newPolicyDocument: POLICY,
    policyType: "RESOURCE_POLICY",
  });
});

test("throttling is retried with backoff and reported as a retry event", async () => {
  const throttle = new ThrottlingException({
    message: "Rate exceeded",
    $metadata: { httpStatusCode: 429 },
  });
  analyzer
    .on(CheckNoPublicAccessCommand)
    .rejectsOnce(throttle)
    .rejectsOnce(throttle)
    .resolves({ result: "PASS", message: "ok", reasons: [] });
  expect((await checker.checkNoPublicAccess(AP, POLICY)).result).toBe("PASS");
  expect(analyzer.commandCalls(CheckNoPublicAccessCommand)).toHaveLength(3);
  expect(slept.length).toBeGreaterThanOrEqual(2);
  expect(events.filter((e) => e.type === "retry")).toMatchObject([
    { operation: "CheckNoPublicAccess", code: "ThrottlingException", attempt: 1 },
    { operation: "CheckNoPublicAccess", code: "ThrottlingException", attempt: 2 },
  ]);
});

test("access denied is not retried and says which permission is missing", async () => {
  analyzer.on(ValidatePolicyCommand).rejects(
    new AccessDeniedException({
      message: "User is not authorized to perform: access-analyzer:ValidatePolicy",
      $metadata: { httpStatusCode: 403 },
    }),
  );
  const error = await checker.validatePolicy(AP, POLICY).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsError);
  expect((error as AwsError).code).toBe("AccessDeniedException");
  expect((error as AwsError).message).toMatch(
    /needs access-analyzer:ValidatePolicy .*arn:aws:s3:eu-west-1:111122223333:accesspoint\/reports-ap/,
  );
  expect(analyzer.commandCalls(ValidatePolicyCommand)).toHaveLength(1);
});

test.each([
  ["the CLI", CLI_NAMES, "--access-analyzer", "--rate or --concurrency"],
  ["the Action", ACTION_NAMES, "input access-analyzer", "input rate or input concurrency"],
])("its messages name options as %s does", async (_, names, analyzerOption, rateOptions) => {
  const named = createAccessAnalyzerChecker({
    maxAttempts: 2,
    sleep: async () => {},
    optionName: names.name,
    clientFactory: (region) => new AccessAnalyzerClient({ region }),
  });
  try {
    analyzer
      .on(ValidatePolicyCommand)
      .rejects(
        new AccessDeniedException({ message: "denied", $metadata: { httpStatusCode: 403 } }),
      );
    const denied = await named.validatePolicy(AP, POLICY).catch((e: unknown) => e);
    expect((denied as AwsError).message).toMatch(
      `access denied: ${analyzerOption} needs access-analyzer:ValidatePolicy for the identity`,
    );
    expect((denied as AwsError).message).toContain(`grant it or drop ${analyzerOption}.`);
    analyzer
      .on(CheckNoPublicAccessCommand)
      .rejects(
        new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }),
      );
    const throttled = await named.checkNoPublicAccess(AP, POLICY).catch((e: unknown) => e);
    expect((throttled as AwsError).message).toContain(
      `after 2 attempts; lower ${rateOptions} and re-run`,
    );
  } finally {
    named.destroy();
  }
});

test("a result other than PASS is never read as a pass", async () => {
  analyzer.on(CheckNoNewAccessCommand).resolves({ result: "UNKNOWN" as never, message: "?" });
  expect((await checker.checkNoNewAccess(AP, POLICY, POLICY)).result).toBe("FAIL");
});

test("directory-bucket and Multi-Region access points are checked as their own resource types", async () => {
  const directory: AccessPointRef = { ...AP, name: "reports--euw1-az1--xa-s3" };
  const global: AccessPointRef = {
    accountId: AP.accountId,
    region: "multi-region",
    name: "global",
    alias: "abc9.mrap",
  };
  const regions: string[] = [];
  const recording = createAccessAnalyzerChecker({
    ratePerSecond: 1000,
    clientFactory: (region) => {
      regions.push(region);
      return new AccessAnalyzerClient({ region });
    },
  });
  analyzer.on(ValidatePolicyCommand).resolves({ findings: [] });
  analyzer.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "", reasons: [] });
  try {
    await recording.validatePolicy(directory, POLICY);
    await recording.validatePolicy(global, POLICY);
    await recording.checkNoPublicAccess(directory, POLICY);
    await recording.checkNoPublicAccess(global, POLICY);
  } finally {
    recording.destroy();
  }
  const validated = analyzer.commandCalls(ValidatePolicyCommand).map((c) => c.args[0].input);
  expect(validated.map((input) => input.validatePolicyResourceType)).toEqual([
    undefined,
    "AWS::S3::MultiRegionAccessPoint",
  ]);
  const checked = analyzer.commandCalls(CheckNoPublicAccessCommand).map((c) => c.args[0].input);
  expect(checked.map((input) => input.resourceType)).toEqual([
    "AWS::S3Express::AccessPoint",
    "AWS::S3::AccessPoint",
  ]);
  expect([...new Set(regions)].sort()).toEqual(["eu-west-1", "us-west-2"]);
});
