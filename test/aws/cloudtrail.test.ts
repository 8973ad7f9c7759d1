// The CloudTrail adapter over the real SDK against the local endpoint's CloudTrail stand-in,
// which answers LookupEvents as CloudTrail does (JSON 1.1, pages, 2 requests/s per region).
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { createCloudTrailHistory, isLookupDenied } from "../../src/aws/cloudtrail.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { cloudTrailRecord } from "../support/cloudtrail-records.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";

const ACCOUNT = "111122223333";
const NAMES = ["PutAccessPointPolicy", "DeleteAccessPointPolicy"];
const NOW = Date.parse("2026-03-02T00:00:00Z");
const WEEK = { start: NOW - 7 * 86_400_000, end: NOW };

let endpoint: LocalEndpoint;

beforeAll(async () => {
  for (const [key, value] of Object.entries(TEST_AWS_ENV)) vi.stubEnv(key, value);
  endpoint = await startLocalEndpoint();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await endpoint?.close();
});
beforeEach(() => endpoint.reset());

const history = () => createCloudTrailHistory({ endpointUrl: endpoint.url });

/** `n` console edits a minute apart, newest at 23:00 on 2026-03-01. */
function edits(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    cloudTrailRecord("sso-user--console-edit", {
      eventTime: new Date(Date.parse("2026-03-01T23:00:00Z") - i * 60_000).toISOString(),
    }),
  ).map((r, i) => ({ ...r, eventID: `edit-${i}` }));
}

describe("LookupEvents against the CloudTrail stand-in", () => {
  test("returns the policy writes of the window newest first, with the record parsed", async () => {
    const old = cloudTrailRecord("iam-user--cli", { eventTime: "2026-02-01T00:00:00Z" });
    endpoint.replayCloudTrail([
      cloudTrailRecord("root--console", { eventTime: "2026-02-28T10:00:00Z" }),
      cloudTrailRecord("sso-user--console-edit", { eventTime: "2026-03-01T09:12:41Z" }),
      old,
    ]);
    const h = history();
    const writes = await h
      .policyWrites(ACCOUNT, "us-east-1", NAMES, WEEK)
      .finally(() => h.destroy());
    expect(writes.truncated).toBe(false);
    expect(writes.events.map((e) => [e.eventName, new Date(e.eventTime).toISOString()])).toEqual([
      ["PutAccessPointPolicy", "2026-03-01T09:12:41.000Z"],
      ["DeleteAccessPointPolicy", "2026-02-28T10:00:00.000Z"],
    ]);
    expect(writes.events[0]?.resources).toEqual([
      "arn:aws:s3:us-east-1:111122223333:accesspoint/reports-read",
    ]);
    expect(Object.getPrototypeOf(writes.events[0]?.record)).toBeNull();
    const record = writes.events[0]?.record as { userIdentity: { arn: string } } | undefined;
    expect(record?.userIdentity.arn).toContain("AWSReservedSSO_AdministratorAccess");
  });

  test("reads every page at CloudTrail's pace and is never throttled", async () => {
    endpoint.replayCloudTrail(edits(120));
    const h = history();
    const writes = await h
      .policyWrites(ACCOUNT, "us-east-1", NAMES, WEEK)
      .finally(() => h.destroy());
    expect(writes.events).toHaveLength(120);
    expect(new Set(writes.events.map((e) => e.eventId)).size).toBe(120);
    // 3 pages of PutAccessPointPolicy and 1 of DeleteAccessPointPolicy.
    expect(endpoint.stats().cloudTrail).toEqual({ requests: 4, throttled: 0 });
  });

  test("the stand-in throttles a client that does not pace itself", async () => {
    const client = new CloudTrailClient({
      region: "us-east-1",
      endpoint: endpoint.url,
      maxAttempts: 1,
    });
    const send = () =>
      client.send(new LookupEventsCommand({})).then(
        () => "ok",
        (e: Error) => e.name,
      );
    const answers = await Promise.all([send(), send(), send(), send()]);
    client.destroy();
    expect(answers.filter((a) => a === "ThrottlingException").length).toBeGreaterThan(0);
  });

  test("denied access is an error naming cloudtrail:LookupEvents, and is recognised", async () => {
    endpoint.replayCloudTrail([], { denied: true });
    const h = history();
    const error = await h
      .policyWrites(ACCOUNT, "eu-west-1", NAMES, WEEK)
      .catch((e: unknown) => e)
      .finally(() => h.destroy());
    expect(isLookupDenied(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^cloudtrail:LookupEvents is denied in account 111122223333 in eu-west-1; grant it to the role s3ap uses there to see who made the drift\. AWS said: /,
    );
  });

  test("more than 1000 writes keep the newest 1000 and say so", async () => {
    endpoint.replayCloudTrail(edits(1010));
    const h = history();
    const writes = await h
      .policyWrites(ACCOUNT, "us-east-1", ["PutAccessPointPolicy"], WEEK)
      .finally(() => h.destroy());
    expect(endpoint.stats().cloudTrail).toEqual({ requests: 20, throttled: 0 });
    expect(writes.truncated).toBe(true);
    expect(writes.events).toHaveLength(1000);
    expect(writes.events[0]?.eventId).toBe("edit-0");
  }, 30_000);
});
