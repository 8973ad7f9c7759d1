// An S3 Control SDK client aimed at a loopback endpoint, for these tests only.
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { ACCOUNT } from "../support/account.js";

export { ACCOUNT };

/**
 * NOTE: the SDK prepends `<AccountId>.` to the host even for a custom endpoint; with an IP
 * that is not even a valid URL. So the client is pointed at `localhost` (which stays a valid
 * host with the prefix) and a tiny middleware puts 127.0.0.1 back before sending.
 */
export function sdkClient(
  url: string,
  options: { region?: string; maxAttempts?: number; requestTimeoutMs?: number } = {},
): S3ControlClient {
  const endpoint = new URL(url);
  endpoint.hostname = "localhost";
  const client = new S3ControlClient({
    region: options.region ?? "us-east-1",
    endpoint: endpoint.toString().replace(/\/$/, ""),
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "test-secret" },
    maxAttempts: options.maxAttempts ?? 1,
    // NOTE: without throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when
    // requestTimeout passes and keeps waiting: a hanging endpoint would hang the client.
    ...(options.requestTimeoutMs !== undefined
      ? {
          requestHandler: { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true },
        }
      : {}),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { hostname?: string };
      request.hostname = "127.0.0.1";
      return next(args);
    },
    { step: "finalizeRequest", name: "loopbackHostname", priority: "low" },
  );
  return client;
}

/** The observable outcome of an SDK call: its output without metadata, or its error. */
export async function outcome(
  call: Promise<{ $metadata?: unknown }>,
): Promise<{ ok: unknown } | { error: string; status: number | undefined }> {
  try {
    const { $metadata: _ignored, ...rest } = await call;
    return { ok: rest };
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { error: e.name, status: e.$metadata?.httpStatusCode };
  }
}
