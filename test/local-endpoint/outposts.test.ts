// S3 on Outposts access points: the SDK sends the bare name plus x-amz-outpost-id when given the
// Outposts ARN; the endpoint keeps them apart from regular access points of the same name.
import {
  CreateAccessPointCommand,
  GetAccessPointCommand,
  GetAccessPointPolicyCommand,
  PutAccessPointPolicyCommand,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { ACCOUNT, outcome, sdkClient } from "./sdk.js";

const OUTPOST = "op-0123456789abcdef0";
const OUTPOST_ARN = `arn:aws:s3-outposts:us-east-1:${ACCOUNT}:outpost/${OUTPOST}/accesspoint/edge-ap`;

let endpoint: LocalEndpoint;
let client: S3ControlClient;
beforeAll(async () => {
  endpoint = await startLocalEndpoint();
  client = sdkClient(endpoint.url);
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});

test("an Outposts ARN as Name addresses the outpost's own namespace", async () => {
  endpoint.seed({
    accessPoints: [{ accountId: ACCOUNT, outpostId: OUTPOST, name: "edge-ap", bucket: "b" }],
  });
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow" }] });
  await client.send(
    new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: OUTPOST_ARN, Policy: policy }),
  );
  const got = await client.send(
    new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: OUTPOST_ARN }),
  );
  expect(got.Policy).toBe(policy);
  const ap = await client.send(
    new GetAccessPointCommand({ AccountId: ACCOUNT, Name: OUTPOST_ARN }),
  );
  expect(ap.AccessPointArn).toBe(OUTPOST_ARN);
  // The plain name is another access point, which does not exist.
  expect(
    await outcome(
      client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "edge-ap" })),
    ),
  ).toEqual({ error: "NoSuchAccessPoint", status: 404 });
  expect(endpoint.state().accessPoints).toEqual([
    expect.objectContaining({ name: "edge-ap", outpostId: OUTPOST, arn: OUTPOST_ARN, policy }),
  ]);
});

test("creating through the Outposts ARN lands in the outpost namespace", async () => {
  await client.send(
    new CreateAccessPointCommand({
      AccountId: ACCOUNT,
      Name: `arn:aws:s3-outposts:us-east-1:${ACCOUNT}:outpost/${OUTPOST}/accesspoint/new-edge-ap`,
      Bucket: `arn:aws:s3-outposts:us-east-1:${ACCOUNT}:outpost/${OUTPOST}/bucket/edge-bucket`,
    }),
  );
  expect(endpoint.state().accessPoints).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: "new-edge-ap", outpostId: OUTPOST })]),
  );
});
