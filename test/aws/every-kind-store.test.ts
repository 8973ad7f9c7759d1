// The adapter for every kind of access point, with the SDK mocked at `send`: FSx-attached ones in
// the listing, directory buckets' scope, Multi-Region Access Points' asynchronous write.
import {
  DeleteAccessPointScopeCommand,
  DescribeMultiRegionAccessPointOperationCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointScopeCommand,
  GetMultiRegionAccessPointCommand,
  GetMultiRegionAccessPointPolicyCommand,
  ListAccessPointsCommand,
  ListAccessPointsForDirectoryBucketsCommand,
  ListMultiRegionAccessPointsCommand,
  PutAccessPointScopeCommand,
  PutMultiRegionAccessPointPolicyCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, expect, test } from "vitest";
import { MULTI_REGION } from "../../src/access-point/kind.js";
import { createS3ControlStore } from "../../src/aws/s3control-store.js";
import { AwsError } from "../../src/errors.js";
import type { AccessPointRef } from "../../src/model.js";
import { awsError } from "./support/aws-error.js";

const s3 = mockClient(S3ControlClient);
const ACCOUNT = "111122223333";
const DIRECTORY: AccessPointRef = {
  accountId: ACCOUNT,
  region: "us-east-1",
  name: "reports--use1-az4--xa-s3",
};
const MRAP: AccessPointRef = {
  accountId: ACCOUNT,
  region: MULTI_REGION,
  name: "global-reports",
  alias: "mfzwi23gnjvgw.mrap",
};
const TOKEN = `arn:aws:s3:us-west-2:${ACCOUNT}:async-request/mrap/put-policy/abc`;

let slept: number[];
let clientRegions: string[];
let store: ReturnType<typeof createS3ControlStore>;

beforeEach(() => {
  s3.reset();
  slept = [];
  clientRegions = [];
  store = createS3ControlStore({
    ratePerSecond: 1000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    multiRegionPollDelaysMs: [100, 200, 400],
    clientFactory: (region) => {
      clientRegions.push(region);
      return new S3ControlClient({ region });
    },
  });
});

afterEach(() => store.destroy());

test("ListAccessPoints asks for every data source and keeps what each access point is attached to", async () => {
  s3.on(ListAccessPointsCommand).resolves({
    AccessPointList: [
      { Name: "bucket-ap", Bucket: "b", NetworkOrigin: "Internet" },
      {
        Name: "fsx-ap",
        Bucket: "fsx-ap-ext-s3alias",
        NetworkOrigin: "Internet",
        DataSourceType: "FSX_OPENZFS",
        DataSourceId: "fsvol-0123456789abcdef0",
      },
    ],
  });
  const listed = await store.listAccessPoints(ACCOUNT, "us-east-1");
  expect(s3.commandCalls(ListAccessPointsCommand)[0]?.args[0].input).toMatchObject({
    AccountId: ACCOUNT,
    DataSourceType: "ALL",
  });
  expect(listed).toEqual([
    { name: "bucket-ap", bucket: "b" },
    {
      name: "fsx-ap",
      bucket: "fsx-ap-ext-s3alias",
      dataSourceType: "FSX_OPENZFS",
      dataSourceId: "fsvol-0123456789abcdef0",
    },
  ]);
});

test("a directory-bucket access point is read with its scope; no scope reads as null", async () => {
  const policy = '{"Version":"2012-10-17","Statement":[]}';
  s3.on(GetAccessPointPolicyCommand).resolves({ Policy: policy });
  s3.on(GetAccessPointScopeCommand)
    .resolvesOnce({ Scope: { Prefixes: ["logs/"], Permissions: ["GetObject"] } })
    .rejectsOnce(awsError("NoSuchAccessPointScope", 404))
    .resolves({ Scope: { Prefixes: [], Permissions: [] } });
  expect(await store.getPolicy(DIRECTORY)).toMatchObject({
    kind: "policy",
    scope: { prefixes: ["logs/"], permissions: ["GetObject"] },
  });
  expect(await store.getPolicy(DIRECTORY)).toMatchObject({ kind: "policy", scope: null });
  expect(await store.getPolicy(DIRECTORY)).toMatchObject({ kind: "policy", scope: null });
  expect(s3.commandCalls(GetAccessPointScopeCommand)[0]?.args[0].input).toEqual({
    AccountId: ACCOUNT,
    Name: DIRECTORY.name,
  });
});

test("a scope that cannot be read makes the access point an error naming s3express", async () => {
  s3.on(GetAccessPointPolicyCommand).rejects(awsError("NoSuchAccessPointPolicy", 404));
  s3.on(GetAccessPointScopeCommand).rejects(awsError("AccessDenied", 403));
  const live = await store.getPolicy(DIRECTORY);
  expect(live).toMatchObject({ kind: "error", code: "AccessDenied" });
  expect(live.kind === "error" && live.message).toContain(
    "needs s3express:GetAccessPointScope on arn:aws:s3express:us-east-1:111122223333:accesspoint/reports--use1-az4--xa-s3",
  );
});

test("a scope is written and deleted by name; deleting none is success", async () => {
  s3.on(PutAccessPointScopeCommand).resolves({});
  s3.on(DeleteAccessPointScopeCommand).rejects(awsError("NoSuchAccessPointScope", 404));
  await store.putScope(DIRECTORY, { prefixes: ["a/"], permissions: ["PutObject"] });
  await store.deleteScope(DIRECTORY);
  expect(s3.commandCalls(PutAccessPointScopeCommand)[0]?.args[0].input).toEqual({
    AccountId: ACCOUNT,
    Name: DIRECTORY.name,
    Scope: { Prefixes: ["a/"], Permissions: ["PutObject"] },
  });
  expect(s3.commandCalls(DeleteAccessPointScopeCommand)).toHaveLength(1);
});

test("directory-bucket access points are listed with ListAccessPointsForDirectoryBuckets, every page", async () => {
  s3.on(ListAccessPointsForDirectoryBucketsCommand)
    .resolvesOnce({
      AccessPointList: [
        { Name: "a--use1-az4--xa-s3", Bucket: "b--use1-az4--x-s3", NetworkOrigin: "Internet" },
      ],
      NextToken: "t",
    })
    .resolves({
      AccessPointList: [
        { Name: "b--use1-az4--xa-s3", Bucket: "b--use1-az4--x-s3", NetworkOrigin: "VPC" },
      ],
    });
  const listed = await store.listDirectoryAccessPoints(ACCOUNT, "us-east-1");
  expect(listed.map((ap) => ap.name)).toEqual(["a--use1-az4--xa-s3", "b--use1-az4--xa-s3"]);
  expect(
    s3.commandCalls(ListAccessPointsForDirectoryBucketsCommand)[1]?.args[0].input,
  ).toMatchObject({ NextToken: "t" });
});

test("a Multi-Region Access Point is read from us-west-2: Established, and a Proposed one only when it differs", async () => {
  const established = '{"Version":"2012-10-17","Statement":[{"Sid":"A"}]}';
  const proposed = '{"Version":"2012-10-17","Statement":[{"Sid":"B"}]}';
  s3.on(GetMultiRegionAccessPointCommand).resolves({
    AccessPoint: { Name: MRAP.name, Alias: "live1.mrap" },
  });
  s3.on(GetMultiRegionAccessPointPolicyCommand)
    .resolvesOnce({
      Policy: { Established: { Policy: established }, Proposed: { Policy: established } },
    })
    .resolvesOnce({
      Policy: { Established: { Policy: established }, Proposed: { Policy: proposed } },
    })
    .rejects(awsError("NoSuchMultiRegionAccessPointPolicy", 404));
  const same = await store.getPolicy(MRAP);
  // With the alias AWS gave it: plan checks the file's against it.
  expect(same).toEqual({
    kind: "policy",
    policy: { Version: "2012-10-17", Statement: [{ Sid: "A" }] },
    alias: "live1.mrap",
  });
  expect(await store.getPolicy(MRAP)).toMatchObject({
    kind: "policy",
    proposed: { Statement: [{ Sid: "B" }] },
  });
  expect(await store.getPolicy(MRAP)).toEqual({ kind: "none", alias: "live1.mrap" });
  expect(clientRegions).toEqual(["us-west-2"]);
  for (const command of [
    GetMultiRegionAccessPointPolicyCommand,
    GetMultiRegionAccessPointCommand,
  ]) {
    expect(s3.commandCalls(command)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT,
      Name: MRAP.name,
    });
  }
});

test("a Multi-Region Access Point that cannot be read is an error for it alone", async () => {
  s3.on(GetMultiRegionAccessPointCommand).rejects(awsError("AccessDenied", 403));
  s3.on(GetMultiRegionAccessPointPolicyCommand).resolves({
    Policy: { Established: { Policy: '{"Version":"2012-10-17","Statement":[]}' } },
  });
  const read = await store.getPolicy(MRAP);
  expect(read).toMatchObject({ kind: "error", code: "AccessDenied" });
  expect(read.kind === "error" ? read.message : "").toContain("s3:GetMultiRegionAccessPoint");
});

test("a Multi-Region write waits on its operation with backoff until it SUCCEEDED", async () => {
  s3.on(PutMultiRegionAccessPointPolicyCommand).resolves({ RequestTokenARN: TOKEN });
  s3.on(DescribeMultiRegionAccessPointOperationCommand)
    .resolvesOnce({ AsyncOperation: { RequestStatus: "NEW" } })
    .resolvesOnce({ AsyncOperation: { RequestStatus: "IN_PROGRESS" } })
    .resolves({ AsyncOperation: { RequestStatus: "SUCCEEDED" } });
  await store.putPolicy(MRAP, '{"Version":"2012-10-17"}');
  const put = s3.commandCalls(PutMultiRegionAccessPointPolicyCommand)[0]?.args[0].input;
  expect(put).toMatchObject({
    AccountId: ACCOUNT,
    Details: { Name: MRAP.name, Policy: '{"Version":"2012-10-17"}' },
  });
  expect(put?.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
  expect(s3.commandCalls(DescribeMultiRegionAccessPointOperationCommand)[0]?.args[0].input).toEqual(
    {
      AccountId: ACCOUNT,
      RequestTokenARN: TOKEN,
    },
  );
  expect(slept).toEqual([100, 200]);
  expect(clientRegions).toEqual(["us-west-2"]);
});

test("a FAILED Multi-Region write is reported with AWS's error", async () => {
  s3.on(PutMultiRegionAccessPointPolicyCommand).resolves({ RequestTokenARN: TOKEN });
  s3.on(DescribeMultiRegionAccessPointOperationCommand).resolves({
    AsyncOperation: {
      RequestStatus: "FAILED",
      ResponseDetails: {
        ErrorDetails: { Code: "MalformedPolicy", Message: "Policy has invalid resource" },
      },
    },
  });
  const error = await store.putPolicy(MRAP, "{}").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsError);
  expect((error as AwsError).code).toBe("MalformedPolicy");
  expect((error as AwsError).message).toContain(
    "FAILED: Policy has invalid resource [MalformedPolicy]",
  );
  expect((error as AwsError).message).toContain(TOKEN);
});

test("a Multi-Region write still running after the last poll is an error that says it may complete", async () => {
  s3.on(PutMultiRegionAccessPointPolicyCommand).resolves({ RequestTokenARN: TOKEN });
  s3.on(DescribeMultiRegionAccessPointOperationCommand).resolves({
    AsyncOperation: { RequestStatus: "IN_PROGRESS" },
  });
  const error = (await store.putPolicy(MRAP, "{}").catch((e: unknown) => e)) as AwsError;
  expect(error.code).toBe("MultiRegionAccessPointOperationPending");
  expect(error.message).toContain("still IN_PROGRESS after 1 s");
  expect(slept).toEqual([100, 200, 400]);
  expect(s3.commandCalls(DescribeMultiRegionAccessPointOperationCommand)).toHaveLength(4);
});

test("a throttled Multi-Region write is retried with the same client token", async () => {
  s3.on(PutMultiRegionAccessPointPolicyCommand)
    .rejectsOnce(awsError("SlowDown", 503))
    .resolves({ RequestTokenARN: TOKEN });
  s3.on(DescribeMultiRegionAccessPointOperationCommand).resolves({
    AsyncOperation: { RequestStatus: "SUCCEEDED" },
  });
  await store.putPolicy(MRAP, "{}");
  const tokens = s3
    .commandCalls(PutMultiRegionAccessPointPolicyCommand)
    .map((c) => c.args[0].input.ClientToken);
  expect(tokens).toHaveLength(2);
  expect(tokens[0]).toBe(tokens[1]);
});

test("Multi-Region Access Points are listed per account with their alias and ARN", async () => {
  s3.on(ListMultiRegionAccessPointsCommand).resolves({
    AccessPoints: [{ Name: "global-reports", Alias: "mfzwi23gnjvgw.mrap" }],
  });
  expect(await store.listMultiRegionAccessPoints(ACCOUNT)).toEqual([
    {
      name: "global-reports",
      alias: "mfzwi23gnjvgw.mrap",
      arn: "arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap",
    },
  ]);
});

test("deleting a Multi-Region Access Point's policy is refused: AWS has no such operation", async () => {
  await expect(store.deletePolicy(MRAP)).rejects.toThrow("AWS has no way to delete its policy");
});
