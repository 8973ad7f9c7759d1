// What goes on the wire for an Outposts access point, captured at the HTTP handler.
import { beforeAll, expect, test } from "vitest";
import type { AccessPointRef } from "../../src/model.js";
import { capturingStore } from "./support/capturing-store.js";

const OUTPOST_AP: AccessPointRef = {
  accountId: "111122223333",
  region: "us-west-2",
  name: "edge-ap",
  outpostId: "op-01234567890123456",
};

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});

test("an Outposts access point carries x-amz-outpost-id and is signed for s3-outposts", async () => {
  const { store, requests } = capturingStore();
  expect(await store.getPolicy(OUTPOST_AP)).toMatchObject({ kind: "policy", policy: {} });
  store.destroy();
  const request = requests[0];
  expect(requests.length).toBe(1);
  expect(request?.hostname).toBe("s3-outposts.us-west-2.amazonaws.com");
  expect(request?.path).toBe("/v20180820/accesspoint/edge-ap/policy");
  expect(request?.headers["x-amz-outpost-id"]).toBe("op-01234567890123456");
  expect(request?.headers["x-amz-account-id"]).toBe("111122223333");
  expect(request?.headers.authorization).toContain("/us-west-2/s3-outposts/aws4_request");
});

test("with a custom endpoint an Outposts request keeps its headers and goes to that URL", async () => {
  const { store, requests } = capturingStore("http://127.0.0.1:4599");
  await store.getPolicy(OUTPOST_AP);
  store.destroy();
  expect(requests[0]).toMatchObject({ protocol: "http:", hostname: "127.0.0.1", port: 4599 });
  expect(requests[0]?.headers["x-amz-outpost-id"]).toBe("op-01234567890123456");
  expect(requests[0]?.headers.authorization).toContain("/s3-outposts/aws4_request");
});

test("a general-purpose access point on AWS goes to the account's S3 Control host", async () => {
  const { store, requests } = capturingStore();
  await store.getPolicy({ accountId: "111122223333", region: "eu-central-1", name: "plain-ap" });
  store.destroy();
  expect(requests[0]?.hostname).toBe("111122223333.s3-control.eu-central-1.amazonaws.com");
  expect(requests[0]?.headers["x-amz-outpost-id"]).toBeUndefined();
  expect(requests[0]?.headers.authorization).toContain("/eu-central-1/s3/aws4_request");
});
