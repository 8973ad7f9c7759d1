// --attribute-drift end to end: the real CLI against the local endpoint, which serves S3 Control
// and a CloudTrail stand-in replaying recorded events (test/fixtures/cloudtrail/).
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { runBundledAction } from "../action/bundled-action.js";
import { ACCOUNT } from "../support/account.js";
import { clockAt, runCli } from "../support/cli.js";
import { type CloudTrailFixture, cloudTrailRecord } from "../support/cloudtrail-records.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import {
  createPolicyRepo,
  type PolicyRepo,
  policyYaml,
  readStatementPolicy,
} from "../support/policy-repo.js";

const NOW = "2026-03-02T08:00:00Z";

let endpoint: LocalEndpoint;
let repo: PolicyRepo;
let commit: string;

beforeAll(async () => {
  endpoint = await startLocalEndpoint();
  repo = createPolicyRepo({
    "policies/reports-read.yaml": policyYaml({ accountId: ACCOUNT, name: "reports-read" }),
    "policies/quiet-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "quiet-ap" }),
  });
  commit = repo.commit();
});
afterAll(async () => {
  repo?.remove();
  await endpoint?.close();
});

beforeEach(() => {
  endpoint.reset();
  // reports-read was edited in the console (another principal); quiet-ap is in sync.
  endpoint.seed({
    accessPoints: [
      {
        accountId: ACCOUNT,
        name: "reports-read",
        bucket: "reports",
        policy: readStatementPolicy(
          ACCOUNT,
          "reports-read",
          `arn:aws:iam::${ACCOUNT}:role/console-edit`,
        ) as Record<string, unknown>,
      },
      {
        accountId: ACCOUNT,
        name: "quiet-ap",
        bucket: "quiet",
        policy: readStatementPolicy(ACCOUNT, "quiet-ap") as Record<string, unknown>,
      },
    ],
  });
});

const plan = (...args: string[]) =>
  runCli(["plan", "--attribute-drift", "--endpoint-url", endpoint.url, ...args], {
    cwd: repo.root,
    env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint.url, ...clockAt(NOW) },
  });

test("a replayed console edit by an IAM Identity Center user is attributed to that user", async () => {
  endpoint.replayCloudTrail([
    cloudTrailRecord("assumed-role--s3ap", { eventTime: "2026-02-27T10:00:00Z" }),
    cloudTrailRecord("sso-user--console-edit", { eventTime: "2026-03-01T09:12:41Z" }),
    cloudTrailRecord("iam-user--cli", { eventTime: "2026-02-01T00:00:00Z" }),
  ]);
  const json = await plan("--format", "json");
  expect(json.code, json.stderr).toBe(2);
  const changes = JSON.parse(json.stdout).changes;
  const edited = changes.find((c: { name: string }) => c.name === "reports-read");
  expect(edited.attribution.status).toBe("found");
  expect(
    edited.attribution.events.map((e: { actor: { kind: string; name: string } }) => [
      e.actor.kind,
      e.actor.name,
    ]),
  ).toEqual([
    ["sso-user", "alice@example.com"],
    ["assumed-role", "role s3ap-apply (session s3ap-apply-4f0c1e2a9b3d)"],
  ]);
  expect(edited.attribution.events[0]).toMatchObject({
    agent: "console",
    sourceIp: "198.51.100.24",
    time: "2026-03-01T09:12:41.000Z",
  });
  expect(changes.find((c: { name: string }) => c.name === "quiet-ap").attribution).toBeUndefined();
  // 2 event names, one page each: CloudTrail's 2 requests a second, never throttled.
  expect(endpoint.stats().cloudTrail).toEqual({ requests: 2, throttled: 0 });

  const text = await plan();
  expect(text.stdout).toContain(
    "    who:    PutAccessPointPolicy by alice@example.com (IAM Identity Center, permission set AdministratorAccess) in the AWS console, 2026-03-01 09:12 UTC from 198.51.100.24",
  );
});

test("every userIdentity type CloudTrail records is attributed to its actor through the real CLI", async () => {
  const expected: Array<[CloudTrailFixture, string, string]> = [
    ["iam-user--cli", "iam-user", "IAM user carol"],
    [
      "assumed-role--terraform",
      "assumed-role",
      "role terraform-deployer (session terraform-run-1842)",
    ],
    ["assumed-role--github-oidc-sdk", "assumed-role", "role"],
    ["sso-user--console-edit", "sso-user", "alice@example.com"],
    ["sso-user--source-identity", "sso-user", "bob@example.com"],
    ["identity-center-user--console", "identity-center-user", "IAM Identity Center user"],
    ["root--console", "root", "the root user of account 111122223333"],
    ["aws-service--cloudformation", "aws-service", "cloudformation.amazonaws.com"],
    ["federated-user--sdk", "federated-user", "federated user dave"],
    ["assumed-role--s3ap", "assumed-role", "role s3ap-apply (session s3ap-apply-4f0c1e2a9b3d)"],
  ];
  const names = expected.map((_, i) => `edited-${i}`);
  const each = createPolicyRepo(
    Object.fromEntries(
      names.map((name) => [`policies/${name}.yaml`, policyYaml({ accountId: ACCOUNT, name })]),
    ),
  );
  try {
    each.commit();
    endpoint.seed({
      accessPoints: names.map((name) => ({
        accountId: ACCOUNT,
        name,
        bucket: name,
        policy: readStatementPolicy(ACCOUNT, name, `arn:aws:iam::${ACCOUNT}:role/edit`) as Record<
          string,
          unknown
        >,
      })),
    });
    endpoint.replayCloudTrail(
      expected.map(([fixture], i) =>
        cloudTrailRecord(fixture, {
          accessPoint: names[i] as string,
          eventTime: `2026-03-01T0${i}:00:00Z`,
        }),
      ),
    );
    const json = await runCli(
      ["plan", "--attribute-drift", "--endpoint-url", endpoint.url, "--format", "json"],
      {
        cwd: each.root,
        env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint.url, ...clockAt(NOW) },
      },
    );
    expect(json.code, json.stderr).toBe(2);
    const byName = new Map(
      JSON.parse(json.stdout).changes.map((c: { name: string }) => [c.name, c]),
    ) as Map<string, { attribution: { events: Array<{ actor: object; s3ap: boolean }> } }>;
    const actors = names.map((name) => {
      const events = byName.get(name)?.attribution.events ?? [];
      expect(events, name).toHaveLength(1);
      return events[0];
    });
    expected.forEach(([fixture, kind, name], i) => {
      expect(actors[i]?.actor, fixture).toMatchObject({
        kind,
        name: expect.stringContaining(name),
      });
      expect(actors[i]?.s3ap, fixture).toBe(fixture === "assumed-role--s3ap");
    });
    // One account and region: 2 LookupEvents requests (one per event name) for all ten drifts.
    expect(endpoint.stats().cloudTrail).toEqual({ requests: 2, throttled: 0 });
  } finally {
    each.remove();
  }
});

test("nothing in the window says how far back CloudTrail was searched", async () => {
  endpoint.replayCloudTrail([
    cloudTrailRecord("sso-user--console-edit", { eventTime: "2026-02-01T00:00:00Z" }),
  ]);
  const text = await plan("--attribute-days", "14");
  expect(text.stdout).toContain(
    `    who:    no write to the policy of ${ACCOUNT}/us-east-1/reports-read found in CloudTrail in the last 14 days`,
  );
});

test("denied access is one warning naming cloudtrail:LookupEvents, and the plan goes on", async () => {
  endpoint.replayCloudTrail([], { denied: true });
  const text = await plan();
  expect(text.code, text.stderr).toBe(2);
  const warnings = text.stdout.split("\n").filter((line) => line.startsWith("Who made the drift"));
  expect(warnings, text.stdout).toHaveLength(1);
  expect(warnings[0]).toContain(
    `Who made the drift: cloudtrail:LookupEvents was denied in 1 account: ${ACCOUNT} (us-east-1); grant cloudtrail:LookupEvents to the role s3ap uses there`,
  );
  expect(text.stdout).toContain("    who:    not known: cloudtrail:LookupEvents was denied");
});

test("the Action says it in the job summary, and a denied LookupEvents is one warning annotation", async () => {
  endpoint.replayCloudTrail([
    cloudTrailRecord("sso-user--console-edit", { eventTime: "2026-03-01T09:12:41Z" }),
  ]);
  const action = (env: NodeJS.ProcessEnv = {}) =>
    runBundledAction({
      inputs: { command: "plan", "endpoint-url": endpoint.url, "attribute-drift": "true" },
      workspace: repo.root,
      env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint.url, ...clockAt(NOW), ...env },
      sha: commit,
    });
  const found = await action();
  expect(found.code, found.stdout).toBe(0);
  expect(found.summary).toContain("**Who changed it:** PutAccessPointPolicy by alice");
  endpoint.replayCloudTrail([], { denied: true });
  const denied = await action();
  const annotations = denied.stdout
    .split("\n")
    .filter((line) => line.startsWith("::warning title=s3ap%3A who made the drift::"));
  expect(annotations, denied.stdout).toHaveLength(1);
  expect(annotations[0]).toContain("cloudtrail:LookupEvents was denied in 1 account");
});
