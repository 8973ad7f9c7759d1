// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy files use ${...} variables
// Every kind of access point end to end, with the real CLI: a general-purpose one and a
// Multi-Region Access Point on moto, a directory-bucket one (policy and scope) on s3ap's local
// endpoint, all behind the one --endpoint-url, a proxy that records where each request is signed
// to go and sends s3express requests to the local endpoint (moto does not serve them).
// import → validate 0 → plan all in sync; edit → plan shows each change with its verdict →
// apply → plan in sync.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateMultiRegionAccessPointCommand,
  GetMultiRegionAccessPointCommand,
  GetMultiRegionAccessPointPolicyCommand,
  PutMultiRegionAccessPointPolicyCommand,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createS3ControlClient } from "../../src/aws/client.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import { createPolicyRepo } from "../support/policy-repo.js";
import { type RecordingProxy, startRecordingProxy } from "../support/recording-proxy.js";

const DIRECTORY = "reports--use1-az4--xa-s3";
const DIRECTORY_ARN = `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${DIRECTORY}`;
const reader = (role: string) => ({ AWS: `arn:aws:iam::${ACCOUNT}:role/${role}` });

let moto: MotoServer;
let local: LocalEndpoint;
let proxy: RecordingProxy;
let alias: string;

beforeAll(async () => {
  moto = await startMoto();
  local = await startLocalEndpoint({
    seedDocument: {
      accessPoints: [
        {
          accountId: ACCOUNT,
          name: DIRECTORY,
          bucket: "reports--use1-az4--x-s3",
          scope: { prefixes: ["logs/*"], permissions: ["GetObject", "ListBucket"] },
          policy: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: reader("reader"),
                Action: "s3express:CreateSession",
                Resource: DIRECTORY_ARN,
              },
            ],
          },
        },
      ],
    },
  });
  proxy = await startRecordingProxy(moto.url, { s3express: local.url });
  const seed = new LiveSeed(moto.url);
  await seed.accessPoint(ACCOUNT, "bucket-ap", {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: reader("reader"),
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/bucket-ap/object/*`,
      },
    ],
  });
  seed.destroy();
  const mrap = createS3ControlClient({
    region: "us-west-2",
    endpointUrl: moto.url,
    requestTimeoutMs: 10_000,
  });
  await mrap.send(
    new CreateMultiRegionAccessPointCommand({
      AccountId: ACCOUNT,
      Details: {
        Name: "global",
        Regions: [{ Bucket: "reports-east" }, { Bucket: "reports-west" }],
      },
    }),
  );
  const created = await mrap.send(
    new GetMultiRegionAccessPointCommand({ AccountId: ACCOUNT, Name: "global" }),
  );
  alias = created.AccessPoint?.Alias ?? "";
  await mrap.send(
    new PutMultiRegionAccessPointPolicyCommand({
      AccountId: ACCOUNT,
      Details: {
        Name: "global",
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: reader("reader"),
              Action: "s3:GetObject",
              Resource: `arn:aws:s3::${ACCOUNT}:accesspoint/${alias}/object/*`,
            },
          ],
        }),
      },
    }),
  );
  mrap.destroy();
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await local?.close();
  await moto?.stop();
});

test("import, plan, edit, apply and plan again, for every kind, each request signed where AWS expects it", async () => {
  const repo = createPolicyRepo();
  const s3ap = (...args: string[]) =>
    runCli([...args, "--endpoint-url", proxy.url], {
      cwd: repo.root,
      env: TEST_AWS_ENV,
      timeoutMs: 120_000,
    });
  try {
    const imported = await s3ap("import", "--account", ACCOUNT, "--region", "us-east-1");
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const mrapFile = join(repo.root, "policies", ACCOUNT, "multi-region", "global.yaml");
    const directoryFile = join(repo.root, "policies", ACCOUNT, "us-east-1", `${DIRECTORY}.yaml`);
    expect(readFileSync(mrapFile, "utf8")).toContain(
      `multiRegionAccessPoint: global\nalias: ${alias}\n`,
    );
    expect(readFileSync(directoryFile, "utf8")).toContain(
      "scope:\n  prefixes:\n    - logs/*\n  permissions:\n    - GetObject\n    - ListBucket\n",
    );
    const validated = await runCli(["validate"], { cwd: repo.root });
    expect(validated.code, validated.stdout).toBe(0);
    repo.commit("import");

    const inSync = await s3ap("plan", "--format", "json");
    expect(inSync.code, inSync.stderr).toBe(0);
    expect(JSON.parse(inSync.stdout).summary).toMatchObject({ noop: 3, update: 0, error: 0 });

    // Widen the Multi-Region policy (one more principal), narrow the directory bucket's scope.
    writeFileSync(
      mrapFile,
      readFileSync(mrapFile, "utf8").replace(
        `AWS: arn:aws:iam::${ACCOUNT}:role/reader`,
        `AWS:\n          - arn:aws:iam::${ACCOUNT}:role/reader\n          - arn:aws:iam::${ACCOUNT}:role/auditor`,
      ),
    );
    writeFileSync(
      directoryFile,
      readFileSync(directoryFile, "utf8").replace("    - ListBucket\n", ""),
    );
    repo.commit("edit");
    const planned = await s3ap("plan", "--format", "json");
    expect(planned.code, planned.stderr).toBe(2);
    const changes = JSON.parse(planned.stdout).changes.filter(
      (c: { action: string }) => c.action !== "noop",
    );
    expect(
      changes.map(
        (c: { arn: string; action: string; access: string }) => `${c.action} ${c.access} ${c.arn}`,
      ),
    ).toEqual([
      `update widens arn:aws:s3::${ACCOUNT}:accesspoint/${alias}`,
      `update narrows ${DIRECTORY_ARN}`,
    ]);
    expect(changes[1].scope).toEqual({
      before: { prefixes: ["logs/*"], permissions: ["GetObject", "ListBucket"] },
      after: { prefixes: ["logs/*"], permissions: ["GetObject"] },
      changed: true,
    });

    const applied = await s3ap("apply");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const after = await s3ap("plan", "--format", "json");
    expect(after.code, after.stdout).toBe(0);
    expect(local.state().accessPoints[0]?.scope).toEqual({
      prefixes: ["logs/*"],
      permissions: ["GetObject"],
    });

    // Where each request went, as its signature says (the scope AWS routes on).
    const where = (test: (path: string) => boolean) => [
      ...new Set(
        proxy.s3control.filter((r) => test(r.path)).map((r) => `${r.service}/${r.region}`),
      ),
    ];
    expect(where((p) => p.includes("/mrap/"))).toEqual(["s3/us-west-2"]);
    expect(where((p) => p.includes("xa-s3") || p.includes("accesspointfordirectory"))).toEqual([
      "s3express/us-east-1",
    ]);
    expect(where((p) => p.includes("/accesspoint/bucket-ap"))).toEqual(["s3/us-east-1"]);
    const lists = proxy.s3control.filter((r) => /^\/v20180820\/accesspoint(\?|$)/.test(r.path));
    expect(lists.length).toBeGreaterThan(0);
    expect(
      lists.every((r) => new URL(r.path, "http://x").searchParams.get("dataSourceType") === "ALL"),
    ).toBe(true);
    expect(proxy.s3control.some((r) => r.path.includes("/async-requests/mrap/put-policy"))).toBe(
      true,
    );
    expect(
      proxy.s3control.some((r) => r.method === "PUT" && r.path.endsWith(`${DIRECTORY}/scope`)),
    ).toBe(true);
  } finally {
    repo.remove();
  }
}, 300_000);

test("a Multi-Region Access Point file whose alias is not the live one's fails plan at that line, and apply writes nothing", async () => {
  const file = `policies/${ACCOUNT}/multi-region/global.yaml`;
  const wrong = "wrong0alias9.mrap";
  const repo = createPolicyRepo({
    [file]: [
      `accountId: "${ACCOUNT}"`,
      "multiRegionAccessPoint: global",
      `alias: ${wrong}`,
      "policy:",
      '  Version: "2012-10-17"',
      "  Statement:",
      "    - Effect: Allow",
      `      Principal: { AWS: arn:aws:iam::${ACCOUNT}:role/reader }`,
      "      Action: s3:GetObject",
      "      Resource: ${accessPointArn}/object/*",
      "",
    ].join("\n"),
  });
  repo.commit("a file with another alias");
  const s3ap = (...args: string[]) =>
    runCli([...args, "--endpoint-url", moto.url, "--no-discover"], {
      cwd: repo.root,
      env: TEST_AWS_ENV,
      timeoutMs: 120_000,
    });
  try {
    const planned = await s3ap("plan", "--format", "json");
    expect(planned.code, planned.stderr).toBe(1);
    const [change] = JSON.parse(planned.stdout).changes;
    expect(change).toMatchObject({ action: "error", region: "multi-region", name: "global" });
    expect(change.reason).toBe(
      `${file}:3:8: alias "${wrong}" is not the alias of Multi-Region Access Point global, which is "${alias}": write alias: ${alias} (the policy's \${accessPointArn} is built from it)`,
    );
    const applied = await s3ap("apply");
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain(`${file}:3:8`);
    const client = createS3ControlClient({
      region: "us-west-2",
      endpointUrl: moto.url,
      requestTimeoutMs: 10_000,
    });
    try {
      const live = await client.send(
        new GetMultiRegionAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "global" }),
      );
      expect(live.Policy?.Established?.Policy).not.toContain(wrong);
    } finally {
      client.destroy();
    }
  } finally {
    repo.remove();
  }
}, 300_000);
