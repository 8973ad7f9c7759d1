import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { DIRECTORY_SUFFIX } from "../access-point/kind.js";

type EndpointProvider = S3ControlClient["config"]["endpointProvider"];
type EndpointParams = Parameters<EndpointProvider>[0];

const MAX_ENTRIES = 1000;

/**
 * The key of one endpoint answer: every rule parameter, except that bare access point names
 * share an entry per kind — the rules read AccessPointName only to recognise an ARN (Outposts)
 * and the `--xa-s3` suffix of directory-bucket access points (routed to s3express-control and
 * signed for s3express).
 */
export function endpointCacheKey(params: EndpointParams): string {
  const name = params.AccessPointName;
  const shared =
    typeof name === "string" && !name.startsWith("arn:")
      ? { ...params, AccessPointName: name.endsWith(DIRECTORY_SUFFIX) ? DIRECTORY_SUFFIX : "" }
      : params;
  return JSON.stringify(shared, Object.keys(shared).sort());
}

/**
 * Memoises the client's endpoint rules.
 *
 * NOTE: the SDK's own endpoint cache holds 50 answers keyed by access point name, so with
 * thousands of access points every request evaluated the whole S3 Control rule set again —
 * several percent of the client's CPU per request, on the path that decides how fast a plan
 * of 10,000 access points can go.
 */
export function cacheEndpoints(client: S3ControlClient): void {
  const resolve: EndpointProvider = client.config.endpointProvider;
  const cache = new Map<string, ReturnType<EndpointProvider>>();
  client.config.endpointProvider = (params, context) => {
    const key = endpointCacheKey(params);
    let endpoint = cache.get(key);
    if (endpoint === undefined) {
      endpoint = resolve(params, context);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, endpoint);
    }
    return endpoint;
  };
}
