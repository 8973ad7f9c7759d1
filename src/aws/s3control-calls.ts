// How every S3 Control request is sent: one client per region (per account and region when
// accounts sign with their own roles), one rate limiter per (account, region) shared by all
// operations, retries with backoff and full jitter, every page of a list.
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { cliFlag } from "../errors.js";
import { createS3ControlClient } from "./client.js";
import { describeFailure, type IamService, type Operation } from "./failure-message.js";
import { collectPages, createLimitedCalls, type LimitedCallOptions } from "./limited-attempt.js";
import { isLoopbackUrl, loopbackCredentials } from "./loopback-credentials.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./request-timeout.js";

/** The rate is shared by all operations of an (account, region) (limited-attempt.ts). */
export interface S3ControlCallOptions extends LimitedCallOptions {
  /** --endpoint-url or AWS_ENDPOINT_URL_S3_CONTROL (the caller resolves which). */
  endpointUrl?: string;
  /** A request with no complete answer after this long is aborted and retried (default 10 s). */
  requestTimeoutMs?: number;
  /** Replaces client creation (tests); the endpoint override is then the factory's business. */
  clientFactory?: (region: string, credentials?: AwsCredentialIdentityProvider) => S3ControlClient;
}

export interface CallContext {
  operation: Operation;
  accountId: string;
  region: string;
  /** ARN of the access point, or a description of the listed account and region. */
  target: string;
  /** The IAM prefix of the operation's action (named in AccessDenied messages). */
  service: IamService;
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

export function createS3ControlCalls(options: S3ControlCallOptions): S3ControlCalls {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const clients = new Map<string, S3ControlClient>();
  const limited = createLimitedCalls(options);

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

  function call<T>(
    context: CallContext,
    send: (client: S3ControlClient) => Promise<T>,
  ): Promise<T> {
    return limited.call(
      context,
      (role) => clientFor(context.accountId, context.region, role),
      send,
      (failure, attempts) =>
        describeFailure(failure, {
          ...context,
          attempts,
          name: options.optionName ?? cliFlag,
          ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
        }),
    );
  }

  function listPages<T>(context: CallContext, page: PageOf<T>): Promise<T[]> {
    return collectPages(
      (token) => call(context, (client) => page(client, token)),
      `${context.operation} for ${context.target}`,
      "NextToken",
    );
  }

  return {
    call,
    listPages,
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      limited.clear();
    },
  };
}
