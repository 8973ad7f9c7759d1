// The bundled CLI (dist/local-endpoint.js) as a separate process, as `npm start` runs it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import type { LocalEndpointState, LocalEndpointStats } from "../../src/local-endpoint/server.js";
import {
  LOCAL_ENDPOINT_PATH,
  type LocalEndpointProcess,
  startLocalEndpointProcess,
} from "../support/local-endpoint.js";

const SEED_FILE = join(import.meta.dirname, "..", "fixtures", "local-endpoint", "seed.json");

let running: LocalEndpointProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

test("prints the URL it listens on, serves seeded state, exits 0 on SIGTERM", async () => {
  running = await startLocalEndpointProcess([
    "--seed-access-points",
    "3",
    "--seed-policy-fraction",
    "0",
    "--seed-file",
    SEED_FILE,
    "--seed",
    "5",
  ]);
  expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const state = (await (await fetch(`${running.url}/__local/state`)).json()) as LocalEndpointState;
  expect(
    state.accessPoints
      .map((a) => `${a.region}/${a.name}:${a.policy === null ? "none" : "policy"}`)
      .sort(),
  ).toEqual([
    "eu-west-1/logs-ap:none",
    "us-east-1/ap-00001:none",
    "us-east-1/ap-00002:none",
    "us-east-1/ap-00003:none",
    "us-east-1/reports-ap:policy",
  ]);
  const response = await fetch(`${running.url}/v20180820/accesspoint/reports-ap/policy`, {
    headers: { "x-amz-account-id": "111122223333" },
  });
  expect(await response.text()).toContain("arn:aws:iam::111122223333:role/reports");
  await running.reset();
  const stats = (await (await fetch(`${running.url}/__local/stats`)).json()) as LocalEndpointStats;
  expect(stats).toMatchObject({ total: 0, accessPoints: 5, policies: 1 });
  const code = await running.stop();
  running = undefined;
  expect(code).toBe(0);
});

test("exits 1 with the usage on a bad flag or an invalid seed file", () => {
  const bad = spawnSync(process.execPath, [LOCAL_ENDPOINT_PATH, "--error-rate", "lots"], {
    encoding: "utf8",
  });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain("--error-rate expects a number");
  expect(bad.stderr).toContain("Usage:");
  const outOfRange = spawnSync(process.execPath, [LOCAL_ENDPOINT_PATH, "--drop-rate", "2"], {
    encoding: "utf8",
  });
  expect(outOfRange.status).toBe(1);
  expect(outOfRange.stderr).toContain("dropRate must be between 0 and 1");
  const badSeed = spawnSync(
    process.execPath,
    [LOCAL_ENDPOINT_PATH, "--seed-file", LOCAL_ENDPOINT_PATH],
    { encoding: "utf8" },
  );
  expect(badSeed.status).toBe(1);
  expect(badSeed.stderr).toContain("--seed-file");
});
