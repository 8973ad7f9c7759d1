// Directory-bucket access points (policy and scope, their own listing) and FSx-attached ones on
// the local endpoint, through the real SDK client, with the same fault knobs as every operation.
import {
  DeleteAccessPointScopeCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointScopeCommand,
  ListAccessPointsCommand,
  ListAccessPointsForDirectoryBucketsCommand,
  PutAccessPointPolicyCommand,
  PutAccessPointScopeCommand,
  type S3ControlClient,
  type ScopePermission,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { ACCOUNT, outcome, sdkClient } from "./sdk.js";

const DIRECTORY_AP = "reports--use1-az4--xa-s3";
const SEED = {
  accessPoints: [
    { accountId: ACCOUNT, name: DIRECTORY_AP, bucket: "logs--use1-az4--x-s3" },
    {
      accountId: ACCOUNT,
      name: "scoped--use1-az4--xa-s3",
      bucket: "logs--use1-az4--x-s3",
      scope: { prefixes: ["a/"], permissions: ["GetObject"] },
    },
    { accountId: ACCOUNT, name: "bucket-ap", bucket: "data" },
    {
      accountId: ACCOUNT,
      name: "fsx-ap",
      bucket: "fsx-ap-abc-ext-s3alias",
      dataSource: { type: "FSX_OPENZFS", id: "fsvol-0123456789abcdef0" },
    },
  ],
};

let endpoint: LocalEndpoint;
let client: S3ControlClient;

beforeAll(async () => {
  endpoint = await startLocalEndpoint({
    seedDocument: SEED,
    denyAccessPoints: ["denied--use1-az4--xa-s3"],
  });
  client = sdkClient(endpoint.url);
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});
beforeEach(() => endpoint.reset());

const putScope = (name: string, prefixes: string[], permissions: string[]) =>
  client.send(
    new PutAccessPointScopeCommand({
      AccountId: ACCOUNT,
      Name: name,
      Scope: { Prefixes: prefixes, Permissions: permissions as ScopePermission[] },
    }),
  );

describe("directory-bucket access points", () => {
  test("a scope is written, read back and deleted; none reads as NoSuchAccessPointScope", async () => {
    expect(
      await outcome(
        client.send(new GetAccessPointScopeCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP })),
      ),
    ).toEqual({ error: "NoSuchAccessPointScope", status: 404 });
    await putScope(DIRECTORY_AP, ["logs/", "tmp/"], ["GetObject", "ListBucket"]);
    expect(
      await outcome(
        client.send(new GetAccessPointScopeCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP })),
      ),
    ).toEqual({
      ok: { Scope: { Prefixes: ["logs/", "tmp/"], Permissions: ["GetObject", "ListBucket"] } },
    });
    await client.send(
      new DeleteAccessPointScopeCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP }),
    );
    expect(
      endpoint.state().accessPoints.find((ap) => ap.name === DIRECTORY_AP)?.scope,
    ).toBeUndefined();
  });

  test("a scope with a permission outside AWS's eight, or prefixes of 256 bytes, is refused", async () => {
    expect(await outcome(putScope(DIRECTORY_AP, [], ["GetBucketPolicy"]))).toEqual({
      error: "InvalidRequest",
      status: 400,
    });
    expect(await outcome(putScope(DIRECTORY_AP, ["x".repeat(200), "y".repeat(56)], []))).toEqual({
      error: "InvalidRequest",
      status: 400,
    });
    expect(await outcome(putScope(DIRECTORY_AP, ["x".repeat(200), "y".repeat(55)], []))).toEqual({
      ok: {},
    });
  });

  test("a policy is written and read by name, as for any access point", async () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "s3express:CreateSession",
          Resource: `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${DIRECTORY_AP}`,
        },
      ],
    });
    await client.send(
      new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP, Policy: policy }),
    );
    const got = await client.send(
      new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP }),
    );
    expect(got.Policy).toBe(policy);
  });

  test("they are listed by ListAccessPointsForDirectoryBuckets only, with their s3express ARN", async () => {
    const directory = await client.send(
      new ListAccessPointsForDirectoryBucketsCommand({ AccountId: ACCOUNT }),
    );
    expect(directory.AccessPointList?.map((ap) => [ap.Name, ap.AccessPointArn])).toEqual([
      [DIRECTORY_AP, `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${DIRECTORY_AP}`],
      [
        "scoped--use1-az4--xa-s3",
        `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/scoped--use1-az4--xa-s3`,
      ],
    ]);
    const all = await client.send(
      new ListAccessPointsCommand({ AccountId: ACCOUNT, DataSourceType: "ALL" }),
    );
    expect(all.AccessPointList?.map((ap) => ap.Name)).toEqual(["bucket-ap", "fsx-ap"]);
  });

  test("a directory-bucket request signed for s3 (sent to s3-control) is refused", async () => {
    const response = await fetch(`${endpoint.url}/v20180820/accesspoint/${DIRECTORY_AP}/policy`, {
      headers: {
        "x-amz-account-id": ACCOUNT,
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
      },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("must be signed for s3express, not s3");
  });

  test("the deny list answers AccessDenied for a directory-bucket access point's scope too", async () => {
    endpoint.seed({
      accessPoints: [
        { accountId: ACCOUNT, name: "denied--use1-az4--xa-s3", bucket: "b--use1-az4--x-s3" },
      ],
    });
    expect(
      await outcome(
        client.send(
          new GetAccessPointScopeCommand({ AccountId: ACCOUNT, Name: "denied--use1-az4--xa-s3" }),
        ),
      ),
    ).toEqual({ error: "AccessDenied", status: 403 });
    expect(endpoint.stats().requests.GetAccessPointScope).toBe(1);
  });
});

describe("access points attached to FSx volumes", () => {
  test("ListAccessPoints lists them only with DataSourceType ALL, saying what they are attached to", async () => {
    const buckets = await client.send(new ListAccessPointsCommand({ AccountId: ACCOUNT }));
    expect(buckets.AccessPointList?.map((ap) => ap.Name)).toEqual(["bucket-ap"]);
    const all = await client.send(
      new ListAccessPointsCommand({ AccountId: ACCOUNT, DataSourceType: "ALL" }),
    );
    expect(all.AccessPointList?.find((ap) => ap.Name === "fsx-ap")).toMatchObject({
      DataSourceType: "FSX_OPENZFS",
      DataSourceId: "fsvol-0123456789abcdef0",
    });
  });
});

describe("fault knobs", () => {
  test("error and rate knobs apply to directory-bucket operations as to every other", async () => {
    const faulty = await startLocalEndpoint({ seedDocument: SEED, errorRate: 1 });
    const faultyClient = sdkClient(faulty.url);
    try {
      expect(
        await outcome(
          faultyClient.send(
            new GetAccessPointScopeCommand({ AccountId: ACCOUNT, Name: DIRECTORY_AP }),
          ),
        ),
      ).toEqual({ error: "InternalError", status: 500 });
      expect(
        await outcome(
          faultyClient.send(new ListAccessPointsForDirectoryBucketsCommand({ AccountId: ACCOUNT })),
        ),
      ).toEqual({ error: "InternalError", status: 500 });
      expect(faulty.stats().faults.error).toBe(2);
    } finally {
      faultyClient.destroy();
      await faulty.close();
    }
    const slow = await startLocalEndpoint({ seedDocument: SEED, rate: 1, burst: 1 });
    const slowClient = sdkClient(slow.url);
    try {
      const first = await outcome(
        slowClient.send(new ListAccessPointsForDirectoryBucketsCommand({ AccountId: ACCOUNT })),
      );
      const second = await outcome(
        slowClient.send(new ListAccessPointsForDirectoryBucketsCommand({ AccountId: ACCOUNT })),
      );
      expect([first, second].map((o) => ("error" in o ? o.error : "ok"))).toEqual([
        "ok",
        "SlowDown",
      ]);
    } finally {
      slowClient.destroy();
      await slow.close();
    }
  });
});
