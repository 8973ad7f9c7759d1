// Nothing listens at the endpoint: every access point gets a clear error, exit 1, nothing is
// written, and the run ends quickly instead of retrying for minutes.
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import { freePort } from "../support/free-port.js";
import type { PolicyRepo } from "../support/policy-repo.js";
import { CLI_ENV, cliArgs, desiredRepo, generatedName } from "./fault-kit.js";

const COUNT = 30;
let repo: PolicyRepo;

beforeAll(() => {
  repo = desiredRepo(COUNT);
});

afterAll(() => {
  repo?.remove();
});

test("apply against a down endpoint: one clear error per access point, exit 1, bounded time", async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const started = Date.now();
  const result = await runCli(cliArgs("apply", url, ["--format", "json"]), {
    cwd: repo.root,
    env: CLI_ENV,
    timeoutMs: 60_000,
  });
  const elapsedMs = Date.now() - started;
  expect(result.code).toBe(1);
  expect(elapsedMs).toBeLessThan(30_000);
  const report = JSON.parse(result.stdout) as {
    summary: Record<string, number>;
    changes: { name: string; action: string; reason: string }[];
  };
  expect(report.summary).toEqual({
    create: 0,
    update: 0,
    delete: 0,
    noop: 0,
    error: COUNT,
    unmanaged: 0,
  });
  expect(report.changes.map((c) => c.name)).toEqual(
    Array.from({ length: COUNT }, (_, i) => generatedName(i)),
  );
  for (const change of report.changes) {
    expect(change.reason).toContain(`could not reach ${url}`);
    expect(change.reason).toContain(`accesspoint/${change.name} `);
    expect(change.reason).toMatch(/check --endpoint-url/);
  }
});
