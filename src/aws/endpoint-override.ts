import type { S3ControlClient } from "@aws-sdk/client-s3-control";

type EndpointProvider = S3ControlClient["config"]["endpointProvider"];

// A syntactically valid stand-in handed to the SDK's endpoint rules instead of the real URL.
const PLACEHOLDER_ENDPOINT = "https://s3ap-endpoint-override.invalid";

/**
 * Sends every request of `client` to exactly `endpointUrl`.
 *
 * NOTE: S3 Control's endpoint rules build `{scheme}://{AccountId}.{authority}` even for a custom
 * endpoint, so `http://127.0.0.1:5000` becomes `http://111122223333.127.0.0.1:5000`, which the
 * rules themselves cannot even parse (TypeError: Invalid URL) and `deduplicateHostPrefix` does not
 * help. A middleware after endpoint resolution is too late. So we still run the SDK's rules — they
 * decide the signing name (s3 or s3-outposts), signing region and headers such as
 * x-amz-outpost-id — against a placeholder endpoint, and then replace only the URL.
 */
export function pinEndpoint(client: S3ControlClient, endpointUrl: string): void {
  const url = new URL(endpointUrl);
  const resolveByRules: EndpointProvider = client.config.endpointProvider;
  const pinned: EndpointProvider = (params, context) => {
    const resolved = resolveByRules({ ...params, Endpoint: PLACEHOLDER_ENDPOINT }, context);
    return { ...resolved, url: new URL(url.href) };
  };
  client.config.endpointProvider = pinned;
}
