// The first hour of a new user, run as they would run it: the real CLI against s3ap's local
// S3 Control endpoint on loopback.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runBundledAction } from "../action/bundled-action.js";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

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

/** stderr without the notes (the Node.js support line on an old Node.js). */
const errors = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("s3ap: note:"))
    .join("\n");

/** Files s3ap may have left next to the target (temporary plan files). */
const leftovers = (folder: string) => readdirSync(folder).filter((f) => f.includes("s3ap-tmp"));

describe("--out", () => {
  test("into a folder that does not exist: one error naming the path given, nothing written", async () => {
    const result = await s3ap(["plan", "--out", "plans/today.json"]);
    expect(result.code).toBe(1);
    expect(errors(result.stderr)).toBe(
      "s3ap: --out plans/today.json: the folder plans does not exist; create it first",
    );
    expect(leftovers(repo.root)).toEqual([]);
  });

  test("onto a directory: one error naming the path given, nothing left behind", async () => {
    mkdirSync(join(repo.root, "out"), { recursive: true });
    const result = await s3ap(["plan", "--out", "out"]);
    expect(result.code).toBe(1);
    expect(errors(result.stderr)).toBe("s3ap: --out out is a directory; name a file in it instead");
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

describe("selecting nothing is an error (exit 1), never a green run", () => {
  test("--only that matches no access point says so", async () => {
    const result = await s3ap(["plan", "--only", "reprts-*"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "s3ap: --only reprts-* matches none of the 1 access point the policy files declare",
    );
    expect(result.stdout).toBe("");
  });

  test("a policies directory with no policy files says so, for plan and validate", async () => {
    mkdirSync(join(repo.root, "empty"), { recursive: true });
    for (const command of ["plan", "validate"]) {
      const result = await runCli([command, "--dir", "empty"], {
        cwd: repo.root,
        env: TEST_AWS_ENV,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("s3ap: the policies directory empty has no policy files");
    }
  });

  test("a missing directory says so, for plan and validate", async () => {
    for (const command of ["plan", "validate"]) {
      const result = await runCli([command, "--dir", "polices"], {
        cwd: repo.root,
        env: TEST_AWS_ENV,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("--dir polices: no such directory");
    }
  });

  test("the action fails the step on an `only` input that matches nothing, naming its input", async () => {
    const run = await runBundledAction({
      inputs: { command: "plan", only: "reprts-*", "endpoint-url": endpoint.url },
      workspace: repo.root,
      env: TEST_AWS_ENV,
    });
    expect(run.code).toBe(1);
    expect(run.outputs["failure-reason"]).toContain("input only reprts-* matches none");
    expect(run.stdout).not.toContain("--only");
  });
});

describe("no AWS credentials at all", () => {
  // Nothing the SDK chain could find: no AWS_* variables, an empty home, no instance metadata.
  const bareEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith("AWS_")) env[key] = value;
    }
    return { ...env, HOME: repo.root, AWS_EC2_METADATA_DISABLED: "true", AWS_REGION: "us-east-1" };
  };

  test("a loopback endpoint is signed for with placeholders, and --verbose says so", async () => {
    const quiet = await s3ap(["plan"], bareEnv());
    expect(quiet.stdout).toContain("1 to delete");
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).not.toContain("placeholder");

    const verbose = await s3ap(["plan", "--verbose"], bareEnv());
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toContain(
      `s3ap: note: no AWS credentials are configured; requests to the loopback endpoint ${endpoint.url} are signed with placeholder credentials`,
    );
  });

  test("any other endpoint still needs real credentials", async () => {
    const result = await runCli(["plan", "--endpoint-url", "http://s3-control.example.invalid:9"], {
      cwd: repo.root,
      env: bareEnv(),
    });
    expect(result.code).toBe(1);
    // One error for the run, before any request: not one per access point.
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("s3ap: no AWS credentials: the SDK's default chain");
  });
});

describe("reports say where the files came from", () => {
  const apFile = policyYaml({ accountId: ACCOUNT, name: "ap-00001", policy: "null" });

  test("uncommitted changes: text, Markdown and JSON say so", async () => {
    const dirty = createPolicyRepo({ "policies/ap-00001.yaml": apFile });
    const sha = dirty.commit();
    dirty.write("policies/ap-00002.yaml", policyYaml({ accountId: ACCOUNT, name: "ap-00002" }));
    try {
      const text = await s3ap(["plan"], TEST_AWS_ENV, dirty.root);
      expect(text.stdout).toContain(
        `s3ap plan — commit ${sha.slice(0, 12)} with uncommitted changes`,
      );
      const markdown = await s3ap(["plan", "--format", "markdown"], TEST_AWS_ENV, dirty.root);
      expect(markdown.stdout).toContain(
        `Source: commit <code>${sha.slice(0, 12)}</code> with uncommitted changes`,
      );
      const json = await s3ap(["plan", "--format", "json"], TEST_AWS_ENV, dirty.root);
      expect(JSON.parse(json.stdout)).toMatchObject({ commit: sha, dirty: true });
      const clean = await s3ap(["plan", "--format", "json"]);
      expect(JSON.parse(clean.stdout)).toMatchObject({ dirty: false });
    } finally {
      dirty.remove();
    }
  });

  test("outside a git repository: said so, dirty, and apply needs --allow-dirty", async () => {
    const plain = mkdtempSync(join(tmpdir(), "s3ap-plain-"));
    mkdirSync(join(plain, "policies"));
    writeFileSync(join(plain, "policies", "ap-00001.yaml"), apFile);
    try {
      const text = await s3ap(["plan"], TEST_AWS_ENV, plain);
      expect(text.stdout).toContain("s3ap plan — no commit: not a git repository");
      const json = await s3ap(["plan", "--format", "json"], TEST_AWS_ENV, plain);
      expect(JSON.parse(json.stdout)).toMatchObject({
        commit: null,
        dirty: true,
        noCommit: "not a git repository",
      });
      const apply = await s3ap(["apply"], TEST_AWS_ENV, plain);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toContain("not in a git repository");
      expect(apply.stderr).toContain("--allow-dirty");
      const allowed = await s3ap(["apply", "--allow-dirty"], TEST_AWS_ENV, plain);
      expect(allowed.code).toBe(0);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  test("a repository with no commit yet: said so, dirty, and apply needs --allow-dirty", async () => {
    const fresh = createPolicyRepo({ "policies/ap-00001.yaml": apFile });
    try {
      const text = await s3ap(["plan"], TEST_AWS_ENV, fresh.root);
      expect(text.stdout).toContain("s3ap plan — no commit yet");
      const json = await s3ap(["plan", "--format", "json"], TEST_AWS_ENV, fresh.root);
      expect(JSON.parse(json.stdout)).toMatchObject({
        commit: null,
        dirty: true,
        noCommit: "no commit yet",
      });
      const apply = await s3ap(["apply"], TEST_AWS_ENV, fresh.root);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toContain("the repository has no commit yet");
    } finally {
      fresh.remove();
    }
  });
});

describe("words and formats a new user meets", () => {
  test("plan --format json with an invalid file prints the problems as JSON (exit 1)", async () => {
    const broken = createPolicyRepo({
      "policies/bad.yaml":
        "accountId: 111122223333\nregion: us-east-1\nname: ap-00001\npolicy: null\n",
    });
    const sha = broken.commit();
    try {
      const result = await s3ap(["plan", "--format", "json"], TEST_AWS_ENV, broken.root);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ formatVersion: 1, commit: sha, dirty: false, files: 1 });
      expect(report.problems[0]).toMatchObject({
        file: "policies/bad.yaml",
        line: 1,
        rule: "account-id",
      });
    } finally {
      broken.remove();
    }
  });

  test('one access point in sync is "1 access point is in sync"', async () => {
    const single = createPolicyRepo({
      "policies/ap-00002.yaml": policyYaml({
        accountId: ACCOUNT,
        name: "ap-00002",
        policy: "null",
      }),
    });
    single.commit();
    try {
      await s3ap(["apply"], TEST_AWS_ENV, single.root);
      const result = await s3ap(["plan", "--no-discover"], TEST_AWS_ENV, single.root);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("No changes. 1 access point is in sync.");
      const markdown = await s3ap(
        ["plan", "--no-discover", "--format", "markdown"],
        TEST_AWS_ENV,
        single.root,
      );
      expect(markdown.stdout).toContain("No changes: 1 access point in sync.");
    } finally {
      single.remove();
    }
  });

  test("Node.js policy: one line of s3ap's own on an old Node.js, never the SDK's block", async () => {
    const result = await s3ap(["plan"]);
    expect(result.stderr).not.toContain("NodeVersionSupportWarning");
    const notes = result.stderr.split("\n").filter((line) => line.includes("end-of-life"));
    const major = Number(process.versions.node.split(".")[0]);
    expect(notes).toEqual(
      major < 22
        ? [
            `s3ap: note: Node.js ${process.version} is end-of-life; s3ap supports it until January 2027, when the AWS SDK drops it: use Node.js 22 or 24`,
          ]
        : [],
    );
  });
});
