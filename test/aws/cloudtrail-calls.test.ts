// The CloudTrail adapter's requests and retries, with the SDK mocked at `send`.
import {
  CloudTrailClient,
  LookupEventsCommand,
  ThrottlingException,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, test } from "vitest";
import { createCloudTrailHistory } from "../../src/aws/cloudtrail.js";

const ACCOUNT = "111122223333";
const NAMES = ["PutAccessPointPolicy", "DeleteAccessPointPolicy"];
const NOW = Date.parse("2026-03-02T00:00:00Z");
const WEEK = { start: NOW - 7 * 86_400_000, end: NOW };

describe("LookupEvents failures, with the SDK mocked", () => {
  const trail = mockClient(CloudTrailClient);
  afterEach(() => trail.reset());

  test("a throttled request is retried with backoff, like S3 Control calls", async () => {
    trail
      .on(LookupEventsCommand)
      .rejectsOnce(
        new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }),
      )
      .resolves({ Events: [] });
    const slept: number[] = [];
    const h = createCloudTrailHistory({
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 0.5,
      clientFactory: (region) => new CloudTrailClient({ region }),
    });
    const writes = await h.policyWrites(ACCOUNT, "us-east-1", ["PutAccessPointPolicy"], WEEK);
    h.destroy();
    expect(writes.events).toEqual([]);
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(2);
    expect(slept.some((ms) => ms > 0)).toBe(true);
  });

  test("each request asks for one event name in the window, 50 to a page", async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [] });
    const h = createCloudTrailHistory({
      clientFactory: (region) => new CloudTrailClient({ region }),
    });
    await h.policyWrites(ACCOUNT, "us-east-1", NAMES, WEEK);
    h.destroy();
    expect(trail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual(
      NAMES.map((name) => ({
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
        StartTime: new Date(WEEK.start),
        EndTime: new Date(WEEK.end),
        MaxResults: 50,
      })),
    );
  });
});
