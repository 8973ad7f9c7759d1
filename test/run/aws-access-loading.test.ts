// Which SDK clients a run loads: IAM Access Analyzer's and CloudTrail's only when it uses them.
import { afterEach, expect, test, vi } from "vitest";

const loaded = vi.hoisted(() => ({ analyzer: 0, cloudtrail: 0 }));
vi.mock("../../src/aws/access-analyzer.js", async (original) => {
  loaded.analyzer++;
  return await original();
});
vi.mock("../../src/aws/cloudtrail.js", async (original) => {
  loaded.cloudtrail++;
  return await original();
});

import type { AccessPointRef } from "../../src/model.js";
import { type AwsAccessRequest, openAwsAccess } from "../../src/run/aws-access.js";

const ENDPOINT = "http://127.0.0.1:9";

function request(overrides: Partial<AwsAccessRequest>): AwsAccessRequest {
  return {
    options: { endpointUrl: ENDPOINT, concurrency: 1, requestTimeoutMs: 1000 },
    env: {},
    now: () => 0,
    config: null,
    optionName: (option) => `--${option}`,
    command: "plan",
    commit: null,
    accessAnalyzer: false,
    ...overrides,
  };
}

afterEach(() => {
  loaded.analyzer = 0;
  loaded.cloudtrail = 0;
});

test("a run without --access-analyzer or --attribute-drift never loads their SDK clients", async () => {
  const access = openAwsAccess(request({}));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(access.checker).toBeUndefined();
  expect(access.history).toBeUndefined();
  expect(loaded).toEqual({ analyzer: 0, cloudtrail: 0 });
  access.destroy();
});

test("with both, each adapter is loaded once and its calls reach it", async () => {
  const access = openAwsAccess(request({ accessAnalyzer: true, attributeDrift: true }));
  const ap: AccessPointRef = { accountId: "111122223333", region: "us-east-1", name: "ap" };
  // Nothing listens on the endpoint's port, and the SDK resolves no credentials from an empty
  // environment: the calls fail, but only after going through the loaded adapters.
  const check = access.checker?.validatePolicy(ap, "{}");
  const history = access.history?.policyWrites("111122223333", "us-east-1", ["X"], {
    start: 0,
    end: 1,
  });
  // Both handlers are attached before either call settles: the CloudTrail call fails at once
  // (no credentials), while Access Analyzer's may still be waiting on the refused connection.
  await Promise.all([expect(check).rejects.toThrow(), expect(history).rejects.toThrow()]);
  expect(loaded).toEqual({ analyzer: 1, cloudtrail: 1 });
  access.destroy();
});
