// apply against an endpoint that throttles, fails with 500 and drops connections: it converges,
// says how many requests it retried, and a second apply has nothing left to write.
import { expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import {
  CLI_ENV,
  cliArgs,
  divergence,
  endpointState,
  endpointStats,
  reportedRetries,
  useFaultRig,
} from "./fault-kit.js";

const COUNT = 40;
const DELETE_EVERY = 8;

// The server admits 40 requests/s (burst 2) while s3ap is told 200/s, so a good part of the
// requests is throttled; of the admitted ones, 5 % answer 500 and 5 % lose their connection.
const rig = useFaultRig({
  count: COUNT,
  deleteEvery: DELETE_EVERY,
  endpointFlags: [
    "--seed-policy-fraction",
    "0.5",
    "--latency-ms",
    "5",
    "--rate",
    "40",
    "--burst",
    "2",
    "--error-rate",
    "0.05",
    "--drop-rate",
    "0.05",
    "--seed",
    "7",
  ],
});

test("apply converges through throttling, 500s and dropped connections, then plans nothing", async () => {
  const args = cliArgs("apply", rig.endpoint.url, ["--concurrency", "8", "--rate", "200"]);
  const first = await runCli(args, { cwd: rig.repo.root, env: CLI_ENV, timeoutMs: 40_000 });
  expect(first.stderr).not.toMatch(/Error:/);
  expect(first.code, first.stdout).toBe(0);
  expect(divergence(await endpointState(rig.endpoint.url), COUNT, DELETE_EVERY)).toEqual([]);

  const stats = await endpointStats(rig.endpoint.url);
  // The faults really happened, and the report owns up to the retries they caused. (The limiter
  // finds the server's 40/s within a few cuts, so throttles are a modest share of all requests.)
  expect(stats.throttled / stats.total).toBeGreaterThanOrEqual(0.05);
  expect(stats.faults.error).toBeGreaterThan(0);
  expect(stats.faults.drop).toBeGreaterThan(0);
  const retries = reportedRetries(first.stdout);
  expect(retries).toBeGreaterThanOrEqual(stats.faults.error + stats.faults.drop);
  expect(first.stdout).toMatch(/ 0 failed/);

  const writesBefore = writes(stats.requests);
  const second = await runCli(args, { cwd: rig.repo.root, env: CLI_ENV, timeoutMs: 40_000 });
  expect(second.code, second.stdout).toBe(0);
  expect(second.stdout).toMatch(/Apply: 0 applied and verified, 0 failed, 40 in sync/);
  expect(writes((await endpointStats(rig.endpoint.url)).requests)).toBe(writesBefore);
}, 60_000);

function writes(requests: Record<string, number>): number {
  return (requests.PutAccessPointPolicy ?? 0) + (requests.DeleteAccessPointPolicy ?? 0);
}
