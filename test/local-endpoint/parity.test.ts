// Keeps the local endpoint honest: the same scenarios run through the SDK against moto server
// and against the local endpoint (as a separate process), and must be observably the same.
import {
  CreateAccessPointCommand,
  DeleteAccessPointPolicyCommand,
  GetAccessPointCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  PutAccessPointPolicyCommand,
  paginateListAccessPoints,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import { ACCOUNT, outcome, sdkClient } from "./sdk.js";

type Step = (c: S3ControlClient) => Promise<unknown>;

const policy = (name: string, principal: unknown) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: principal,
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}/object/*`,
      },
    ],
  });
const PRIVATE = policy("parity-ap", { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` });
const PUBLIC = policy("parity-ap", "*");

/** Create, keeping only what is stable (the alias's random part differs on every server). */
const create =
  (name: string, bucket = "parity-bucket"): Step =>
  async (c) => {
    const result = await outcome(
      c.send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: name, Bucket: bucket })),
    );
    if (!("ok" in result)) return result;
    const { AccessPointArn, Alias } = result.ok as { AccessPointArn: string; Alias: string };
    return {
      arn: AccessPointArn,
      aliasShape: new RegExp(`^${name}-[0-9a-f]+-s3alias$`).test(Alias),
    };
  };
const put =
  (name: string, text: string): Step =>
  (c) =>
    outcome(
      c.send(new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: name, Policy: text })),
    );
const get =
  (name: string): Step =>
  (c) =>
    outcome(c.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: name })));
const del =
  (name: string): Step =>
  (c) =>
    outcome(c.send(new DeleteAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: name })));
const status =
  (name: string): Step =>
  (c) =>
    outcome(c.send(new GetAccessPointPolicyStatusCommand({ AccountId: ACCOUNT, Name: name })));
const describeAp =
  (name: string): Step =>
  async (c) => {
    const result = await outcome(
      c.send(new GetAccessPointCommand({ AccountId: ACCOUNT, Name: name })),
    );
    if (!("ok" in result)) return result;
    // Alias and creation time are random/clock-based on both servers; compare what is stable.
    const { Name, Bucket, NetworkOrigin, AccessPointArn } = result.ok as Record<string, unknown>;
    return { ok: { Name, Bucket, NetworkOrigin, AccessPointArn } };
  };
const listAll =
  (pageSize: number): Step =>
  async (c) => {
    const pages: string[][] = [];
    for await (const page of paginateListAccessPoints(
      { client: c, pageSize },
      { AccountId: ACCOUNT },
    )) {
      pages.push(
        (page.AccessPointList ?? []).map((ap) => `${ap.Name}@${ap.Bucket}:${ap.AccessPointArn}`),
      );
    }
    return pages;
  };

/** Each scenario: steps, and the expected results (so agreeing on a wrong answer still fails). */
const scenarios: Record<string, { steps: Step[]; expected: unknown[] }> = {
  "create, then describe": {
    steps: [create("parity-ap"), describeAp("parity-ap")],
    expected: [
      { arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/parity-ap`, aliasShape: true },
      {
        ok: {
          Name: "parity-ap",
          Bucket: "parity-bucket",
          NetworkOrigin: "Internet",
          AccessPointArn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/parity-ap`,
        },
      },
    ],
  },
  "put then get returns the policy text": {
    steps: [create("parity-ap"), put("parity-ap", PRIVATE), get("parity-ap")],
    expected: [expect.anything(), { ok: {} }, { ok: { Policy: PRIVATE } }],
  },
  "get of a missing policy": {
    steps: [create("parity-ap"), get("parity-ap"), status("parity-ap")],
    expected: [
      expect.anything(),
      { error: "NoSuchAccessPointPolicy", status: 404 },
      { error: "NoSuchAccessPointPolicy", status: 404 },
    ],
  },
  "delete policy, then it is gone; deleting again is fine": {
    steps: [
      create("parity-ap"),
      put("parity-ap", PRIVATE),
      del("parity-ap"),
      get("parity-ap"),
      del("parity-ap"),
    ],
    expected: [
      expect.anything(),
      { ok: {} },
      { ok: {} },
      { error: "NoSuchAccessPointPolicy", status: 404 },
      { ok: {} },
    ],
  },
  "a missing access point": {
    steps: [
      describeAp("no-such-ap"),
      get("no-such-ap"),
      put("no-such-ap", PRIVATE),
      del("no-such-ap"),
      status("no-such-ap"),
    ],
    expected: Array(5).fill({ error: "NoSuchAccessPoint", status: 404 }),
  },
  "list, paginated": {
    steps: [
      create("list-a", "b1"),
      create("list-b", "b2"),
      create("list-c", "b1"),
      create("list-d", "b2"),
      create("list-e", "b1"),
      listAll(2),
      listAll(1000),
    ],
    expected: [
      ...Array(5).fill(expect.anything()),
      [
        [
          `list-a@b1:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-a`,
          `list-b@b2:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-b`,
        ],
        [
          `list-c@b1:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-c`,
          `list-d@b2:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-d`,
        ],
        [`list-e@b1:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-e`],
      ],
      [
        ["a", "b", "c", "d", "e"].map(
          (x) =>
            `list-${x}@b${x === "b" || x === "d" ? 2 : 1}:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/list-${x}`,
        ),
      ],
    ],
  },
  "policy status of a public policy": {
    steps: [create("parity-ap"), put("parity-ap", PUBLIC), status("parity-ap")],
    expected: [expect.anything(), { ok: {} }, { ok: { PolicyStatus: { IsPublic: true } } }],
  },
};

let moto: MotoServer;
let local: LocalEndpointProcess;
let motoClient: S3ControlClient;
let localClient: S3ControlClient;

beforeAll(async () => {
  [moto, local] = await Promise.all([startMoto(), startLocalEndpointProcess([])]);
  motoClient = sdkClient(moto.url);
  localClient = sdkClient(local.url);
});
afterAll(async () => {
  motoClient?.destroy();
  localClient?.destroy();
  await Promise.all([moto?.stop(), local?.stop()]);
});

async function run(client: S3ControlClient, steps: Step[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step(client));
  return results;
}

describe("parity with moto server", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    test(name, async () => {
      await Promise.all([moto.reset(), local.reset()]);
      const [fromMoto, fromLocal] = await Promise.all([
        run(motoClient, scenario.steps),
        run(localClient, scenario.steps),
      ]);
      expect(fromLocal).toEqual(fromMoto);
      expect(fromLocal).toEqual(scenario.expected);
    });
  }
});
