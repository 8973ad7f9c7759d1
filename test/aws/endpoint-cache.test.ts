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
