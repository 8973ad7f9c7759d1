import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { DIRECTORY_SUFFIX } from "../access-point/kind.js";

type EndpointProvider = S3ControlClient["config"]["endpointProvider"];
type EndpointParams = Parameters<EndpointProvider>[0];

const MAX_ENTRIES = 1000;

/**
 * The key of one endpoint answer: every rule parameter, except that bare access point names
 * share an entry per kind — the rules read AccessPointName only to recognise an ARN (Outposts)
 * and the `--xa-s3` suffix of directory-bucket access points (routed to s3express-control and
 * signed for s3express). Built on every request, so by concatenation in the order the SDK lists
 * the parameters (it builds them the same way for every call; another order only makes a second
 * entry), with no copy of the parameters and no sort.
 */
export function endpointCacheKey(params: EndpointParams): string {
  let key = "";
  for (const name in params) {
    const value = (params as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const shown =
      name === "AccessPointName" && typeof value === "string" && !value.startsWith("arn:")
        ? value.endsWith(DIRECTORY_SUFFIX)
          ? DIRECTORY_SUFFIX
          : ""
        : typeof value === "string"
          ? value
          : JSON.stringify(value);
    key += `${name}\u0000${shown}\u0000`;
  }
  return key;
}

/**
 * Memoises the client's endpoint rules.
 *
 * NOTE: the SDK's own endpoint cache holds 50 answers keyed by access point name, so with
 * thousands of access points every request evaluated the whole S3 Control rule set again —
 * several percent of the client's CPU per request, on the path that decides how fast a plan
 * of 10,000 access points can go. Call it after pinEndpoint, so the pinned answers are the
 * ones kept (the SDK never changes an endpoint it is handed: its own cache shares them too).
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
