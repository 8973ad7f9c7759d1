import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3ControlClient, type S3ControlClientConfig } from "@aws-sdk/client-s3-control";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { MAX_IN_FLIGHT } from "../reconcile/ports.js";
import { VERSION } from "../version.js";
import { cacheEndpoints } from "./endpoint-cache.js";
import { pinEndpoint } from "./endpoint-override.js";
import { KeyCachingSignatureV4, reuseSigners } from "./signer-cache.js";
import { removeUnusedMiddleware } from "./unused-middleware.js";

export interface ClientSettings {
  region: string;
  endpointUrl?: string;
  /** A request without a complete answer after this long is aborted (TimeoutError). */
  requestTimeoutMs: number;
  /** Sockets per host and client; default: as many as the engine ever has in flight. */
  maxSockets?: number;
  /** Replaces the SDK's default credential chain. */
  credentials?: S3ControlClientConfig["credentials"];
  /** Replaces the HTTP layer (tests capture requests with it). */
  requestHandler?: S3ControlClient["config"]["requestHandler"];
}

/**
 * One S3 Control client for one region. Credentials come from the SDK's default chain (env,
 * profile, SSO, web identity). The SDK's own retries are off (maxAttempts 1): s3ap's retry and
 * rate limiter must see every throttle, and their sleep must be injectable.
 */
export function createS3ControlClient(settings: ClientSettings): S3ControlClient {
  const maxSockets = settings.maxSockets ?? MAX_IN_FLIGHT;
  const requestHandler =
    settings.requestHandler ??
    new NodeHttpHandler({
      connectionTimeout: settings.requestTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
      // A response that stalls halfway through its body is cut as well.
      socketTimeout: settings.requestTimeoutMs,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    });
  const client = new S3ControlClient({
    region: settings.region,
    maxAttempts: 1,
    // CloudTrail records the user agent: --attribute-drift tells s3ap's own writes by it.
    customUserAgent: `s3ap/${VERSION}`,
    // NOTE: not `cacheMiddleware: true`, though resolving the middleware stack on every send is
    // ~5 % of a plan's CPU: the cached handler shares one context object between all sends of a
    // command class, so the Outposts ARN, the account's host prefix and the signing name of one
    // request leak into the next (test/aws/endpoint-cache.test.ts routes an access point to
    // Outposts with it on).
    requestHandler,
    signerConstructor: KeyCachingSignatureV4,
    ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
  });
  if (settings.endpointUrl !== undefined) pinEndpoint(client, settings.endpointUrl);
  cacheEndpoints(client);
  reuseSigners(client);
  removeUnusedMiddleware(client);
  return client;
}
