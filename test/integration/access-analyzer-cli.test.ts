// `plan --access-analyzer` end to end: the bundled CLI against s3ap's local S3 Control endpoint and
// a stand-in for IAM Access Analyzer's REST API on loopback (AWS_ENDPOINT_URL_ACCESSANALYZER),
// answering with the API reference's documented response shapes.
import { afterAll, beforeAll, expect, test } from "vitest";
import { CLI_ENV, cliArgs, desiredRepo } from "../faults/fault-kit.js";
import { runCli } from "../support/cli.js";
import {
  type FakeAccessAnalyzer,
  startFakeAccessAnalyzer,
} from "../support/fake-access-analyzer.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import type { PolicyRepo } from "../support/policy-repo.js";

let endpoint: LocalEndpointProcess;
let repo: PolicyRepo;
let analyzer: FakeAccessAnalyzer;

beforeAll(async () => {
  endpoint = await startLocalEndpointProcess([
    "--seed-access-points",
    "3",
    "--seed-policy-fraction",
    "1",
    "--seed",
    "3",
  ]);
  repo = desiredRepo(3);
  analyzer = await startFakeAccessAnalyzer();
}, 30_000);

afterAll(async () => {
  repo?.remove();
  await endpoint?.stop();
  await analyzer?.stop();
});

test("plan --access-analyzer puts Access Analyzer's verdicts beside the offline one", async () => {
  const result = await runCli(
    [...cliArgs("plan", endpoint.url, ["--access-analyzer", "--format", "json"])],
    {
      cwd: repo.root,
      env: { ...CLI_ENV, AWS_ENDPOINT_URL_ACCESSANALYZER: analyzer.url },
      timeoutMs: 30_000,
    },
  );
  expect(result.code, result.stderr).toBe(2);
  const plan = JSON.parse(result.stdout);
  const updates = plan.changes.filter((c: { action: string }) => c.action === "update");
  expect(updates.length).toBe(3);
  for (const change of updates) {
    expect(["widens", "mixed"]).toContain(change.access);
    expect(change.accessAnalyzer).toMatchObject({
      findings: [{ findingType: "SUGGESTION", issueCode: "EMPTY_SID_VALUE" }],
      noPublicAccess: { result: "PASS" },
      noNewAccess: { result: "FAIL", reasons: [{ statementIndex: 0 }] },
    });
  }
  const validations = analyzer.seen.filter((s) => s.path === "/policy/validation");
  expect(validations).toHaveLength(3);
  expect(validations[0]?.body).toMatchObject({
    policyType: "RESOURCE_POLICY",
    validatePolicyResourceType: "AWS::S3::AccessPoint",
  });
  expect(analyzer.seen.filter((s) => s.path === "/policy/check-no-public-access")).toHaveLength(3);
  const newAccess = analyzer.seen.filter((s) => s.path === "/policy/check-no-new-access");
  expect(newAccess).toHaveLength(3);
  expect(newAccess[0]?.body.policyType).toBe("RESOURCE_POLICY");
});

test("without --access-analyzer nothing is asked of Access Analyzer", async () => {
  const before = analyzer.seen.length;
  const result = await runCli(cliArgs("plan", endpoint.url), {
    cwd: repo.root,
    env: { ...CLI_ENV, AWS_ENDPOINT_URL_ACCESSANALYZER: analyzer.url },
    timeoutMs: 30_000,
  });
  expect(result.code, result.stderr).toBe(2);
  expect(analyzer.seen.length).toBe(before);
});
