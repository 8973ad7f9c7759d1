// Error mapping, retries and events of the adapter, with the SDK mocked at `send`.
import {
  DeleteAccessPointPolicyCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  ListAccessPointsCommand,
  ListRegionalBucketsCommand,
  PutAccessPointPolicyCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createS3ControlStore } from "../../src/aws/s3control-store.js";
import type { StoreEvent } from "../../src/aws/store-events.js";
import { AwsError } from "../../src/errors.js";
import type { AccessPointRef } from "../../src/model.js";
import { ACTION_NAMES } from "../../src/run/option-names.js";
import { awsError } from "./support/aws-error.js";

const s3 = mockClient(S3ControlClient);
const AP: AccessPointRef = { accountId: "111122223333", region: "eu-west-1", name: "reports-ap" };
const ARN = "arn:aws:s3:eu-west-1:111122223333:accesspoint/reports-ap";
const OUTPOST_AP: AccessPointRef = { ...AP, outpostId: "op-01234567890123456" };
const OUTPOST_ARN =
  "arn:aws:s3-outposts:eu-west-1:111122223333:outpost/op-01234567890123456/accesspoint/reports-ap";

let events: StoreEvent[];
let slept: number[];
let store: ReturnType<typeof createS3ControlStore>;

beforeEach(() => {
  s3.reset();
  events = [];
  slept = [];
  store = createS3ControlStore({
    ratePerSecond: 1000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    onEvent: (event) => events.push(event),
    clientFactory: (region) => new S3ControlClient({ region }),
  });
});

afterEach(() => store.destroy());

test("a live policy is kept parsed, not as AWS's text too", async () => {
  const raw = '{"Version":"2012-10-17","Statement":[]}';
  s3.on(GetAccessPointPolicyCommand, { AccountId: AP.accountId, Name: AP.name }).resolves({
    Policy: raw,
  });
  const live = await store.getPolicy(AP);
  expect(live).toEqual({ kind: "policy", policy: { Version: "2012-10-17", Statement: [] } });
  expect(Object.keys(live)).toEqual(["kind", "policy"]);
});

test("a live policy nested 5,000 deep is an error for that access point, not a stack overflow", async () => {
  const deep = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"X":{"k":${"[".repeat(5000)}${"]".repeat(5000)}}}}]}`;
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: deep });
  expect(await store.getPolicy(AP)).toEqual({
    kind: "error",
    code: "InvalidLivePolicy",
    message: `the live policy of ${ARN} is nested deeper than 64 levels; fix or delete it in AWS`,
  });
});

test("a 12 MB live policy is an error of that access point, read no further; 128 KiB is read", async () => {
  const policyOf = (actions: number) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: Array.from({ length: actions }, (_, i) => `s3:Get${i}`),
          Resource: `${ARN}/object/*`,
        },
      ],
    });
  const huge = policyOf(1_000_000);
  expect(huge.length).toBeGreaterThan(12_000_000);
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: huge });
  expect(await store.getPolicy(AP)).toEqual({
    kind: "error",
    code: "LivePolicyTooLarge",
    message:
      `the live policy of ${ARN} is ${huge.length.toLocaleString("en-US")} bytes, and AWS ` +
      "accepts policies of at most 20 KB: s3ap reads none over 128 KiB. Check that the " +
      "endpoint is S3 Control (--endpoint-url, AWS_ENDPOINT_URL_S3_CONTROL)",
  });

  const largest = policyOf(10_000).slice(0, -3);
  const padded = `${largest}${" ".repeat(128 * 1024 - largest.length - 3)}}]}`;
  expect(padded.length).toBe(128 * 1024);
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: padded });
  expect(await store.getPolicy(AP)).toMatchObject({ kind: "policy" });
});

test("a live policy is built without prototypes; __proto__ and inexact numbers are errors of that access point", async () => {
  s3.on(GetAccessPointPolicyCommand).resolves({
    Policy: '{"Version":"2012-10-17","Statement":[]}',
  });
  const live = await store.getPolicy(AP);
  expect(live.kind === "policy" && Object.getPrototypeOf(live.policy)).toBe(null);
  s3.on(GetAccessPointPolicyCommand).resolves({
    Policy: '{"Statement":[{"__proto__":{"Condition":{}}}]}',
  });
  expect(await store.getPolicy(AP)).toMatchObject({
    kind: "error",
    message: expect.stringContaining('holds the key "__proto__"'),
  });
  s3.on(GetAccessPointPolicyCommand).resolves({
    Policy: '{"Statement":[{"Condition":{"NumericEquals":{"k":9007199254740993}}}]}',
  });
  expect(await store.getPolicy(AP)).toMatchObject({
    kind: "error",
    message: expect.stringContaining("9007199254740993"),
  });
});

test("NoSuchAccessPointPolicy is the state 'no policy', not an error", async () => {
  s3.on(GetAccessPointPolicyCommand).rejects(awsError("NoSuchAccessPointPolicy", 404));
  expect(await store.getPolicy(AP)).toEqual({ kind: "none" });
  expect(events).toEqual([]);
});

test("a live policy that is not a JSON object is an error for that access point", async () => {
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: "not json" });
  expect(await store.getPolicy(AP)).toMatchObject({ kind: "error", code: "InvalidLivePolicy" });
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: "[1]" });
  expect(await store.getPolicy(AP)).toMatchObject({ kind: "error", code: "InvalidLivePolicy" });
});

test("a missing access point says s3ap never creates access points", async () => {
  s3.on(GetAccessPointPolicyCommand).rejects(awsError("NoSuchAccessPoint", 404));
  const live = await store.getPolicy(AP);
  expect(live).toEqual({
    kind: "error",
    code: "NoSuchAccessPoint",
    message:
      `access point ${ARN} does not exist in account 111122223333, region eu-west-1; ` +
      "s3ap never creates access points: create it or remove the file that declares it",
  });
  expect(s3.commandCalls(GetAccessPointPolicyCommand).length).toBe(1);
});

test.each([
  ["getPolicy", "s3:GetAccessPointPolicy"],
  ["putPolicy", "s3:PutAccessPointPolicy"],
  ["deletePolicy", "s3:DeleteAccessPointPolicy"],
] as const)(
  "AccessDenied on %s names the missing IAM action and the ARN",
  async (method, action) => {
    const denied = awsError("AccessDenied", 403, "Access Denied");
    s3.on(GetAccessPointPolicyCommand).rejects(denied);
    s3.on(PutAccessPointPolicyCommand).rejects(denied);
    s3.on(DeleteAccessPointPolicyCommand).rejects(denied);
    const run = async (): Promise<string> => {
      if (method === "getPolicy") {
        const live = await store.getPolicy(AP);
        if (live.kind !== "error") throw new Error(`expected an error, got ${live.kind}`);
        return live.message;
      }
      try {
        if (method === "putPolicy") await store.putPolicy(AP, "{}");
        else await store.deletePolicy(AP);
      } catch (error) {
        expect(error).toBeInstanceOf(AwsError);
        expect(error).toMatchObject({ code: "AccessDenied", retryable: false, httpStatus: 403 });
        return (error as Error).message;
      }
      throw new Error("expected a rejection");
    };
    const message = await run();
    expect(message).toContain(`needs ${action} on ${ARN}`);
    expect(message).toContain("AWS said: Access Denied");
    expect(s3.calls().length).toBe(1);
  },
);

test("AccessDenied on ListAccessPoints names s3:ListAccessPoints", async () => {
  s3.on(ListAccessPointsCommand).rejects(awsError("AccessDenied", 403));
  await expect(store.listAccessPoints("111122223333", "eu-west-1")).rejects.toThrow(
    "needs s3:ListAccessPoints on account 111122223333 in eu-west-1",
  );
});

test("AccessDenied on an Outposts access point names the s3-outposts action", async () => {
  s3.on(GetAccessPointPolicyCommand, { Name: OUTPOST_ARN }).rejects(awsError("AccessDenied", 403));
  const live = await store.getPolicy(OUTPOST_AP);
  expect(live).toMatchObject({ kind: "error", code: "AccessDenied" });
  if (live.kind === "error") {
    expect(live.message).toContain(`needs s3-outposts:GetAccessPointPolicy on ${OUTPOST_ARN}`);
  }
});

test("MalformedPolicy keeps AWS's message and hints at IAM propagation, without retrying", async () => {
  s3.on(PutAccessPointPolicyCommand).rejects(
    awsError("MalformedPolicy", 400, "Invalid principal in policy"),
  );
  const put = store.putPolicy(AP, "{}");
  await expect(put).rejects.toMatchObject({ code: "MalformedPolicy", retryable: false });
  await expect(put).rejects.toThrow(
    `AWS refused the policy for ${ARN} as malformed: Invalid principal in policy. If it names a ` +
      "principal created moments ago, IAM may not have propagated it yet",
  );
  expect(s3.commandCalls(PutAccessPointPolicyCommand).length).toBe(1);
});

test("InvalidRequest is reported with AWS's message and not retried", async () => {
  s3.on(PutAccessPointPolicyCommand).rejects(awsError("InvalidRequest", 400, "Bad thing"));
  await expect(store.putPolicy(AP, "{}")).rejects.toThrow(
    `AWS refused PutAccessPointPolicy for ${ARN} as invalid: Bad thing`,
  );
  expect(s3.commandCalls(PutAccessPointPolicyCommand).length).toBe(1);
});

test("throttles are retried with backoff, reported as events, and slow the rate down", async () => {
  s3.on(PutAccessPointPolicyCommand)
    .rejectsOnce(awsError("SlowDown", 503))
    .rejectsOnce(awsError("SlowDown", 503))
    .resolves({});
  await store.putPolicy(AP, '{"Version":"2012-10-17"}');
  expect(s3.commandCalls(PutAccessPointPolicyCommand).length).toBe(3);
  const retries = events.filter((event) => event.type === "retry");
  expect(retries).toEqual([
    {
      type: "retry",
      operation: "PutAccessPointPolicy",
      accessPoint: ARN,
      code: "SlowDown",
      attempt: 1,
      delayMs: 100,
    },
    {
      type: "retry",
      operation: "PutAccessPointPolicy",
      accessPoint: ARN,
      code: "SlowDown",
      attempt: 2,
      delayMs: 200,
    },
  ]);
  expect(slept).toContain(100);
  expect(slept).toContain(200);
  const rateChanges = events.filter((event) => event.type === "rate-change");
  expect(rateChanges[0]).toMatchObject({
    type: "rate-change",
    accountId: "111122223333",
    region: "eu-west-1",
    ratePerSecond: 700,
  });
});

test("5xx errors are retried and then succeed", async () => {
  s3.on(GetAccessPointPolicyCommand)
    .rejectsOnce(awsError("InternalError", 500))
    .rejectsOnce(awsError("ServiceUnavailable", 503))
    .resolves({ Policy: "{}" });
  expect(await store.getPolicy(AP)).toMatchObject({ kind: "policy" });
  expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.code)).toEqual(
    ["InternalError", "ServiceUnavailable"],
  );
  expect(events.filter((e) => e.type === "rate-change")).toEqual([]);
});

test("throttling that never ends becomes an error after a bounded number of attempts", async () => {
  s3.on(GetAccessPointPolicyCommand).rejects(awsError("SlowDown", 503));
  const live = await store.getPolicy(AP);
  expect(live).toMatchObject({ kind: "error", code: "SlowDown" });
  if (live.kind === "error") {
    expect(live.message).toContain(`S3 Control kept throttling GetAccessPointPolicy for ${ARN}`);
    expect(live.message).toContain("after 8 attempts; lower --rate or --concurrency");
  }
  expect(s3.commandCalls(GetAccessPointPolicyCommand).length).toBe(8);
});

test("its messages name the options as the entry that runs it does (the Action: its inputs)", async () => {
  const action = createS3ControlStore({
    maxAttempts: 2,
    sleep: async () => {},
    optionName: ACTION_NAMES.name,
    clientFactory: (region) => new S3ControlClient({ region }),
  });
  try {
    s3.on(GetAccessPointPolicyCommand).rejects(awsError("SlowDown", 503));
    const live = await action.getPolicy(AP);
    expect(live.kind === "error" && live.message).toContain(
      "after 2 attempts; lower input rate or input concurrency and re-run",
    );
    s3.on(GetAccessPointPolicyCommand).resolves({ Policy: `{"Sid":"${"x".repeat(200_000)}"}` });
    const large = await action.getPolicy(AP);
    expect(large.kind === "error" && large.message).toContain(
      "(input endpoint-url, AWS_ENDPOINT_URL_S3_CONTROL)",
    );
  } finally {
    action.destroy();
  }
});

test("deleting a policy that is already gone succeeds", async () => {
  s3.on(DeleteAccessPointPolicyCommand).rejects(awsError("NoSuchAccessPointPolicy", 404));
  await expect(store.deletePolicy(AP)).resolves.toBeUndefined();
});

test("the policy status is read, and is null where AWS does not support it", async () => {
  s3.on(GetAccessPointPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: false } });
  expect(await store.getPolicyStatus(AP)).toEqual({ isPublic: false });
  expect(await store.getPolicyStatus(OUTPOST_AP)).toBeNull();
  expect(s3.commandCalls(GetAccessPointPolicyStatusCommand).length).toBe(1);
  s3.on(GetAccessPointPolicyStatusCommand).rejects(awsError("UnsupportedOperation", 404));
  expect(await store.getPolicyStatus(AP)).toBeNull();
});

test("listAccessPoints follows NextToken and stops on a token loop", async () => {
  s3.on(ListAccessPointsCommand)
    .resolvesOnce({
      AccessPointList: [
        { Name: "a", Bucket: "b1", AccessPointArn: "arn:a", NetworkOrigin: "Internet" },
      ],
      NextToken: "t1",
    })
    .resolvesOnce({ AccessPointList: [{ Name: "b", Bucket: "b2", NetworkOrigin: "Internet" }] });
  expect(await store.listAccessPoints("111122223333", "eu-west-1")).toEqual([
    { name: "a", bucket: "b1", arn: "arn:a" },
    { name: "b", bucket: "b2" },
  ]);
  const calls = s3.commandCalls(ListAccessPointsCommand).map((call) => call.args[0].input);
  expect(calls).toEqual([
    { AccountId: "111122223333", DataSourceType: "ALL", MaxResults: 1000 },
    { AccountId: "111122223333", DataSourceType: "ALL", MaxResults: 1000, NextToken: "t1" },
  ]);

  s3.reset();
  s3.on(ListAccessPointsCommand).resolves({ AccessPointList: [], NextToken: "same" });
  await expect(store.listAccessPoints("111122223333", "eu-west-1")).rejects.toMatchObject({
    code: "PaginationLoop",
  });
});

test("an endpoint that names a new NextToken forever is read for 100 pages, then refused", async () => {
  let page = 0;
  // A broken or hostile endpoint: every answer holds names and a token never seen before
  // (stopping after 1,000 pages only so that an unbounded reader ends).
  s3.on(ListAccessPointsCommand).callsFake(() => {
    page += 1;
    return {
      AccessPointList: Array.from({ length: 10 }, (_, i) => ({
        Name: `ap-${page}-${i}`,
        Bucket: "b",
        NetworkOrigin: "Internet",
      })),
      ...(page < 1000 ? { NextToken: `token-${page}` } : {}),
    };
  });
  await expect(store.listAccessPoints("111122223333", "eu-west-1")).rejects.toMatchObject({
    code: "TooManyPages",
    message:
      "ListAccessPoints for account 111122223333 in eu-west-1 still named a next NextToken after " +
      "100 pages; s3ap reads at most 100 pages of one listing, far more than a real one needs, " +
      "so the endpoint's pagination is broken: nothing more is read from it",
  });
  expect(s3.commandCalls(ListAccessPointsCommand)).toHaveLength(100);
});

test("with an Outpost id, listAccessPoints lists that Outpost's buckets, then each bucket's access points", async () => {
  const bucketArn = (name: string) =>
    `arn:aws:s3-outposts:eu-west-1:111122223333:outpost/op-01234567890123456/bucket/${name}`;
  s3.on(ListRegionalBucketsCommand)
    .resolvesOnce({
      RegionalBucketList: [
        {
          Bucket: "b1",
          BucketArn: bucketArn("b1"),
          PublicAccessBlockEnabled: true,
          CreationDate: new Date(0),
        },
      ],
      NextToken: "more",
    })
    .resolvesOnce({
      RegionalBucketList: [
        {
          Bucket: "b2",
          BucketArn: bucketArn("b2"),
          PublicAccessBlockEnabled: true,
          CreationDate: new Date(0),
        },
      ],
    });
  s3.on(ListAccessPointsCommand, { Bucket: bucketArn("b1") }).resolves({
    AccessPointList: [{ Name: "ap-1", Bucket: bucketArn("b1"), NetworkOrigin: "VPC" }],
  });
  s3.on(ListAccessPointsCommand, { Bucket: bucketArn("b2") }).resolves({
    AccessPointList: [{ Name: "ap-2", Bucket: bucketArn("b2"), NetworkOrigin: "VPC" }],
  });
  expect(await store.listAccessPoints("111122223333", "eu-west-1", "op-01234567890123456")).toEqual(
    [
      { name: "ap-1", bucket: bucketArn("b1"), outpostId: "op-01234567890123456" },
      { name: "ap-2", bucket: bucketArn("b2"), outpostId: "op-01234567890123456" },
    ],
  );
  expect(s3.commandCalls(ListRegionalBucketsCommand).map((c) => c.args[0].input)).toEqual([
    { AccountId: "111122223333", OutpostId: "op-01234567890123456", MaxResults: 1000 },
    {
      AccountId: "111122223333",
      OutpostId: "op-01234567890123456",
      MaxResults: 1000,
      NextToken: "more",
    },
  ]);

  s3.reset();
  s3.on(ListRegionalBucketsCommand).rejects(awsError("AccessDenied", 403));
  await expect(
    store.listAccessPoints("111122223333", "eu-west-1", "op-01234567890123456"),
  ).rejects.toThrow("needs s3-outposts:ListRegionalBuckets on Outpost op-01234567890123456");
});

test("one client per region, created lazily and reused", async () => {
  const regions: string[] = [];
  const counting = createS3ControlStore({
    ratePerSecond: 1000,
    sleep: async () => {},
    clientFactory: (region) => {
      regions.push(region);
      return new S3ControlClient({ region });
    },
  });
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: "{}" });
  expect(regions).toEqual([]);
  await counting.getPolicy(AP);
  await counting.getPolicy({ ...AP, name: "other-ap" });
  await counting.getPolicy({ ...AP, region: "us-east-1" });
  expect(regions).toEqual(["eu-west-1", "us-east-1"]);
  counting.destroy();
});
