// A request that never gets an answer is cut by --request-timeout-ms and retried; the run ends.
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

const COUNT = 30;

const rig = useFaultRig({
  count: COUNT,
  endpointFlags: ["--latency-ms", "5", "--slow-rate", "0.1", "--slow-ms", "hang", "--seed", "3"],
});

test("hung requests time out, are retried, and apply still converges", async () => {
  const started = Date.now();
  const result = await runCli(
    cliArgs("apply", rig.endpoint.url, [
      "--concurrency",
      "8",
      "--rate",
      "200",
      "--request-timeout-ms",
      "400",
    ]),
    { cwd: rig.repo.root, env: CLI_ENV, timeoutMs: 30_000 },
  );
  const elapsedMs = Date.now() - started;
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(divergence(await endpointState(rig.endpoint.url), COUNT)).toEqual([]);
  const stats = await endpointStats(rig.endpoint.url);
  expect(stats.faults.slow).toBeGreaterThan(0);
  expect(reportedRetries(result.stdout)).toBeGreaterThanOrEqual(stats.faults.slow);
  // Far below the 10 s default timeout per hung request: the flag is what cut them.
  expect(elapsedMs).toBeLessThan(stats.faults.slow * 10_000);
}, 40_000);

test("--request-timeout-ms is documented in the help", async () => {
  const help = await runCli(["apply", "--help"], { env: CLI_ENV });
  expect(help.stdout).toMatch(/--request-timeout-ms <ms>\s+abort and retry a request/);
});
