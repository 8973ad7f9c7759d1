// How every S3 Control request is sent: one client per region (per account and region when
// accounts sign with their own roles), one rate limiter per (account, region) shared by all
// operations, retries with backoff and full jitter, every page of a list.
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { AwsError } from "../errors.js";
import type { AccountCredentials } from "./assume-role.js";
import { createS3ControlClient } from "./client.js";
import { describeFailure, type Operation } from "./failure-message.js";
import { attemptThrough, createLimiterPool } from "./limited-attempt.js";
import { isLoopbackUrl, loopbackCredentials } from "./loopback-credentials.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./request-timeout.js";
import { DEFAULT_RETRY_POLICY, RetryExhausted, type RetryPolicy, withRetry } from "./retry.js";
import type { StoreEvent } from "./store-events.js";

export interface S3ControlCallOptions {
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
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onEvent?: (event: StoreEvent) => void;
  /** Roles per account: each account's requests are signed with its own credentials only. */
  accountCredentials?: AccountCredentials;
  /** Replaces client creation (tests); the endpoint override is then the factory's business. */
  clientFactory?: (region: string, credentials?: AwsCredentialIdentityProvider) => S3ControlClient;
}

export interface CallContext {
  operation: Operation;
  accountId: string;
  region: string;
  /** ARN of the access point, or a description of the listed account and region. */
  target: string;
  outposts: boolean;
}

export type PageOf<T> = (
  client: S3ControlClient,
  token: string | undefined,
) => Promise<{ items: T[]; nextToken: string | undefined }>;

export interface S3ControlCalls {
  /** One rate-limited, retried call; any failure becomes an actionable AwsError. */
  call<T>(context: CallContext, send: (client: S3ControlClient) => Promise<T>): Promise<T>;
  /** Every page of a paginated call; a NextToken seen twice is a broken endpoint, not a loop. */
  listPages<T>(context: CallContext, page: PageOf<T>): Promise<T[]>;
  destroy(): void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createS3ControlCalls(options: S3ControlCallOptions): S3ControlCalls {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const retryPolicy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const clients = new Map<string, S3ControlClient>();
  const limiters = createLimiterPool({
    ratePerSecond: options.ratePerSecond,
    now,
    sleep,
    onEvent: options.onEvent,
  });

  // One provider for every region's client, so the placeholder notice comes once.
  const endpointUrl = options.endpointUrl;
  const loopback =
    endpointUrl !== undefined && isLoopbackUrl(endpointUrl)
      ? loopbackCredentials(() =>
          options.onEvent?.({ type: "placeholder-credentials", endpointUrl }),
        )
      : undefined;

  function clientFor(
    accountId: string,
    region: string,
    role: AwsCredentialIdentityProvider | undefined,
  ): S3ControlClient {
    // A client holds one set of credentials: with a role, it serves that account only.
    const key = role === undefined ? region : `${accountId}/${region}`;
    const credentials = role ?? loopback;
    let client = clients.get(key);
    if (client === undefined) {
      client =
        options.clientFactory?.(region, credentials) ??
        createS3ControlClient({
          region,
          requestTimeoutMs,
          ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
          ...(credentials !== undefined ? { credentials } : {}),
        });
      clients.set(key, client);
    }
    return client;
  }

  async function call<T>(
    context: CallContext,
    send: (client: S3ControlClient) => Promise<T>,
  ): Promise<T> {
    // A role that cannot be assumed fails here, once per account, before any S3 Control request.
    const credentials = await options.accountCredentials?.providerFor(
      context.accountId,
      context.region,
    );
    const limiter = limiters.limiterFor(context.accountId, context.region);
    const client = clientFor(context.accountId, context.region, credentials);
    try {
      return await withRetry(() => attemptThrough(limiter, () => send(client)), retryPolicy, {
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
      });
    } catch (error) {
      if (!(error instanceof RetryExhausted)) throw error;
      throw describeFailure(error.failure, {
        ...context,
        attempts: error.attempts,
        ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
      });
    }
  }

  async function listPages<T>(context: CallContext, page: PageOf<T>): Promise<T[]> {
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

  return {
    call,
    listPages,
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      limiters.clear();
    },
  };
}
