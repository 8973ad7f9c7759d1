// With its defaults (no --rate ceiling, --concurrency 16) s3ap sends unpaced until the endpoint
// throttles, then finds the admitted rate by itself: every access point converges, none fails.
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import type { PolicyRepo } from "../support/policy-repo.js";
import {
  CLI_ENV,
  cliArgs,
  desiredRepo,
  divergence,
  endpointState,
  endpointStats,
} from "./fault-kit.js";

const COUNT = 60;

let endpoint: LocalEndpointProcess;
let repo: PolicyRepo;

beforeAll(async () => {
  // 16 requests in flight at 5 ms could carry ~3,000/s; the server admits 50/s (burst 5).
  endpoint = await startLocalEndpointProcess([
    "--seed-access-points",
    String(COUNT),
    "--latency-ms",
    "5",
    "--rate",
    "50",
    "--burst",
    "5",
  ]);
  repo = desiredRepo(COUNT);
});

afterAll(async () => {
  repo?.remove();
  await endpoint?.stop();
});

test("defaults against a throttling endpoint: it is throttled, adapts, and no access point fails", async () => {
  const result = await runCli(cliArgs("apply", endpoint.url), {
    cwd: repo.root,
    env: CLI_ENV,
    timeoutMs: 50_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`Apply: ${COUNT} applied and verified, 0 failed`));
  expect(divergence(await endpointState(endpoint.url), COUNT, 0)).toEqual([]);
  // The server did refuse requests: the default really had no ceiling below the server's rate.
  expect((await endpointStats(endpoint.url)).throttled).toBeGreaterThan(0);
}, 60_000);
