// The SDK steps s3ap does not use are gone from every S3 Control client; what remains still
// signs each request, and a failure still reaches s3ap's own retry as before.
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { expect, test } from "vitest";
import { createS3ControlClient } from "../../src/aws/client.js";
import { UNUSED_MIDDLEWARE } from "../../src/aws/unused-middleware.js";
import { capturingStore } from "./support/capturing-store.js";

process.env.AWS_ACCESS_KEY_ID = "test";
process.env.AWS_SECRET_ACCESS_KEY = "test";

test("each named step exists in the SDK's stack and is taken out of s3ap's client", () => {
  const client = createS3ControlClient({ region: "us-east-1", requestTimeoutMs: 1000 });
  const stack = client.middlewareStack.identify().join("\n");
  for (const name of UNUSED_MIDDLEWARE) expect(stack).not.toContain(name);
  client.destroy();
  // The names are the SDK's: a plain client has them all (an upgrade that renames one fails here).
  const plain = new S3ControlClient({ region: "us-east-1" });
  const sdkStack = plain.middlewareStack.identify().join("\n");
  for (const name of UNUSED_MIDDLEWARE) expect(sdkStack).toContain(name);
  plain.destroy();
});

test("requests are still signed, and no longer carry the SDK's retry headers", async () => {
  const { store, requests } = capturingStore();
  await store.getPolicy({ accountId: "111122223333", region: "us-east-1", name: "a1" });
  await store.putPolicy({ accountId: "111122223333", region: "us-east-1", name: "a1" }, "{}");
  store.destroy();
  expect(requests).toHaveLength(2);
  for (const request of requests) {
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    expect(request.headers["user-agent"]).toMatch(/ s3ap\//);
    expect(request.headers["amz-sdk-invocation-id"]).toBeUndefined();
    expect(request.headers["amz-sdk-request"]).toBeUndefined();
  }
});
