// The real CLI as a subprocess against moto server on loopback: the wire protocol end to end.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  createPolicyRepo,
  type PolicyRepo,
  policyYaml,
  readStatementPolicy,
} from "../support/policy-repo.js";

const NAMES = ["create-ap", "update-ap", "same-ap", "delete-ap"];

let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
  repo = createPolicyRepo({
    "policies/create-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "create-ap" }),
    "policies/update-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "update-ap" }),
    "policies/same-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "same-ap",
      principal: ACCOUNT,
    }),
    "policies/delete-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "delete-ap",
      policy: "null",
    }),
    "observed/observe-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "observe-ap",
      mode: "observe",
    }),
    "partial/present-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "present-ap" }),
    "partial/missing-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "missing-ap" }),
  });
  repo.commit();
});

afterAll(async () => {
  seed?.destroy();
  repo?.remove();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  await seed.accessPoint(ACCOUNT, "create-ap");
  await seed.accessPoint(
    ACCOUNT,
    "update-ap",
    readStatementPolicy(ACCOUNT, "update-ap", `arn:aws:iam::${ACCOUNT}:role/old`),
  );
  // Stored with the root ARN, declared as a bare account id: the same principal, so no drift.
  await seed.accessPoint(
    ACCOUNT,
    "same-ap",
    readStatementPolicy(ACCOUNT, "same-ap", `arn:aws:iam::${ACCOUNT}:root`),
  );
  await seed.accessPoint(ACCOUNT, "delete-ap", readStatementPolicy(ACCOUNT, "delete-ap"));
  await seed.accessPoint(ACCOUNT, "observe-ap");
  await seed.accessPoint(ACCOUNT, "present-ap");
});

const s3ap = (...args: string[]) =>
  runCli([...args, "--endpoint-url", moto.url], { cwd: repo.root, env: TEST_AWS_ENV });

describe("s3ap against moto server", () => {
  test("plan shows the drift (exit 2, exact JSON summary) and writes nothing", async () => {
    const before = await seed.snapshot(ACCOUNT, NAMES);
    const result = await s3ap("plan", "--format", "json");
    // The one allowed line: s3ap's Node.js support note on an old Node.js.
    expect(result.stderr.replace(/^s3ap: note: Node\.js .*\n/m, "")).not.toMatch(/s3ap:|Error/);
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout);
    expect(plan.formatVersion).toBe(1);
    expect(plan.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(plan.summary).toEqual({
      create: 1,
      update: 1,
      delete: 1,
      noop: 1,
      error: 0,
      unmanaged: 2,
    });
    // Seeded for the other folders' tests: in moto, but no file under policies/ declares them.
    expect(plan.unmanaged).toEqual([
      {
        accountId: ACCOUNT,
        region: "us-east-1",
        name: "observe-ap",
        arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/observe-ap`,
        hasPolicy: false,
      },
      {
        accountId: ACCOUNT,
        region: "us-east-1",
        name: "present-ap",
        arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/present-ap`,
        hasPolicy: false,
      },
    ]);
    const actions = Object.fromEntries(
      plan.changes.map((c: { name: string; action: string }) => [c.name, c.action]),
    );
    expect(actions).toEqual({
      "create-ap": "create",
      "update-ap": "update",
      "same-ap": "noop",
      "delete-ap": "delete",
    });
    expect(plan.changes[0]).toHaveProperty(
      "arn",
      `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/create-ap`,
    );
    expect(await seed.snapshot(ACCOUNT, NAMES)).toEqual(before);
  });

  test("apply --dry-run is plan: exit 2 and every policy untouched", async () => {
    const before = await seed.snapshot(ACCOUNT, NAMES);
    const result = await s3ap("apply", "--dry-run");
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      "Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged, 0 errors, 2 unmanaged.",
    );
    expect(await seed.snapshot(ACCOUNT, NAMES)).toEqual(before);
  });

  test("apply writes and verifies; a separate client reads it back; plan is then clean", async () => {
    const result = await s3ap("apply", "--out", "plan.json");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("3 applied and verified, 0 failed, 1 in sync");
    const created = await seed.policyText(ACCOUNT, "create-ap");
    expect(JSON.parse(created ?? "null")).toEqual(readStatementPolicy(ACCOUNT, "create-ap"));
    expect(JSON.parse((await seed.policyText(ACCOUNT, "update-ap")) ?? "null")).toEqual(
      readStatementPolicy(ACCOUNT, "update-ap"),
    );
    expect(await seed.policyText(ACCOUNT, "delete-ap")).toBeNull();
    const written = JSON.parse(readFileSync(join(repo.root, "plan.json"), "utf8"));
    expect(written.summary).toEqual({
      create: 1,
      update: 1,
      delete: 1,
      noop: 1,
      error: 0,
      unmanaged: 2,
    });

    const again = await s3ap("plan", "--format", "json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      noop: 4,
      error: 0,
      unmanaged: 2,
    });
  });

  test("--max-changes refuses above N, writes nothing, exit 1", async () => {
    const before = await seed.snapshot(ACCOUNT, NAMES);
    const result = await s3ap("apply", "--max-changes", "2");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /3 changes planned, more than --max-changes 2; nothing was written/,
    );
    expect(await seed.snapshot(ACCOUNT, NAMES)).toEqual(before);
  });

  test("observe mode drift is reported, never written", async () => {
    const plan = await s3ap("plan", "--dir", "observed");
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/observe-ap \(observe\)/);
    const apply = await s3ap("apply", "--dir", "observed");
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/observed\s+111122223333\/us-east-1\/observe-ap/);
    expect(await seed.policyText(ACCOUNT, "observe-ap")).toBeNull();
  });

  test("a missing access point is an error while the others still apply (exit 1)", async () => {
    const result = await s3ap("apply", "--dir", "partial");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed\s+111122223333\/us-east-1\/missing-ap/);
    expect(result.stdout).toMatch(/applied\s+111122223333\/us-east-1\/present-ap/);
    expect(JSON.parse((await seed.policyText(ACCOUNT, "present-ap")) ?? "null")).toEqual(
      readStatementPolicy(ACCOUNT, "present-ap"),
    );
  });
});

describe("s3ap plan on invalid files", () => {
  test("names file:line:col, exits 1 and sends nothing; --ref shows repository paths", async () => {
    const broken = createPolicyRepo({
      "policies/bad.yaml":
        "accountId: 111122223333\nregion: us-east-1\nname: bad-ap\npolicy: null\n",
    });
    try {
      const sha = broken.commit();
      const here = await runCli(["plan", "--endpoint-url", "http://127.0.0.1:9"], {
        cwd: broken.root,
        env: TEST_AWS_ENV,
      });
      expect(here.code).toBe(1);
      expect(here.stderr).toContain(
        "policies/bad.yaml:1:12: error: accountId was read as the number",
      );
      expect(here.stderr).toContain("nothing was sent to AWS");
      // From the folder that holds the temporary checkout, paths must still be repository paths.
      const atRef = await runCli(
        ["plan", "--repo", broken.root, "--ref", sha, "--endpoint-url", "http://127.0.0.1:9"],
        { cwd: tmpdir(), env: TEST_AWS_ENV },
      );
      expect(atRef.code).toBe(1);
      expect(atRef.stderr).toMatch(/^policies\/bad\.yaml:1:12: /m);
    } finally {
      broken.remove();
    }
  });
});

describe("s3ap plan with warnings in the policy files", () => {
  test("warnings are shown and the plan goes on; --strict stops it and sends nothing", async () => {
    const statement = `{ Sid: Read, Effect: Allow, Principal: { AWS: "${ACCOUNT}" }, Action: s3:GetObject, Resource: "\${accessPointArn}/object/*" }`;
    const warned = createPolicyRepo({
      "policies/warned-ap.yaml": `accountId: "${ACCOUNT}"\nregion: us-east-1\nname: warned-ap\npolicy:\n  Statement:\n    - ${statement}\n    - ${statement.replace("object/*", "object/b/*")}\n`,
    });
    try {
      warned.commit();
      await seed.accessPoint(ACCOUNT, "warned-ap");
      const plan = await runCli(["plan", "--endpoint-url", moto.url], {
        cwd: warned.root,
        env: TEST_AWS_ENV,
      });
      expect(plan.stderr).toContain(
        'policies/warned-ap.yaml:7:14: warning: Sid "Read" is also used by another statement',
      );
      expect(plan.stderr).toContain("s3ap: 1 warning in the policy files");
      expect(plan.code).toBe(2);
      const strict = await runCli(["plan", "--strict", "--endpoint-url", "http://127.0.0.1:9"], {
        cwd: warned.root,
        env: TEST_AWS_ENV,
      });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain("nothing was sent to AWS");
    } finally {
      warned.remove();
    }
  });
});
