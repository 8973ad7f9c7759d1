// `plan --access-analyzer` end to end: the bundled CLI against s3ap's local S3 Control endpoint and
// a stand-in for IAM Access Analyzer's REST API on loopback (AWS_ENDPOINT_URL_ACCESSANALYZER),
// answering with the API reference's documented response shapes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CLI_ENV, cliArgs, desiredRepo } from "../faults/fault-kit.js";
import { runCli } from "../support/cli.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import type { PolicyRepo } from "../support/policy-repo.js";

interface Seen {
  path: string;
  body: Record<string, unknown>;
}

let endpoint: LocalEndpointProcess;
let repo: PolicyRepo;
let analyzer: Server;
let analyzerUrl: string;
const seen: Seen[] = [];

function answer(path: string, body: Record<string, unknown>): unknown {
  switch (path) {
    case "/policy/validation":
      return {
        findings: [
          {
            findingDetails: "Add a value to the empty string in the Sid element.",
            findingType: "SUGGESTION",
            issueCode: "EMPTY_SID_VALUE",
            learnMoreLink:
              "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
            locations: [
              {
                path: [{ value: "Statement" }, { index: 0 }, { value: "Sid" }],
                span: {
                  start: { line: 1, column: 40, offset: 40 },
                  end: { line: 1, column: 42, offset: 42 },
                },
              },
            ],
          },
        ],
      };
    case "/policy/check-no-public-access":
      return {
        result: "PASS",
        message: "The resource policy does not grant public access.",
        reasons: [],
      };
    case "/policy/check-no-new-access":
      return {
        result: body.existingPolicyDocument === body.newPolicyDocument ? "PASS" : "FAIL",
        message: "The modified permissions grant new access compared to your reference policy.",
        reasons: [{ description: "New access in the statement with index: 0.", statementIndex: 0 }],
      };
    default:
      return undefined;
  }
}

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
  analyzer = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => {
      const body = JSON.parse(text || "{}") as Record<string, unknown>;
      const path = (request.url ?? "").split("?")[0] ?? "";
      seen.push({ path, body });
      const reply = answer(path, body);
      response.writeHead(reply === undefined ? 404 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify(reply ?? { message: "no such route" }));
    });
  });
  await new Promise<void>((resolve) => analyzer.listen(0, "127.0.0.1", resolve));
  analyzerUrl = `http://127.0.0.1:${(analyzer.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  repo?.remove();
  await endpoint?.stop();
  await new Promise((resolve) => analyzer?.close(resolve));
});

test("plan --access-analyzer puts Access Analyzer's verdicts beside the offline one", async () => {
  const result = await runCli(
    [...cliArgs("plan", endpoint.url, ["--access-analyzer", "--format", "json"])],
    {
      cwd: repo.root,
      env: { ...CLI_ENV, AWS_ENDPOINT_URL_ACCESSANALYZER: analyzerUrl },
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
  const validations = seen.filter((s) => s.path === "/policy/validation");
  expect(validations).toHaveLength(3);
  expect(validations[0]?.body).toMatchObject({
    policyType: "RESOURCE_POLICY",
    validatePolicyResourceType: "AWS::S3::AccessPoint",
  });
  expect(seen.filter((s) => s.path === "/policy/check-no-public-access")).toHaveLength(3);
  const newAccess = seen.filter((s) => s.path === "/policy/check-no-new-access");
  expect(newAccess).toHaveLength(3);
  expect(newAccess[0]?.body.policyType).toBe("RESOURCE_POLICY");
});

test("without --access-analyzer nothing is asked of Access Analyzer", async () => {
  const before = seen.length;
  const result = await runCli(cliArgs("plan", endpoint.url), {
    cwd: repo.root,
    env: { ...CLI_ENV, AWS_ENDPOINT_URL_ACCESSANALYZER: analyzerUrl },
    timeoutMs: 30_000,
  });
  expect(result.code, result.stderr).toBe(2);
  expect(seen.length).toBe(before);
});
