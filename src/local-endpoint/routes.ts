// Maps an S3 Control request line onto the access point operations this endpoint serves, the
// directory-bucket ones (scope, listing) included.

export type OperationName =
  | "CreateAccessPoint"
  | "GetAccessPoint"
  | "DeleteAccessPoint"
  | "ListAccessPoints"
  | "GetAccessPointPolicy"
  | "PutAccessPointPolicy"
  | "DeleteAccessPointPolicy"
  | "GetAccessPointPolicyStatus"
  | "GetAccessPointScope"
  | "PutAccessPointScope"
  | "DeleteAccessPointScope"
  | "ListAccessPointsForDirectoryBuckets";

export type Route =
  | { kind: "operation"; operation: OperationName; name?: string }
  | { kind: "unsupported" }
  | { kind: "not-s3-control" };

const PREFIX = "/v20180820/";

const BY_SUFFIX: Record<string, Partial<Record<string, OperationName>>> = {
  "": { PUT: "CreateAccessPoint", GET: "GetAccessPoint", DELETE: "DeleteAccessPoint" },
  "/policy": {
    PUT: "PutAccessPointPolicy",
    GET: "GetAccessPointPolicy",
    DELETE: "DeleteAccessPointPolicy",
  },
  "/policyStatus": { GET: "GetAccessPointPolicyStatus" },
  "/scope": {
    PUT: "PutAccessPointScope",
    GET: "GetAccessPointScope",
    DELETE: "DeleteAccessPointScope",
  },
};

/** `pathname` is the raw (still percent-encoded) path without the query string. */
export function routeOf(method: string, pathname: string): Route {
  if (!pathname.startsWith(PREFIX)) return { kind: "not-s3-control" };
  const rest = pathname.slice(PREFIX.length);
  if (rest === "accesspoint" || rest === "accesspoint/") {
    return method === "GET"
      ? { kind: "operation", operation: "ListAccessPoints" }
      : { kind: "unsupported" };
  }
  if (rest === "accesspointfordirectory" || rest === "accesspointfordirectory/") {
    return method === "GET"
      ? { kind: "operation", operation: "ListAccessPointsForDirectoryBuckets" }
      : { kind: "unsupported" };
  }
  const match = /^accesspoint\/([^/]+)(\/policy|\/policyStatus|\/scope)?$/.exec(rest);
  if (!match?.[1]) return { kind: "unsupported" };
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return { kind: "unsupported" };
  }
  const operation = BY_SUFFIX[match[2] ?? ""]?.[method];
  return operation ? { kind: "operation", operation, name } : { kind: "unsupported" };
}
