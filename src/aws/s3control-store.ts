// The PolicyStore over the real S3 Control API: one client per region, one rate limiter per
// (account, region) shared by every operation, retries with backoff and full jitter.
import {
  DeleteAccessPointPolicyCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  ListAccessPointsCommand,
  ListRegionalBucketsCommand,
  PutAccessPointPolicyCommand,
  type AccessPoint as S3ControlAccessPoint,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { accessPointArn } from "../access-point/arn.js";
import { AwsError } from "../errors.js";
import type { AccessPointRef, LiveState, PolicyDocument } from "../model.js";
import type { AccessPointSummary, PolicyStore } from "../reconcile/ports.js";
import { createS3ControlClient } from "./client.js";
import { classifyFailure } from "./failure.js";
import { describeFailure, type Operation } from "./failure-message.js";
import { RateLimiter } from "./rate-limiter.js";
import { DEFAULT_RETRY_POLICY, RetryExhausted, type RetryPolicy, withRetry } from "./retry.js";
import type { StoreEvent } from "./store-events.js";

export interface S3ControlStoreOptions {
  /** --endpoint-url or AWS_ENDPOINT_URL_S3_CONTROL (the caller resolves which). */
  endpointUrl?: string;
  /**
   * --rate: max requests/s per (account, region), shared by all operations; undefined = no
   * ceiling (unpaced until AWS throttles, then just under the rate it admitted).
   */
  ratePerSecond?: number | undefined;
  /** Attempts per call for throttling and transient failures (default 8). */
  maxAttempts?: number;
  /** A request with no complete answer after this long is aborted and retried (default 10 s). */
  requestTimeoutMs?: number;
  /** ListAccessPoints page size (AWS allows up to 1000, the default). */
  listPageSize?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onEvent?: (event: StoreEvent) => void;
  /** Replaces client creation (tests); the endpoint override is then the factory's business. */
  clientFactory?: (region: string) => S3ControlClient;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

interface CallContext {
  operation: Operation;
  accountId: string;
  region: string;
  /** ARN of the access point, or a description of the listed account and region. */
  target: string;
  outposts: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createS3ControlStore(
  options: S3ControlStoreOptions,
): PolicyStore & { destroy(): void } {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const retryPolicy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const clients = new Map<string, S3ControlClient>();
  const limiters = new Map<string, RateLimiter>();

  function clientFor(region: string): S3ControlClient {
    let client = clients.get(region);
    if (client === undefined) {
      client =
        options.clientFactory?.(region) ??
        createS3ControlClient({
          region,
          requestTimeoutMs,
          ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
        });
      clients.set(region, client);
    }
    return client;
  }

  function limiterFor(accountId: string, region: string): RateLimiter {
    const key = `${accountId}/${region}`;
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      limiter = new RateLimiter({
        ratePerSecond: options.ratePerSecond,
        now,
        sleep,
        onRateChange: (ratePerSecond, reason) =>
          options.onEvent?.({ type: "rate-change", accountId, region, ratePerSecond, reason }),
      });
      limiters.set(key, limiter);
    }
    return limiter;
  }

  /** One rate-limited, retried S3 Control call; any failure becomes an actionable AwsError. */
  async function call<T>(
    context: CallContext,
    send: (client: S3ControlClient) => Promise<T>,
  ): Promise<T> {
    const limiter = limiterFor(context.accountId, context.region);
    const client = clientFor(context.region);
    try {
      return await withRetry(
        async () => {
          const ticket = await limiter.acquire();
          try {
            const output = await send(client);
            limiter.onSuccess(ticket);
            return output;
          } catch (error) {
            const failure = classifyFailure(error);
            if (failure.kind === "throttle") limiter.onThrottle(ticket, failure.code);
            // An answered request that was not throttled shows the rate is fine.
            else if (failure.kind === "fatal" && failure.httpStatus !== undefined) {
              limiter.onSuccess(ticket);
            }
            throw error;
          }
        },
        retryPolicy,
        {
          sleep,
          random,
          onRetry: ({ attempt, delayMs, failure }) =>
            options.onEvent?.({
              type: "retry",
              operation: context.operation,
              accessPoint: context.target,
              code: failure.code,
              attempt,
              delayMs,
            }),
        },
      );
    } catch (error) {
      if (!(error instanceof RetryExhausted)) throw error;
      throw describeFailure(error.failure, {
        ...context,
        attempts: error.attempts,
        ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
      });
    }
  }

  function contextOf(operation: Operation, ap: AccessPointRef): CallContext {
    return {
      operation,
      accountId: ap.accountId,
      region: ap.region,
      target: accessPointArn(ap),
      outposts: ap.outpostId !== undefined,
    };
  }

  // NOTE: for Outposts the SDK wants the access point ARN as Name; it then sets x-amz-outpost-id,
  // the bare name, the s3-outposts signing name and endpoint. A general-purpose ARN as Name fails
  // client-side, so those get the bare name.
  function nameOf(ap: AccessPointRef): string {
    return ap.outpostId !== undefined ? accessPointArn(ap) : ap.name;
  }

  /** Every page of a paginated call; a NextToken seen twice is a broken endpoint, not a loop. */
  async function listPages<T>(
    context: CallContext,
    page: (
      client: S3ControlClient,
      token: string | undefined,
    ) => Promise<{ items: T[]; nextToken: string | undefined }>,
  ): Promise<T[]> {
    const items: T[] = [];
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const output = await call(context, (client) => page(client, token));
      items.push(...output.items);
      nextToken = output.nextToken === "" ? undefined : output.nextToken;
      if (nextToken !== undefined) {
        if (seenTokens.has(nextToken)) {
          throw new AwsError(
            `${context.operation} for ${context.target} returned the same NextToken twice; ` +
              `the endpoint's pagination is broken`,
            "PaginationLoop",
            false,
          );
        }
        seenTokens.add(nextToken);
      }
    } while (nextToken !== undefined);
    return items;
  }

  // NOTE: ListAccessPoints without a bucket lists no S3 on Outposts access points; those are
  // listed per Outposts bucket (by its ARN), and the buckets come from ListRegionalBuckets.
  async function listOutpostAccessPoints(
    accountId: string,
    region: string,
    outpostId: string,
  ): Promise<AccessPointSummary[]> {
    const target = `Outpost ${outpostId} of account ${accountId} in ${region}`;
    const buckets = await listPages<string>(
      { operation: "ListRegionalBuckets", accountId, region, target, outposts: true },
      async (client, token) => {
        const output = await client.send(
          new ListRegionalBucketsCommand({
            AccountId: accountId,
            OutpostId: outpostId,
            MaxResults: 1000,
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
        );
        const arns = (output.RegionalBucketList ?? []).flatMap((bucket) =>
          bucket.BucketArn !== undefined ? [bucket.BucketArn] : [],
        );
        return { items: arns, nextToken: output.NextToken };
      },
    );
    const summaries: AccessPointSummary[] = [];
    for (const bucketArn of buckets) {
      const listed = await listPages(
        { operation: "ListAccessPoints", accountId, region, target: bucketArn, outposts: true },
        async (client, token) => {
          const output = await client.send(
            new ListAccessPointsCommand({
              AccountId: accountId,
              Bucket: bucketArn,
              MaxResults: options.listPageSize ?? 1000,
              ...(token !== undefined ? { NextToken: token } : {}),
            }),
          );
          return { items: summariesOf(output.AccessPointList), nextToken: output.NextToken };
        },
      );
      summaries.push(...listed.map((summary) => ({ ...summary, outpostId })));
    }
    return summaries;
  }

  return {
    async getPolicy(ap) {
      const context = contextOf("GetAccessPointPolicy", ap);
      let raw: string | undefined;
      try {
        const output = await call(context, (client) =>
          client.send(
            new GetAccessPointPolicyCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
        raw = output.Policy;
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        if (error.code === "NoSuchAccessPointPolicy") return { kind: "none" };
        return { kind: "error", code: error.code, message: error.message };
      }
      return parseLivePolicy(raw, context.target);
    },

    async putPolicy(ap, policyJson) {
      await call(contextOf("PutAccessPointPolicy", ap), (client) =>
        client.send(
          new PutAccessPointPolicyCommand({
            AccountId: ap.accountId,
            Name: nameOf(ap),
            Policy: policyJson,
          }),
        ),
      );
    },

    async deletePolicy(ap) {
      try {
        await call(contextOf("DeleteAccessPointPolicy", ap), (client) =>
          client.send(
            new DeleteAccessPointPolicyCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
      } catch (error) {
        if (error instanceof AwsError && error.code === "NoSuchAccessPointPolicy") return;
        throw error;
      }
    },

    async listAccessPoints(accountId, region, outpostId) {
      if (outpostId !== undefined) return listOutpostAccessPoints(accountId, region, outpostId);
      const context: CallContext = {
        operation: "ListAccessPoints",
        accountId,
        region,
        target: `account ${accountId} in ${region}`,
        outposts: false,
      };
      return listPages(context, async (client, token) => {
        const output = await client.send(
          new ListAccessPointsCommand({
            AccountId: accountId,
            MaxResults: options.listPageSize ?? 1000,
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
        );
        return { items: summariesOf(output.AccessPointList), nextToken: output.NextToken };
      });
    },

    async getPolicyStatus(ap) {
      // NOTE: S3 on Outposts answers GetAccessPointPolicyStatus with UnsupportedOperation.
      if (ap.outpostId !== undefined) return null;
      try {
        const output = await call(contextOf("GetAccessPointPolicyStatus", ap), (client) =>
          client.send(
            new GetAccessPointPolicyStatusCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
        return { isPublic: output.PolicyStatus?.IsPublic === true };
      } catch (error) {
        if (error instanceof AwsError && error.code === "UnsupportedOperation") return null;
        throw error;
      }
    },

    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      limiters.clear();
    },
  };
}

function summariesOf(list: readonly S3ControlAccessPoint[] | undefined): AccessPointSummary[] {
  return (list ?? []).flatMap((entry) =>
    entry.Name === undefined
      ? []
      : [
          {
            name: entry.Name,
            ...(entry.Bucket !== undefined ? { bucket: entry.Bucket } : {}),
            ...(entry.AccessPointArn !== undefined ? { arn: entry.AccessPointArn } : {}),
          },
        ],
  );
}

/** AWS's returned text is unspecified in layout; it must at least be a JSON object. */
function parseLivePolicy(raw: string | undefined, target: string): LiveState {
  if (raw === undefined || raw.trim() === "") return { kind: "none" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return {
      kind: "error",
      code: "InvalidLivePolicy",
      message: `the live policy of ${target} is not valid JSON (${(error as Error).message}); fix or delete it in AWS`,
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      kind: "error",
      code: "InvalidLivePolicy",
      message: `the live policy of ${target} is not a JSON object; fix or delete it in AWS`,
    };
  }
  return {
    kind: "policy",
    policy: parsed as PolicyDocument,
    raw,
  };
}
