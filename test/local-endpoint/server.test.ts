// The local endpoint through the real AWS SDK v3 client: what s3ap itself will see.
import {
  CreateAccessPointCommand,
  DeleteAccessPointCommand,
  DeleteAccessPointPolicyCommand,
  GetAccessPointCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  ListAccessPointsCommand,
  PutAccessPointPolicyCommand,
  paginateListAccessPoints,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  type LocalEndpoint,
  type LocalEndpointState,
  startLocalEndpoint,
} from "../../src/local-endpoint/server.js";
import { ACCOUNT, outcome, sdkClient } from "./sdk.js";

let endpoint: LocalEndpoint;
let client: S3ControlClient;

beforeAll(async () => {
  endpoint = await startLocalEndpoint({ denyAccessPoints: ["forbidden-ap"] });
  client = sdkClient(endpoint.url);
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});
beforeEach(() => endpoint.reset());

const policyFor = (name: string, principal: unknown = { AWS: `arn:aws:iam::${ACCOUNT}:root` }) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: principal,
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}/object/*`,
      },
    ],
  });

async function create(name: string, bucket = "data-bucket", c = client): Promise<void> {
  await c.send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: name, Bucket: bucket }));
}

describe("access points", () => {
  test("create returns the ARN and an s3alias; get returns what was created", async () => {
    const created = await client.send(
      new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: "reports-ap", Bucket: "reports" }),
    );
    expect(created.AccessPointArn).toBe(`arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/reports-ap`);
    expect(created.Alias).toMatch(/^reports-ap-[0-9a-f]{34}-s3alias$/);
    const got = await client.send(
      new GetAccessPointCommand({ AccountId: ACCOUNT, Name: "reports-ap" }),
    );
    expect(got).toMatchObject({
      Name: "reports-ap",
      Bucket: "reports",
      NetworkOrigin: "Internet",
      AccessPointArn: created.AccessPointArn,
      Alias: created.Alias,
      BucketAccountId: ACCOUNT,
      PublicAccessBlockConfiguration: { BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    expect(got.Endpoints?.ipv4).toBe("s3-accesspoint.us-east-1.amazonaws.com");
    expect(got.CreationDate).toBeInstanceOf(Date);
  });

  test("a second create of the same name is refused, as AWS does", async () => {
    await create("twice-ap");
    expect(
      await outcome(
        client.send(
          new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: "twice-ap", Bucket: "b" }),
        ),
      ),
    ).toEqual({ error: "AccessPointAlreadyOwnedByYou", status: 409 });
  });

  test("names AWS refuses are InvalidRequest", async () => {
    for (const name of ["ab", "Upper-ap", "ends-", "x-s3alias", "under_score"]) {
      expect(
        await outcome(
          client.send(
            new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: name, Bucket: "b" }),
          ),
        ),
      ).toEqual({ error: "InvalidRequest", status: 400 });
    }
  });

  test("delete removes it; deleting or reading a missing one is NoSuchAccessPoint 404", async () => {
    await create("gone-ap");
    await client.send(new DeleteAccessPointCommand({ AccountId: ACCOUNT, Name: "gone-ap" }));
    const missing = { error: "NoSuchAccessPoint", status: 404 };
    expect(
      await outcome(
        client.send(new GetAccessPointCommand({ AccountId: ACCOUNT, Name: "gone-ap" })),
      ),
    ).toEqual(missing);
    expect(
      await outcome(
        client.send(new DeleteAccessPointCommand({ AccountId: ACCOUNT, Name: "gone-ap" })),
      ),
    ).toEqual(missing);
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "gone-ap" })),
      ),
    ).toEqual(missing);
    expect(
      await outcome(
        client.send(
          new PutAccessPointPolicyCommand({
            AccountId: ACCOUNT,
            Name: "gone-ap",
            Policy: policyFor("gone-ap"),
          }),
        ),
      ),
    ).toEqual(missing);
  });

  test("accounts and regions are separate namespaces", async () => {
    await create("shared-name");
    expect(
      await outcome(
        client.send(new GetAccessPointCommand({ AccountId: "444455556666", Name: "shared-name" })),
      ),
    ).toEqual({ error: "NoSuchAccessPoint", status: 404 });
    const west = sdkClient(endpoint.url, { region: "eu-west-1" });
    try {
      expect(
        await outcome(
          west.send(new GetAccessPointCommand({ AccountId: ACCOUNT, Name: "shared-name" })),
        ),
      ).toEqual({ error: "NoSuchAccessPoint", status: 404 });
      await create("shared-name", "b", west);
      const got = await west.send(
        new GetAccessPointCommand({ AccountId: ACCOUNT, Name: "shared-name" }),
      );
      expect(got.AccessPointArn).toBe(`arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/shared-name`);
    } finally {
      west.destroy();
    }
  });
});

describe("policies", () => {
  test("put, get (verbatim, XML special characters intact), delete", async () => {
    await create("policy-ap");
    const text = `{"Version":"2012-10-17","Statement":[{"Sid":"a<b>&'\\"c","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"s3:GetObject","Resource":"*"}]}`;
    await client.send(
      new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "policy-ap", Policy: text }),
    );
    const got = await client.send(
      new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "policy-ap" }),
    );
    expect(got.Policy).toBe(text);
    await client.send(
      new DeleteAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "policy-ap" }),
    );
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "policy-ap" })),
      ),
    ).toEqual({ error: "NoSuchAccessPointPolicy", status: 404 });
    // Deleting an absent policy is not an error.
    expect(
      await outcome(
        client.send(new DeleteAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "policy-ap" })),
      ),
    ).toEqual({ ok: {} });
  });

  test("MalformedPolicy for text that is not JSON, lacks Statement, or exceeds 20 KB", async () => {
    await create("strict-ap");
    const statement = JSON.parse(policyFor("strict-ap")).Statement[0];
    const big = JSON.stringify({
      Version: "2012-10-17",
      Statement: Array.from({ length: 120 }, (_, i) => ({ ...statement, Sid: `S${i}` })),
    });
    expect(Buffer.byteLength(big)).toBeGreaterThan(20 * 1024);
    for (const bad of ["not json", "[1]", '{"Version":"2012-10-17"}', big]) {
      expect(
        await outcome(
          client.send(
            new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "strict-ap", Policy: bad }),
          ),
        ),
      ).toEqual({ error: "MalformedPolicy", status: 400 });
    }
    const justUnder = JSON.stringify({
      Version: "2012-10-17",
      Statement: Array.from({ length: 20 }, (_, i) => ({ ...statement, Sid: `S${i}` })),
    });
    expect(
      await outcome(
        client.send(
          new PutAccessPointPolicyCommand({
            AccountId: ACCOUNT,
            Name: "strict-ap",
            Policy: justUnder,
          }),
        ),
      ),
    ).toEqual({ ok: {} });
  });

  test("policy status: public only for an unconditioned grant to everyone", async () => {
    await create("status-ap");
    expect(
      await outcome(
        client.send(
          new GetAccessPointPolicyStatusCommand({ AccountId: ACCOUNT, Name: "status-ap" }),
        ),
      ),
    ).toEqual({ error: "NoSuchAccessPointPolicy", status: 404 });
    await client.send(
      new PutAccessPointPolicyCommand({
        AccountId: ACCOUNT,
        Name: "status-ap",
        Policy: policyFor("status-ap"),
      }),
    );
    const privateStatus = await client.send(
      new GetAccessPointPolicyStatusCommand({ AccountId: ACCOUNT, Name: "status-ap" }),
    );
    expect(privateStatus.PolicyStatus?.IsPublic).toBe(false);
    await client.send(
      new PutAccessPointPolicyCommand({
        AccountId: ACCOUNT,
        Name: "status-ap",
        Policy: policyFor("status-ap", "*"),
      }),
    );
    const publicStatus = await client.send(
      new GetAccessPointPolicyStatusCommand({ AccountId: ACCOUNT, Name: "status-ap" }),
    );
    expect(publicStatus.PolicyStatus?.IsPublic).toBe(true);
  });

  test("the deny knob answers AccessDenied 403 for that access point only", async () => {
    endpoint.seed({ accessPoints: [{ accountId: ACCOUNT, name: "forbidden-ap", bucket: "b" }] });
    await create("allowed-ap");
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "forbidden-ap" })),
      ),
    ).toEqual({ error: "AccessDenied", status: 403 });
    expect(
      await outcome(
        client.send(
          new PutAccessPointPolicyCommand({
            AccountId: ACCOUNT,
            Name: "forbidden-ap",
            Policy: policyFor("forbidden-ap"),
          }),
        ),
      ),
    ).toEqual({ error: "AccessDenied", status: 403 });
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "allowed-ap" })),
      ),
    ).toEqual({ error: "NoSuchAccessPointPolicy", status: 404 });
    expect(endpoint.stats().faults.denied).toBe(2);
  });
});

describe("listing", () => {
  test("pages of 1000 by default with NextToken, in name order, filtered by bucket", async () => {
    const accessPoints = Array.from({ length: 2101 }, (_, i) => ({
      accountId: ACCOUNT,
      name: `ap-${String(2101 - i).padStart(4, "0")}`,
      bucket: i % 2 === 0 ? "even" : "odd",
    }));
    endpoint.seed({ accessPoints });
    const first = await client.send(new ListAccessPointsCommand({ AccountId: ACCOUNT }));
    expect(first.AccessPointList).toHaveLength(1000);
    expect(first.NextToken).toBeTruthy();
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListAccessPoints({ client }, { AccountId: ACCOUNT })) {
      pages++;
      for (const ap of page.AccessPointList ?? []) names.push(ap.Name ?? "");
    }
    expect(pages).toBe(3);
    expect(names).toEqual(accessPoints.map((a) => a.name).sort());
    const small: string[] = [];
    for await (const page of paginateListAccessPoints(
      { client, pageSize: 7 },
      { AccountId: ACCOUNT, Bucket: "odd" },
    )) {
      expect((page.AccessPointList ?? []).length).toBeLessThanOrEqual(7);
      for (const ap of page.AccessPointList ?? []) small.push(ap.Name ?? "");
    }
    expect(small).toEqual(
      accessPoints
        .filter((a) => a.bucket === "odd")
        .map((a) => a.name)
        .sort(),
    );
  });

  test("an empty account lists nothing and no NextToken", async () => {
    const out = await client.send(new ListAccessPointsCommand({ AccountId: "999999999999" }));
    expect(out.AccessPointList ?? []).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  test("a forged NextToken is InvalidRequest", async () => {
    expect(
      await outcome(
        client.send(new ListAccessPointsCommand({ AccountId: ACCOUNT, NextToken: "!!garbage" })),
      ),
    ).toEqual({ error: "InvalidRequest", status: 400 });
  });
});

describe("admin endpoints", () => {
  test("seed, state, stats and reset (also as /moto-api/reset)", async () => {
    const seeded = await fetch(`${endpoint.url}/__local/seed`, {
      method: "POST",
      body: JSON.stringify({
        accessPoints: [
          {
            accountId: ACCOUNT,
            name: "seeded-ap",
            bucket: "b",
            policy: { Version: "2012-10-17", Statement: [] },
          },
          { accountId: ACCOUNT, region: "eu-west-1", name: "other-ap", bucket: "b" },
        ],
      }),
    });
    expect(await seeded.json()).toEqual({ seeded: 2 });
    await client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "seeded-ap" }));
    const state = (await (
      await fetch(`${endpoint.url}/__local/state`)
    ).json()) as LocalEndpointState;
    expect(state.accessPoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "seeded-ap",
          policy: '{"Version":"2012-10-17","Statement":[]}',
        }),
        expect.objectContaining({ name: "other-ap", region: "eu-west-1", policy: null }),
      ]),
    );
    const stats = await (await fetch(`${endpoint.url}/__local/stats`)).json();
    expect(stats).toMatchObject({
      total: 1,
      requests: { GetAccessPointPolicy: 1 },
      accessPoints: 2,
      policies: 1,
    });
    const bad = await fetch(`${endpoint.url}/__local/seed`, {
      method: "POST",
      body: '{"accessPoints":[{"accountId":42}]}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/accountId/);
    expect((await fetch(`${endpoint.url}/moto-api/reset`, { method: "POST" })).status).toBe(200);
    expect(endpoint.state().accessPoints).toEqual([]);
    expect(endpoint.stats().total).toBe(0);
  });

  test("a request without x-amz-account-id is InvalidRequest; unknown operations NotImplemented", async () => {
    const noAccount = await fetch(`${endpoint.url}/v20180820/accesspoint/some-ap/policy`);
    expect(noAccount.status).toBe(400);
    expect(await noAccount.text()).toContain("<Code>InvalidRequest</Code>");
    const unknown = await fetch(`${endpoint.url}/v20180820/mrap/instances`, {
      headers: { "x-amz-account-id": ACCOUNT },
    });
    expect(unknown.status).toBe(501);
    expect(await unknown.text()).toContain("<Code>NotImplemented</Code>");
  });
});
