// Takes out of a client's middleware stack the SDK steps that do nothing s3ap needs: each one
// runs on every request.
import type {
  S3ControlClient,
  ServiceInputTypes,
  ServiceOutputTypes,
} from "@aws-sdk/client-s3-control";
import type { FinalizeRequestMiddleware } from "@smithy/types";

/**
 * - loggerMiddleware: the client has no logger (the SDK's NoOpLogger); s3ap reports through its
 *   own sinks.
 * - recursionDetectionMiddleware: reads two environment variables per request to forward an
 *   AWS Lambda trace id; s3ap runs as a CLI and a GitHub Action, not inside Lambda.
 * The removal is by name: a name the SDK no longer uses removes nothing.
 */
export const UNUSED_MIDDLEWARE = ["loggerMiddleware", "recursionDetectionMiddleware"] as const;

/**
 * retryMiddleware: the client is built with maxAttempts 1 (s3ap's own retry and rate limiter
 * must see every throttle), so it only stamped the amz-sdk-invocation-id and amz-sdk-request
 * headers, which AWS does not need, and took a retry token it never spent. It is replaced, not
 * removed: the signing middleware is placed relative to its name.
 */
const passThrough: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) =>
  next;

export function removeUnusedMiddleware(client: S3ControlClient): void {
  for (const name of UNUSED_MIDDLEWARE) client.middlewareStack.remove(name);
  client.middlewareStack.add(passThrough, {
    name: "retryMiddleware",
    step: "finalizeRequest",
    priority: "high",
    override: true,
  });
}
