// The endpoint rules are evaluated once per distinct answer, and the cached answers still send
// every request where the rules would.
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { beforeAll, expect, test } from "vitest";
import { cacheEndpoints, endpointCacheKey } from "../../src/aws/endpoint-cache.js";
import { capturingStore } from "./support/capturing-store.js";

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});

test("bare names share one entry; ARNs, accounts and regions do not", () => {
  const base = { AccountId: "111122223333", Region: "us-east-1", RequiresAccountId: true };
  const key = (extra: object) => endpointCacheKey({ ...base, ...extra } as never);
  expect(key({ AccessPointName: "ap-00001" })).toBe(key({ AccessPointName: "ap-09999" }));
  const arn =
    "arn:aws:s3-outposts:us-east-1:111122223333:outpost/op-01234567890123456/accesspoint/a";
  expect(key({ AccessPointName: arn })).not.toBe(key({ AccessPointName: "a" }));
  expect(key({ AccessPointName: "a", AccountId: "444455556666" })).not.toBe(
    key({ AccessPointName: "a" }),
  );
  expect(key({ AccessPointName: "a", Region: "eu-west-1" })).not.toBe(
    key({ AccessPointName: "a" }),
  );
});

test("the rules run once for many access points of one account", async () => {
  const client = new S3ControlClient({ region: "us-east-1" });
  let evaluations = 0;
  const rules = client.config.endpointProvider;
  client.config.endpointProvider = (params, context) => {
    evaluations++;
    return rules(params, context);
  };
  cacheEndpoints(client);
  const params = { AccountId: "111122223333", Region: "us-east-1", RequiresAccountId: true };
  const first = client.config.endpointProvider({ ...params, AccessPointName: "ap-1" } as never);
  for (let i = 2; i <= 100; i++) {
    client.config.endpointProvider({ ...params, AccessPointName: `ap-${i}` } as never);
  }
  expect(evaluations).toBe(1);
  expect(first.url.hostname).toBe("111122223333.s3-control.us-east-1.amazonaws.com");
  client.destroy();
});

test("cached answers still route each account, and Outposts, where the rules say", async () => {
  const { store, hosts } = capturingStore();
  const outposts = { outpostId: "op-01234567890123456" };
  await store.getPolicy({ accountId: "111122223333", region: "us-east-1", name: "a1" });
  await store.getPolicy({ accountId: "111122223333", region: "us-east-1", name: "a2" });
  await store.getPolicy({ accountId: "444455556666", region: "us-east-1", name: "a1" });
  await store.getPolicy({
    accountId: "111122223333",
    region: "us-east-1",
    name: "a3",
    ...outposts,
  });
  await store.getPolicy({ accountId: "111122223333", region: "us-east-1", name: "a4" });
  store.destroy();
  expect(hosts()).toEqual([
    "111122223333.s3-control.us-east-1.amazonaws.com -",
    "111122223333.s3-control.us-east-1.amazonaws.com -",
    "444455556666.s3-control.us-east-1.amazonaws.com -",
    "s3-outposts.us-east-1.amazonaws.com op-01234567890123456",
    "111122223333.s3-control.us-east-1.amazonaws.com -",
  ]);
});

test("with a custom endpoint every cached answer still goes to exactly that URL", async () => {
  const { store, hosts } = capturingStore("http://127.0.0.1:4599");
  await store.getPolicy({ accountId: "111122223333", region: "us-east-1", name: "a1" });
  await store.getPolicy({ accountId: "444455556666", region: "us-east-1", name: "a2" });
  store.destroy();
  expect(hosts()).toEqual(["127.0.0.1:4599 -", "127.0.0.1:4599 -"]);
});

test("a directory-bucket name gets its own entry: s3express-control, signed for s3express", () => {
  const base = { AccountId: "111122223333", Region: "us-east-1", RequiresAccountId: true };
  const key = (name: string) => endpointCacheKey({ ...base, AccessPointName: name } as never);
  expect(key("ap-1--use1-az4--xa-s3")).toBe(key("ap-2--use1-az5--xa-s3"));
  expect(key("ap-1--use1-az4--xa-s3")).not.toBe(key("ap-1"));
});

test("cached answers send a directory-bucket access point to s3express-control after a general one", async () => {
  const { store, signed } = capturingStore();
  const ref = { accountId: "111122223333", region: "us-east-1" };
  await store.getPolicy({ ...ref, name: "general-ap" });
  await store.getPolicy({ ...ref, name: "reports--use1-az4--xa-s3" });
  await store.getPolicy({ ...ref, name: "general-ap-2" });
  store.destroy();
  expect(signed()).toEqual([
    "111122223333.s3-control.us-east-1.amazonaws.com GET /v20180820/accesspoint/general-ap/policy s3/us-east-1",
    "s3express-control.us-east-1.amazonaws.com GET /v20180820/accesspoint/reports--use1-az4--xa-s3/policy s3express/us-east-1",
    "s3express-control.us-east-1.amazonaws.com GET /v20180820/accesspoint/reports--use1-az4--xa-s3/scope s3express/us-east-1",
    "111122223333.s3-control.us-east-1.amazonaws.com GET /v20180820/accesspoint/general-ap-2/policy s3/us-east-1",
  ]);
});

test("with a custom endpoint every kind goes to exactly that URL, signed where AWS expects it", async () => {
  const { store, signed } = capturingStore("http://127.0.0.1:4599");
  const account = "111122223333";
  await store.getPolicy({ accountId: account, region: "eu-west-1", name: "general-ap" });
  await store.getPolicy({ accountId: account, region: "eu-west-1", name: "d--euw1-az1--xa-s3" });
  await store.listDirectoryAccessPoints(account, "eu-west-1");
  await store.putPolicy(
    { accountId: account, region: "multi-region", name: "m", alias: "x.mrap" },
    "{}",
  );
  await store.listMultiRegionAccessPoints(account);
  store.destroy();
  expect(signed()).toEqual([
    "127.0.0.1:4599 GET /v20180820/accesspoint/general-ap/policy s3/eu-west-1",
    "127.0.0.1:4599 GET /v20180820/accesspoint/d--euw1-az1--xa-s3/policy s3express/eu-west-1",
    "127.0.0.1:4599 GET /v20180820/accesspoint/d--euw1-az1--xa-s3/scope s3express/eu-west-1",
    "127.0.0.1:4599 GET /v20180820/accesspointfordirectory s3express/eu-west-1",
    "127.0.0.1:4599 POST /v20180820/async-requests/mrap/put-policy s3/us-west-2",
    "127.0.0.1:4599 GET /v20180820/async-requests/mrap/arn%3Aaws%3As3%3Aus-west-2%3A111122223333%3Aasync-request/mrap/put-policy/1 s3/us-west-2",
    "127.0.0.1:4599 GET /v20180820/mrap/instances s3/us-west-2",
  ]);
});
