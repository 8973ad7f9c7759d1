// With its defaults (no --rate ceiling, --concurrency 32) s3ap starts slowly, unpaced, until the endpoint
// throttles, then finds the admitted rate by itself: every access point converges, none fails.
import { expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import {
  CLI_ENV,
  cliArgs,
  divergence,
  endpointState,
  endpointStats,
  useFaultRig,
} from "./fault-kit.js";

const COUNT = 60;

// 32 requests in flight at 5 ms could carry ~6,000/s; the server admits 50/s (burst 5).
const rig = useFaultRig({
  count: COUNT,
  endpointFlags: ["--latency-ms", "5", "--rate", "50", "--burst", "5"],
});

test("defaults against a throttling endpoint: it is throttled, adapts, and no access point fails", async () => {
  const result = await runCli(cliArgs("apply", rig.endpoint.url), {
    cwd: rig.repo.root,
    env: CLI_ENV,
    timeoutMs: 50_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`Apply: ${COUNT} applied and verified, 0 failed`));
  expect(divergence(await endpointState(rig.endpoint.url), COUNT, 0)).toEqual([]);
  // The server did refuse requests: the default really had no ceiling below the server's rate.
  expect((await endpointStats(rig.endpoint.url)).throttled).toBeGreaterThan(0);
}, 60_000);
