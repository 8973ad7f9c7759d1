// One SDK client per (account, region) for the APIs s3ap calls beside S3 Control (IAM Access
// Analyzer, CloudTrail): each signed with its account's credentials, its requests cut after the
// timeout, and the SDK's own retries off: s3ap's retry and rate limiter must see every throttle
// (see aws/client.ts).
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./request-timeout.js";

/** What every such client is made with. */
export interface AccountClientSettings {
  region: string;
  credentials?: AwsCredentialIdentityProvider;
  maxAttempts: number;
  requestHandler: NodeHttpHandler;
  endpoint?: string;
}

export type ClientFactory<C> = (
  region: string,
  accountId: string,
  credentials: AwsCredentialIdentityProvider | undefined,
) => C;

export interface AccountClientOptions<C> {
  requestTimeoutMs?: number;
  /** Overrides the endpoint the SDK's settings give (AWS_ENDPOINT_URL_<SERVICE>). */
  endpointUrl?: string;
  /** Replaces client creation (tests). */
  clientFactory?: ClientFactory<C>;
}

export interface AccountClients<C> {
  clientFor: ClientFactory<C>;
  destroy(): void;
}

export function accountClients<C extends { destroy(): void }>(
  make: (settings: AccountClientSettings) => C,
  options: AccountClientOptions<C>,
): AccountClients<C> {
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const clients = new Map<string, C>();
  return {
    clientFor(region, accountId, credentials) {
      const key = `${accountId}/${region}`;
      let client = clients.get(key);
      if (client === undefined) {
        client =
          options.clientFactory?.(region, accountId, credentials) ??
          make({
            region,
            ...(credentials !== undefined ? { credentials } : {}),
            maxAttempts: 1,
            requestHandler: new NodeHttpHandler({
              connectionTimeout: timeout,
              requestTimeout: timeout,
              throwOnRequestTimeout: true,
            }),
            ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
          });
        clients.set(key, client);
      }
      return client;
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
