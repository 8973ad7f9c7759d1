// The first hour of a new user, run as they would run it: the real CLI against s3ap's local
// S3 Control endpoint on loopback.
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

const ACCOUNT = "111122223333";

let endpoint: LocalEndpointProcess;
let repo: PolicyRepo;

beforeAll(async () => {
  endpoint = await startLocalEndpointProcess(["--seed-access-points", "2"]);
  repo = createPolicyRepo({
    // ap-00001 has a policy live: declaring none makes a delete to apply.
    "policies/ap-00001.yaml": policyYaml({ accountId: ACCOUNT, name: "ap-00001", policy: "null" }),
  });
  repo.commit();
});
afterAll(async () => {
  repo?.remove();
  await endpoint?.stop();
});
beforeEach(async () => {
  await endpoint.reset();
});

const s3ap = (args: string[], env: NodeJS.ProcessEnv = TEST_AWS_ENV, cwd = repo.root) =>
  runCli([...args, "--endpoint-url", endpoint.url], { cwd, env });

/** Files s3ap may have left next to the target (temporary plan files). */
const leftovers = (folder: string) => readdirSync(folder).filter((f) => f.includes("s3ap-tmp"));

describe("--out", () => {
  test("into a folder that does not exist: one error naming the path given, nothing written", async () => {
    const result = await s3ap(["plan", "--out", "plans/today.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "s3ap: --out plans/today.json: the folder plans does not exist; create it first",
    );
    expect(leftovers(repo.root)).toEqual([]);
  });

  test("onto a directory: one error naming the path given, nothing left behind", async () => {
    mkdirSync(join(repo.root, "out"), { recursive: true });
    const result = await s3ap(["plan", "--out", "out"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("s3ap: --out out is a directory; name a file in it instead");
    expect(leftovers(repo.root)).toEqual([]);
    expect(readdirSync(join(repo.root, "out"))).toEqual([]);
  });

  test("is written for its owner only, with no temporary file left", async () => {
    mkdirSync(join(repo.root, "reports"), { recursive: true });
    const result = await s3ap(["plan", "--out", "reports/plan.json"]);
    expect(result.code).toBe(2);
    const written = join(repo.root, "reports", "plan.json");
    expect(statSync(written).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(written, "utf8")).summary.delete).toBe(1);
    expect(leftovers(join(repo.root, "reports"))).toEqual([]);
  });

  test("apply --out holds the results, as apply --format json does", async () => {
    mkdirSync(join(repo.root, "reports"), { recursive: true });
    const result = await s3ap(["apply", "--format", "json", "--out", "reports/applied.json"]);
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(join(repo.root, "reports", "applied.json"), "utf8"));
    expect(written.results).toHaveLength(1);
    expect(written.results[0]).toMatchObject({ name: "ap-00001", status: "applied" });
    expect(written).toEqual(JSON.parse(result.stdout));
  });
});
