// A CloudTrail stand-in for --attribute-drift tests and demos: it replays recorded CloudTrail
// events (POST /__local/cloudtrail) through LookupEvents as CloudTrail's JSON 1.1 API answers it
// (X-Amz-Target CloudTrail_20131101.LookupEvents): one lookup attribute at most, an inclusive
// time range, newest first, MaxResults 1-50, an opaque NextToken, and CloudTrail's own limit of
// 2 requests per second per region (ThrottlingException beyond it). Events of every account are
// served: the stand-in does not know which account signed a request.
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, readBody, signedRegion } from "./http-io.js";
import { TokenBucket } from "./token-bucket.js";

export const CLOUDTRAIL_TARGET_PREFIX = "CloudTrail_20131101.";
const LOOKUP_EVENTS_PER_SECOND = 2;
const ATTRIBUTE_KEYS = new Set([
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

interface StoredEvent {
  record: Json;
  time: number;
  region: string;
}

export interface CloudTrailStats {
  requests: number;
  throttled: number;
}

class LookupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class CloudTrailStandIn {
  private events: StoredEvent[] = [];
  private limiters = new Map<string, TokenBucket>();
  denied = false;
  stats: CloudTrailStats = { requests: 0, throttled: 0 };

  reset(): void {
    this.events = [];
    this.limiters.clear();
    this.denied = false;
    this.stats = { requests: 0, throttled: 0 };
  }

  /** Adds recorded events (CloudTrail records as a trail delivers them); returns how many. */
  replay(records: unknown[]): number {
    for (const record of records) {
      if (!isObject(record)) throw new Error("each event must be a CloudTrail record (an object)");
      const time = Date.parse(String(record.eventTime));
      if (Number.isNaN(time)) throw new Error(`event ${String(record.eventID)} has no eventTime`);
      const region = typeof record.awsRegion === "string" ? record.awsRegion : "us-east-1";
      this.events.push({ record, time, region });
    }
    return records.length;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    this.stats.requests++;
    const target = header(req, "x-amz-target") ?? "";
    const region = signedRegion(req) ?? "us-east-1";
    const send = (status: number, payload: Json) => {
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        "content-type": "application/x-amz-json-1.1",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": `ct-${this.stats.requests}`,
      });
      res.end(text);
    };
    const fail = (status: number, code: string, message: string) =>
      send(status, { __type: code, message });
    if (target !== `${CLOUDTRAIL_TARGET_PREFIX}LookupEvents`) {
      fail(
        400,
        "UnknownOperationException",
        `this stand-in serves LookupEvents only, not ${target}`,
      );
      return;
    }
    let limiter = this.limiters.get(region);
    if (limiter === undefined) {
      limiter = new TokenBucket(LOOKUP_EVENTS_PER_SECOND, LOOKUP_EVENTS_PER_SECOND);
      this.limiters.set(region, limiter);
    }
    if (!limiter.tryTake()) {
      this.stats.throttled++;
      fail(400, "ThrottlingException", "Rate exceeded");
      return;
    }
    if (this.denied) {
      fail(
        400,
        "AccessDeniedException",
        "User is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
      );
      return;
    }
    try {
      send(200, this.lookup(region, JSON.parse(body === "" ? "{}" : body)));
    } catch (error) {
      if (error instanceof LookupError) fail(400, error.code, error.message);
      else fail(400, "SerializationException", (error as Error).message);
    }
  }

  private lookup(region: string, request: Json): Json {
    const attributes = Array.isArray(request.LookupAttributes) ? request.LookupAttributes : [];
    if (attributes.length > 1) {
      throw new LookupError(
        "InvalidLookupAttributesException",
        "You cannot specify more than one lookup attribute",
      );
    }
    const attribute = attributes[0];
    if (
      attribute !== undefined &&
      !(isObject(attribute) && ATTRIBUTE_KEYS.has(String(attribute.AttributeKey)))
    ) {
      throw new LookupError("InvalidLookupAttributesException", "Invalid AttributeKey");
    }
    const max = request.MaxResults === undefined ? 50 : Number(request.MaxResults);
    if (!(Number.isInteger(max) && max >= 1 && max <= 50)) {
      throw new LookupError("InvalidMaxResultsException", "MaxResults must be between 1 and 50");
    }
    // Timestamps travel as epoch seconds in the JSON protocols.
    const start = request.StartTime === undefined ? -Infinity : Number(request.StartTime) * 1000;
    const end = request.EndTime === undefined ? Infinity : Number(request.EndTime) * 1000;
    if (start > end) {
      throw new LookupError("InvalidTimeRangeException", "StartTime is after EndTime");
    }
    const matching = this.events
      .filter((e) => e.region === region && e.time >= start && e.time <= end)
      .map((e) => lookupEvent(e))
      .filter((e) => attribute === undefined || matches(e, attribute as Json))
      .sort((a, b) => Number(b.EventTime) - Number(a.EventTime));
    const query = JSON.stringify([attribute ?? null, start, end, region]);
    const offset =
      request.NextToken === undefined ? 0 : tokenOffset(String(request.NextToken), query);
    const page = matching.slice(offset, offset + max);
    const next = offset + max < matching.length ? makeToken(offset + max, query) : undefined;
    return { Events: page, ...(next !== undefined ? { NextToken: next } : {}) };
  }
}

function makeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify([offset, query])).toString("base64");
}

function tokenOffset(token: string, query: string): number {
  try {
    const [offset, of] = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as unknown[];
    if (typeof offset === "number" && of === query) return offset;
  } catch {
    // fall through: not one of ours
  }
  throw new LookupError("InvalidNextTokenException", "Invalid NextToken");
}

/** The LookupEvents view of a recorded event. */
function lookupEvent(e: StoredEvent): Json {
  const r = e.record;
  const identity = isObject(r.userIdentity) ? r.userIdentity : {};
  const arn = typeof identity.arn === "string" ? identity.arn : "";
  const username =
    typeof identity.userName === "string" ? identity.userName : (arn.split("/").pop() ?? "");
  const resources = Array.isArray(r.resources) ? r.resources.filter(isObject) : [];
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly === true),
    ...(typeof identity.accessKeyId === "string" ? { AccessKeyId: identity.accessKeyId } : {}),
    EventTime: e.time / 1000,
    EventSource: r.eventSource,
    ...(username !== "" ? { Username: username } : {}),
    Resources: resources.map((res) => ({ ResourceType: res.type, ResourceName: res.ARN })),
    CloudTrailEvent: JSON.stringify(r),
  };
}

function matches(event: Json, attribute: Json): boolean {
  const value = String(attribute.AttributeValue);
  switch (attribute.AttributeKey) {
    case "ResourceName":
      return (event.Resources as Json[]).some((r) => r.ResourceName === value);
    case "ResourceType":
      return (event.Resources as Json[]).some((r) => r.ResourceType === value);
    default:
      return String(event[String(attribute.AttributeKey)]) === value;
  }
}
