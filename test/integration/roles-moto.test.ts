// Roles per account end to end: the bundled CLI against moto (S3 Control and STS) behind a
// recording proxy, which checks that every S3 Control request for an account is signed with the
// access key AssumeRole returned for that account's role, and can refuse a role.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAccessPointCommand,
  GetAccessPointPolicyCommand,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createS3ControlClient } from "../../src/aws/client.js";
import { runCli } from "../support/cli.js";
import { startFakeAccessAnalyzer } from "../support/fake-access-analyzer.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";
import { type RecordingProxy, startRecordingProxy } from "../support/recording-proxy.js";

const A = "111122223333";
const B = "444455556666";
const NAMES = ["reports", "exports", "archive"];
const TEMPLATE = "arn:${partition}:iam::${accountId}:role/s3ap-apply";
const roleOf = (account: string, name = "s3ap-apply") => `arn:aws:iam::${account}:role/${name}`;

let moto: MotoServer;
let proxy: RecordingProxy;
let seed: LiveSeed;
let repo: PolicyRepo;
let commit: string;
// NOTE: moto keeps one S3 Control store per account and picks it by the signing key: keys from
// AssumeRole belong to the role's account, the base key "test" to moto's default account. So the
// access points are seeded both ways, as each account (for role runs) and with the base key.
const asAccount = new Map<string, S3ControlClient>();

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.url);
  seed = new LiveSeed(moto.url);
  const files: Record<string, string> = {};
  for (const account of [A, B])
    for (const name of NAMES)
      files[`policies/${account}/us-east-1/${name}.yaml`] = policyYaml({
        accountId: account,
        name,
      });
  repo = createPolicyRepo(files);
  commit = repo.commit();
});

/** The policy an account's own credentials read, or null. */
async function policyText(account: string, name: string): Promise<string | null> {
  try {
    const client = asAccount.get(account) as S3ControlClient;
    const out = await client.send(
      new GetAccessPointPolicyCommand({ AccountId: account, Name: name }),
    );
    return out.Policy ?? null;
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchAccessPointPolicy") return null;
    throw error;
  }
}

afterAll(async () => {
  seed?.destroy();
  for (const client of asAccount.values()) client.destroy();
  repo?.remove();
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  // A reset forgets the keys AssumeRole handed out: assume the seeding roles again.
  for (const client of asAccount.values()) client.destroy();
  for (const account of [A, B]) {
    asAccount.set(
      account,
      createS3ControlClient({
        region: "us-east-1",
        endpointUrl: moto.url,
        requestTimeoutMs: 10_000,
        credentials: fromTemporaryCredentials({
          params: { RoleArn: roleOf(account, "seed"), RoleSessionName: "seed" },
          clientConfig: { region: "us-east-1", endpoint: moto.url },
        }),
      }),
    );
  }
  for (const account of [A, B]) {
    for (const name of NAMES) {
      await seed.accessPoint(account, name);
      await asAccount
        .get(account)
        ?.send(
          new CreateAccessPointCommand({ AccountId: account, Name: name, Bucket: `${name}-b` }),
        );
    }
  }
  proxy.clear();
  proxy.refuse.clear();
});

const s3ap = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli([...args, "--endpoint-url", proxy.url], {
    cwd: repo.root,
    env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_STS: proxy.url, ...env },
  });

/** For each account: the keys its S3 Control requests were signed with. */
function keysByAccount(): Record<string, string[]> {
  const keys: Record<string, Set<string>> = {};
  for (const request of proxy.s3control) {
    keys[request.accountId] ??= new Set();
    keys[request.accountId]?.add(request.accessKeyId);
  }
  return Object.fromEntries(Object.entries(keys).map(([id, set]) => [id, [...set]]));
}

describe("a role per account", () => {
  test("plan --only '<account>/**' sends no request for another account, discovery included", async () => {
    const result = await s3ap(["plan", "--only", `${A}/**`, "--role-arn", TEMPLATE]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(proxy.assumed.map((a) => a.roleArn)).toEqual([roleOf(A)]);
    const accounts = new Set(proxy.s3control.map((r) => r.accountId));
    expect([...accounts]).toEqual([A]);
    // Its reads and its discovery listing went to A.
    expect(proxy.s3control.filter((r) => r.path.includes("/policy")).length).toBe(NAMES.length);
    expect(
      proxy.s3control.some((r) => r.method === "GET" && /\/accesspoint(\?|$)/.test(r.path)),
    ).toBe(true);
  });

  test("each account's requests are signed only with the keys AssumeRole returned for its role", async () => {
    const result = await s3ap(["apply", "--role-arn", TEMPLATE, "--external-id", "org-7"]);
    expect(result.stderr).not.toMatch(/^s3ap: (?!note:)/m);
    expect(result.code, result.stdout).toBe(0);
    // One AssumeRole per account, named after the command and the commit.
    expect(proxy.assumed.map((a) => a.roleArn).sort()).toEqual([roleOf(A), roleOf(B)]);
    for (const assumed of proxy.assumed) {
      expect(assumed.sessionName).toBe(`s3ap-apply-${commit.slice(0, 12)}`);
      expect(assumed.externalId).toBe("org-7");
      expect(assumed.accessKeyId).toMatch(/^\w{16,}$/);
    }
    const keyOf = (account: string) =>
      proxy.assumed.find((a) => a.roleArn === roleOf(account))?.accessKeyId;
    expect(keyOf(A)).not.toBe(keyOf(B));
    expect(keysByAccount()).toEqual({ [A]: [keyOf(A)], [B]: [keyOf(B)] });
    // Reads and writes of both accounts went through.
    expect(proxy.s3control.filter((r) => r.method === "PUT").length).toBe(6);
    expect(await policyText(B, "archive")).toContain(
      `arn:aws:s3:us-east-1:${B}:accesspoint/archive`,
    );
  });

  test("S3AP_ROLE_ARN works like --role-arn, and s3ap.yaml overrides the role of one account", async () => {
    const override = createPolicyRepo({
      "s3ap.yaml": [
        `roleArn: ${TEMPLATE}`,
        "accounts:",
        `  "${B}":`,
        "    roleArn: arn:aws:iam::${accountId}:role/legacy-s3ap",
        "    externalId: legacy-1",
        "",
      ].join("\n"),
    });
    for (const account of [A, B])
      override.write(
        `policies/${account}/reports.yaml`,
        policyYaml({ accountId: account, name: "reports" }),
      );
    override.commit();
    try {
      const result = await runCli(["plan", "--endpoint-url", proxy.url, "--format", "json"], {
        cwd: override.root,
        env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_STS: proxy.url },
      });
      expect(result.code).toBe(2);
      expect(proxy.assumed.map((a) => [a.roleArn, a.externalId]).sort()).toEqual([
        [roleOf(A), null],
        [roleOf(B, "legacy-s3ap"), "legacy-1"],
      ]);
      proxy.clear();
      // The environment comes before the file.
      const fromEnv = await runCli(["plan", "--endpoint-url", proxy.url], {
        cwd: override.root,
        env: {
          ...TEST_AWS_ENV,
          AWS_ENDPOINT_URL_STS: proxy.url,
          S3AP_ROLE_ARN: "arn:aws:iam::${accountId}:role/from-env",
        },
      });
      expect(fromEnv.code).toBe(2);
      expect(proxy.assumed.map((a) => a.roleArn).sort()).toEqual([
        roleOf(A, "from-env"),
        roleOf(B, "from-env"),
      ]);
    } finally {
      override.remove();
    }
  });

  test("a refused role fails its account only: the other account applies, exit 1, said once", async () => {
    proxy.refuse.add(roleOf(B));
    const result = await s3ap(["apply", "--role-arn", TEMPLATE]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    // Nothing was sent for the refused account; the other one was applied.
    expect(Object.keys(keysByAccount())).toEqual([A]);
    for (const name of NAMES) expect(await policyText(A, name)).not.toBeNull();
    for (const name of NAMES) expect(await policyText(B, name)).toBeNull();
    const message = `cannot assume role ${roleOf(B)} (from --role-arn) for account ${B}`;
    expect(result.stdout.split(message).length - 1, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/trust policy[\s\S]*sts:AssumeRole/);
    expect(proxy.assumed.filter((a) => a.roleArn === roleOf(B))).toHaveLength(1);

    const json = await s3ap(["plan", "--role-arn", TEMPLATE, "--format", "json"]);
    const plan = JSON.parse(json.stdout);
    const errors = plan.changes.filter((c: { action: string }) => c.action === "error");
    expect(errors.map((c: { accountId: string }) => c.accountId)).toEqual([B, B, B]);
    for (const change of errors) expect(change.reason).toContain(message);
  });

  test("an account left without a role while others have one fails, naming the account", async () => {
    const partial = createPolicyRepo({
      "s3ap.yaml": `accounts:\n  "${A}":\n    roleArn: ${TEMPLATE}\n`,
    });
    for (const account of [A, B])
      partial.write(
        `policies/${account}/reports.yaml`,
        policyYaml({ accountId: account, name: "reports" }),
      );
    partial.commit();
    try {
      const result = await runCli(["plan", "--endpoint-url", proxy.url, "--format", "json"], {
        cwd: partial.root,
        env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_STS: proxy.url },
      });
      expect(result.code).toBe(1);
      const plan = JSON.parse(result.stdout);
      const byAccount = Object.fromEntries(
        plan.changes.map((c: { accountId: string; action: string; reason: string }) => [
          c.accountId,
          c,
        ]),
      );
      expect(byAccount[A].action).toBe("create");
      expect(byAccount[B].action).toBe("error");
      expect(byAccount[B].reason).toContain(`account ${B} has no role to assume`);
      expect(Object.keys(keysByAccount())).toEqual([A]);
    } finally {
      partial.remove();
    }
  });

  test("import takes --role-arn too: each account is listed with its own role's keys", async () => {
    const target = createPolicyRepo({ "README.md": "policies come here\n" });
    target.commit();
    try {
      const result = await runCli(
        [
          "import",
          "--account",
          `${A},${B}`,
          "--region",
          "us-east-1",
          "--role-arn",
          TEMPLATE,
          "--endpoint-url",
          proxy.url,
        ],
        { cwd: target.root, env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_STS: proxy.url } },
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const keyOf = (account: string) =>
        proxy.assumed.find((a) => a.roleArn === roleOf(account))?.accessKeyId;
      expect(proxy.assumed.map((a) => a.sessionName)).toEqual([
        "s3ap-import-uncommitted",
        "s3ap-import-uncommitted",
      ]);
      expect(keysByAccount()).toEqual({ [A]: [keyOf(A)], [B]: [keyOf(B)] });
      expect(
        readFileSync(join(target.root, "policies", B, "us-east-1", "archive.yaml"), "utf8"),
      ).toContain(`accountId: "${B}"`);
    } finally {
      target.remove();
    }
  });

  test("--access-analyzer: each account's analyzer calls are signed by its own role, not the hub", async () => {
    const analyzer = await startFakeAccessAnalyzer();
    try {
      proxy.refuse.add(roleOf(B));
      const result = await s3ap(["plan", "--role-arn", TEMPLATE, "--access-analyzer"], {
        AWS_ENDPOINT_URL_ACCESSANALYZER: analyzer.url,
      });
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const keyOfA = proxy.assumed.find((a) => a.roleArn === roleOf(A))?.accessKeyId;
      expect(keyOfA).toMatch(/^\w{16,}$/);
      // Every call is for account A (B's role was refused, so B is never analysed) and is
      // signed with the key AssumeRole returned for A's role: never the hub's base key "test".
      const accountOf = (body: Record<string, unknown>) =>
        /:(\d{12}):accesspoint\//.exec(String(body.policyDocument))?.[1];
      expect(analyzer.seen.length).toBeGreaterThanOrEqual(2 * NAMES.length);
      for (const request of analyzer.seen) {
        expect(accountOf(request.body)).toBe(A);
        expect(request.accessKeyId).toBe(keyOfA);
      }
      // Both the store and the analyzer asked for B's role; STS was asked once for it.
      expect(proxy.assumed.filter((a) => a.roleArn === roleOf(B))).toHaveLength(1);
      const message = `cannot assume role ${roleOf(B)} (from --role-arn) for account ${B}`;
      expect(result.stdout.split(message).length - 1, result.stdout).toBe(1);
    } finally {
      await analyzer.stop();
    }
  });

  test("--attribute-drift: each account's LookupEvents are signed by its own role, not the hub", async () => {
    // A CloudTrail that records who signed each LookupEvents and finds nothing.
    const signers: string[] = [];
    const cloudTrail = createServer((request, response) => {
      const scope = /Credential=([^/]+)\/\d{8}\/[^/]+\/cloudtrail\//.exec(
        String(request.headers.authorization ?? ""),
      );
      signers.push(scope?.[1] ?? "unsigned");
      request.resume();
      request.on("end", () => {
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        response.end('{"Events":[]}');
      });
    });
    await new Promise<void>((resolve) => cloudTrail.listen(0, "127.0.0.1", resolve));
    const { port } = cloudTrail.address() as AddressInfo;
    try {
      const result = await s3ap(["plan", "--role-arn", TEMPLATE, "--attribute-drift"], {
        AWS_ENDPOINT_URL_CLOUDTRAIL: `http://127.0.0.1:${port}`,
      });
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stdout).toContain("found in CloudTrail in the last 7 days");
      const keyOf = (account: string) =>
        proxy.assumed.find((a) => a.roleArn === roleOf(account))?.accessKeyId;
      // Each account asked once per event name (PutAccessPointPolicy, DeleteAccessPointPolicy),
      // with the key AssumeRole returned for that account's role.
      expect(signers.sort()).toEqual([keyOf(A), keyOf(A), keyOf(B), keyOf(B)].sort());
      expect(signers).not.toContain("test");
    } finally {
      await new Promise((resolve) => cloudTrail.close(resolve));
    }
  });

  test("without any role, requests are signed by the base credentials and STS is never called", async () => {
    const result = await s3ap(["plan"]);
    expect(result.code).toBe(2);
    expect(proxy.assumed).toEqual([]);
    expect(keysByAccount()).toEqual({ [A]: ["test"], [B]: ["test"] });
  });
});

describe("fanned out: one shard per account, merged", () => {
  test("the shards' plans, merged, are the plan one job makes of the same tree", async () => {
    // Some drift in each account, one access point in sync.
    await s3ap(["apply", "--role-arn", TEMPLATE, "--only", "*/us-east-1/reports"]);
    const folder = mkdtempSync(join(tmpdir(), "s3ap-shards-"));
    try {
      const accounts = await runCli(["accounts", "--format", "json"], { cwd: repo.root });
      expect(accounts.code).toBe(0);
      expect(accounts.stdout.trim().split("\n")).toHaveLength(1);
      const matrix = JSON.parse(accounts.stdout);
      expect(matrix).toEqual({
        include: [
          { shard: A, accounts: A, regions: ["us-east-1"], accessPoints: 3 },
          { shard: B, accounts: B, regions: ["us-east-1"], accessPoints: 3 },
        ],
      });
      writeFileSync(join(folder, "shards.json"), accounts.stdout);
      mkdirSync(join(folder, "plans"));
      for (const shard of matrix.include) {
        proxy.clear();
        const out = join(folder, "plans", `plan-${shard.shard}.json`);
        const shardRun = await s3ap([
          "plan",
          "--role-arn",
          TEMPLATE,
          "--account",
          shard.accounts,
          "--out",
          out,
        ]);
        expect(shardRun.code, shardRun.stdout + shardRun.stderr).toBe(2);
        // A shard reads its own account only, and assumes only its role.
        expect(Object.keys(keysByAccount())).toEqual([shard.accounts]);
        expect(proxy.assumed.map((a) => a.roleArn)).toEqual([roleOf(shard.accounts)]);
      }
      const single = await s3ap(["plan", "--role-arn", TEMPLATE, "--format", "json"]);
      const merged = await runCli(
        [
          "merge-plans",
          join(folder, "plans"),
          "--shards",
          join(folder, "shards.json"),
          "--format",
          "json",
        ],
        { cwd: repo.root },
      );
      expect(merged.code).toBe(single.code);
      const { missingAccounts, ...mergedPlan } = JSON.parse(merged.stdout);
      expect(missingAccounts).toEqual([]);
      expect(mergedPlan).toEqual(JSON.parse(single.stdout));
      expect(mergedPlan.summary).toMatchObject({ create: 4, noop: 2 });

      // A shard whose job failed: its account is named, and the merge fails.
      rmSync(join(folder, "plans", `plan-${B}.json`));
      const partial = await runCli(
        [
          "merge-plans",
          join(folder, "plans"),
          "--shards",
          join(folder, "shards.json"),
          "--format",
          "json",
        ],
        { cwd: repo.root },
      );
      expect(partial.code).toBe(1);
      expect(JSON.parse(partial.stdout).missingAccounts).toEqual([B]);
      expect(partial.stderr).toContain(`have no shard plan (their jobs failed): ${B}`);
      expect(readFileSync(join(folder, "shards.json"), "utf8")).toContain(B);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
