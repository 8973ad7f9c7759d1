// CloudTrail LookupEvents over the real API, for --attribute-drift: one client per (account,
// region), signed with the account's role like its S3 Control calls, paced at CloudTrail's own
// limit (2 requests per second per account and region) and retried as S3 Control calls are.
// LookupEvents takes one lookup attribute per request, so each event name is its own query;
// events come back newest first, 50 to a page.
import { CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import type { AwsError } from "../errors.js";
import type { ChangeHistory, PolicyWriteRecord } from "../reconcile/ports.js";
import { parseUntrustedJson } from "../untrusted/plain-data.js";
import { type AccountClientOptions, accountClients } from "./account-clients.js";
import { describeCallFailure, isDenied } from "./call-failure.js";
import type { Failure } from "./failure.js";
import { collectPages, createLimitedCalls, type LimitedCallOptions } from "./limited-attempt.js";

/** CloudTrail's documented LookupEvents limit: 2 requests per second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;
/** The most events s3ap reads per event name, account and region (20 pages of 50). */
export const MAX_EVENTS_PER_QUERY = 1000;
const PAGE_SIZE = 50;

/** AWS_ENDPOINT_URL_CLOUDTRAIL is honoured by the SDK itself; `endpointUrl` overrides it. */
export interface CloudTrailOptions
  extends LimitedCallOptions,
    AccountClientOptions<CloudTrailClient> {}

export function createCloudTrailHistory(
  options: CloudTrailOptions,
): ChangeHistory & { destroy(): void } {
  const clients = accountClients((settings) => new CloudTrailClient(settings), options);
  // Never faster than CloudTrail allows; --rate may only slow it down further.
  const ratePerSecond = Math.min(options.ratePerSecond ?? Infinity, LOOKUP_EVENTS_PER_SECOND);
  const limited = createLimitedCalls({ ...options, ratePerSecond });

  async function query(
    accountId: string,
    region: string,
    eventName: string,
    window: { start: number; end: number },
  ): Promise<{ events: PolicyWriteRecord[]; truncated: boolean }> {
    const target = `${eventName} events of account ${accountId} in ${region}`;
    let pages = 0;
    let truncated = false;
    const events = await collectPages(
      async (token) => {
        const output = await limited.call(
          { accountId, region, operation: "LookupEvents", target },
          (credentials) => clients.clientFor(region, accountId, credentials),
          (client) =>
            client.send(
              new LookupEventsCommand({
                LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: eventName }],
                StartTime: new Date(window.start),
                EndTime: new Date(window.end),
                MaxResults: PAGE_SIZE,
                ...(token !== undefined ? { NextToken: token } : {}),
              }),
            ),
          (failure, attempts) => describeCloudTrailFailure(failure, accountId, region, attempts),
        );
        pages += 1;
        // Newest first: past the cap, the older events are the ones left unread.
        const more = output.NextToken !== undefined && output.NextToken !== "";
        if (more && pages * PAGE_SIZE >= MAX_EVENTS_PER_QUERY) truncated = true;
        return {
          items: (output.Events ?? []).map(recordOf),
          nextToken: truncated ? undefined : output.NextToken,
        };
      },
      `LookupEvents for ${target}`,
      "NextToken",
    );
    return { events, truncated };
  }

  return {
    async policyWrites(accountId, region, eventNames, window) {
      const results = [];
      // One query after the other: they share the account's 2 requests per second anyway.
      for (const name of eventNames) results.push(await query(accountId, region, name, window));
      const events = results.flatMap((r) => r.events).sort((a, b) => b.eventTime - a.eventTime);
      return { events, truncated: results.some((r) => r.truncated) };
    },
    destroy() {
      clients.destroy();
      limited.clear();
    },
  };
}

function recordOf(event: Event): PolicyWriteRecord {
  const read =
    event.CloudTrailEvent === undefined ? undefined : parseUntrustedJson(event.CloudTrailEvent);
  return {
    eventId: event.EventId ?? "",
    eventName: event.EventName ?? "",
    eventTime: event.EventTime?.getTime() ?? 0,
    resources: (event.Resources ?? [])
      .map((r) => r.ResourceName)
      .filter((name): name is string => typeof name === "string"),
    record: read?.ok === true ? read.value : null,
  };
}

/** Whether an error from policyWrites says the role may not call cloudtrail:LookupEvents. */
export const isLookupDenied = isDenied;

/** A failed LookupEvents call as an AwsError whose message says what to do. */
export function describeCloudTrailFailure(
  failure: Failure,
  accountId: string,
  region: string,
  attempts: number,
): AwsError {
  const where = `account ${accountId} in ${region}`;
  return describeCallFailure(failure, {
    service: "CloudTrail",
    operation: "LookupEvents",
    about: `in ${where}`,
    attempts,
    denied: (awsSaid) =>
      `cloudtrail:LookupEvents is denied in ${where}; grant it to the role s3ap uses there ` +
      `to see who made the drift. AWS said: ${awsSaid}`,
    throttled: "re-run later",
  });
}
