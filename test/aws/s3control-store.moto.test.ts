// The adapter against a real S3 Control wire endpoint (moto server on loopback).
import {
  CreateAccessPointCommand,
  GetAccessPointPolicyCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { createS3ControlClient } from "../../src/aws/client.js";
import { createS3ControlStore } from "../../src/aws/s3control-store.js";
import { AwsError } from "../../src/errors.js";
import type { AccessPointRef } from "../../src/model.js";
import { ACCOUNT } from "../support/account.js";
import { type MotoServer, startMoto } from "../support/moto.js";

const REGION = "us-east-1";

interface SeenRequest {
  hostname: string;
  port: number | undefined;
  host: string | undefined;
  path: string;
}

let moto: MotoServer;
let admin: S3ControlClient;
let seen: SeenRequest[];
let store: ReturnType<typeof createS3ControlStore>;

function storeOptions(listPageSize?: number) {
  return {
    endpointUrl: moto.url,
    ratePerSecond: 1000,
    ...(listPageSize !== undefined ? { listPageSize } : {}),
    // Real client with the endpoint override, plus a recorder of what goes on the wire.
    clientFactory: (region: string) => {
      const client = createS3ControlClient({
        region,
        endpointUrl: moto.url,
        requestTimeoutMs: 5000,
      });
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as {
            hostname: string;
            port?: number;
            path: string;
            headers: Record<string, string>;
          };
          seen.push({
            hostname: request.hostname,
            port: request.port,
            host: request.headers.host,
            path: request.path,
          });
          return next(args);
        },
        { step: "finalizeRequest", priority: "low", name: "recordRequest" },
      );
      return client;
    },
  };
}

async function createAccessPoint(name: string): Promise<AccessPointRef> {
  await admin.send(
    new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: name, Bucket: "any-bucket" }),
  );
  return { accountId: ACCOUNT, region: REGION, name };
}

const policy = (sid: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/x/object/*`,
      },
    ],
  });

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = REGION;
  moto = await startMoto();
  admin = createS3ControlClient({ region: REGION, endpointUrl: moto.url, requestTimeoutMs: 5000 });
});

afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  seen = [];
  store = createS3ControlStore(storeOptions());
});

afterEach(() => store.destroy());

test("NOTE: without the override the SDK prefixes the account id to a loopback endpoint", async () => {
  const plain = new S3ControlClient({ region: REGION, endpoint: moto.url, maxAttempts: 1 });
  // The SDK logs the failed URL construction itself; keep the test output clean.
  const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await expect(
      plain.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "anything" })),
    ).rejects.toMatchObject({
      code: "ERR_INVALID_URL",
      input: expect.stringContaining(`${ACCOUNT}.127.0.0.1`),
    });
  } finally {
    quiet.mockRestore();
    plain.destroy();
  }
});

test("put, get, status and delete go to exactly the configured endpoint", async () => {
  const ap = await createAccessPoint("reports-ap");
  expect(await store.getPolicy(ap)).toEqual({ kind: "none" });

  await store.putPolicy(ap, policy("Read"));
  const live = await store.getPolicy(ap);
  expect(live).toEqual({ kind: "policy", policy: JSON.parse(policy("Read")) });
  // NOTE: moto reports every access point policy as public; AWS evaluates it.
  expect(await store.getPolicyStatus(ap)).toEqual({ isPublic: true });

  await store.deletePolicy(ap);
  expect(await store.getPolicy(ap)).toEqual({ kind: "none" });
  await expect(store.deletePolicy(ap)).resolves.toBeUndefined();

  const { port } = new URL(moto.url);
  expect(seen.length).toBe(7);
  for (const request of seen) {
    expect(request.hostname).toBe("127.0.0.1");
    expect(String(request.port)).toBe(port);
    expect(request.host).toBe(`127.0.0.1:${port}`);
    expect(request.path).toMatch(/^\/v20180820\/accesspoint\/reports-ap\/policy(Status)?$/);
  }
});

test("a missing access point is a per-access-point error that says what to do", async () => {
  const missing: AccessPointRef = { accountId: ACCOUNT, region: REGION, name: "ghost-ap" };
  const live = await store.getPolicy(missing);
  expect(live.kind).toBe("error");
  if (live.kind !== "error") return;
  expect(live.code).toBe("NoSuchAccessPoint");
  expect(live.message).toContain(`arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/ghost-ap`);
  expect(live.message).toContain("never creates access points");

  const put = store.putPolicy(missing, policy("Read"));
  await expect(put).rejects.toBeInstanceOf(AwsError);
  await expect(put).rejects.toMatchObject({ code: "NoSuchAccessPoint", retryable: false });
});

test("listAccessPoints follows NextToken across pages", async () => {
  const names = ["ap-a", "ap-b", "ap-c", "ap-d", "ap-e"];
  for (const name of names) await createAccessPoint(name);
  const paged = createS3ControlStore(storeOptions(2));
  try {
    const listed = await paged.listAccessPoints(ACCOUNT, REGION);
    expect(listed.map((entry) => entry.name).sort()).toEqual(names);
    expect(listed[0]).toMatchObject({ bucket: "any-bucket" });
    expect(listed[0]?.arn).toMatch(/^arn:aws:s3:us-east-1:111122223333:accesspoint\/ap-/);
    const pages = seen.filter((request) => request.path === "/v20180820/accesspoint");
    expect(pages.length).toBe(3);
  } finally {
    paged.destroy();
  }
});

test("another account's access points are not listed", async () => {
  await createAccessPoint("mine-ap");
  expect(await store.listAccessPoints("444455556666", REGION)).toEqual([]);
});
