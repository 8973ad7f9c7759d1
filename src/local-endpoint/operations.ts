// The S3 Control access point operations over the in-memory store, answering with the same
// XML shapes AWS sends (and the SDK's schema-based deserializer reads).
import { DIRECTORY_SUFFIX } from "../access-point/kind.js";
import { SCOPE_PERMISSIONS } from "../model.js";
import { isPublicPolicy, malformedPolicyReason } from "./policy-rules.js";
import type { OperationName } from "./routes.js";
import { noSuchAccessPoint, noSuchAccessPointPolicy, ServiceError } from "./service-error.js";
import type { AccessPointStore, Namespace, StoredAccessPoint } from "./store.js";
import { el, elementText, elementTexts, responseDocument } from "./xml.js";

export interface OperationRequest {
  operation: OperationName;
  ns: Namespace;
  name?: string;
  query: URLSearchParams;
  body: string;
}

export interface OperationResponse {
  status: number;
  /** XML document, or empty for operations that answer with no body. */
  body: string;
}

const DEFAULT_MAX_RESULTS = 1000;
const OK_EMPTY: OperationResponse = { status: 200, body: "" };

/** AWS's scope limit: "the total length of characters of all prefixes must be less than 256 bytes". */
export const MAX_SCOPE_PREFIX_BYTES = 256;

// `<base>--<zone-id>--xa-s3`, e.g. reports--use1-az4--xa-s3.
const DIRECTORY_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?--[a-z0-9]+-[a-z0-9-]+--xa-s3$/;

/** AWS's rules for access point names (3–50 chars, lowercase, digits, '-', no '-s3alias'). */
export function invalidNameReason(name: string): string | undefined {
  if (name.endsWith(DIRECTORY_SUFFIX)) {
    return DIRECTORY_NAME.test(name)
      ? undefined
      : "of a directory bucket must look like <name>--<zone-id>--xa-s3";
  }
  if (name.length < 3 || name.length > 50) return "must be between 3 and 50 characters long";
  if (!/^[a-z0-9-]+$/.test(name)) return "may contain only lowercase letters, numbers and hyphens";
  if (name.startsWith("-") || name.endsWith("-"))
    return "must begin and end with a letter or number";
  if (name.endsWith("-s3alias")) return "must not end with the suffix -s3alias";
  return undefined;
}

function publicAccessBlockXml(): string {
  const flags = [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
  ];
  return `<PublicAccessBlockConfiguration>${flags.map((f) => el(f, true)).join("")}</PublicAccessBlockConfiguration>`;
}

function vpcXml(ap: StoredAccessPoint): string {
  return ap.vpcId !== undefined
    ? `<VpcConfiguration>${el("VpcId", ap.vpcId)}</VpcConfiguration>`
    : "";
}

function endpointsXml(ap: StoredAccessPoint): string {
  if (ap.outpostId !== undefined) return "";
  const r = ap.region;
  const entries: [string, string][] = [
    ["ipv4", `s3-accesspoint.${r}.amazonaws.com`],
    ["fips", `s3-accesspoint-fips.${r}.amazonaws.com`],
    ["fips_dualstack", `s3-accesspoint-fips.dualstack.${r}.amazonaws.com`],
    ["dualstack", `s3-accesspoint.dualstack.${r}.amazonaws.com`],
  ];
  const inner = entries.map(([k, v]) => `<entry>${el("key", k)}${el("value", v)}</entry>`).join("");
  return `<Endpoints>${inner}</Endpoints>`;
}

function networkOrigin(ap: StoredAccessPoint): string {
  return ap.vpcId !== undefined ? "VPC" : "Internet";
}

function existing(store: AccessPointStore, ns: Namespace, name: string): StoredAccessPoint {
  const ap = store.get(ns, name);
  if (!ap) throw noSuchAccessPoint(name);
  return ap;
}

function encodeToken(afterName: string): string {
  return Buffer.from(JSON.stringify({ after: afterName }), "utf8").toString("base64");
}

function decodeToken(token: string): string {
  try {
    const after = JSON.parse(Buffer.from(token, "base64").toString("utf8")).after;
    if (typeof after === "string") return after;
  } catch {
    // fall through to the error below
  }
  throw new ServiceError("InvalidRequest", 400, "The continuation token provided is incorrect");
}

const isDirectory = (ap: StoredAccessPoint) => ap.name.endsWith(DIRECTORY_SUFFIX);

/**
 * One page of the namespace's access points that `selects` keeps, in name order. AWS caps a page
 * at 1000 whatever maxResults asks for.
 */
function listPage(
  store: AccessPointStore,
  req: OperationRequest,
  root: string,
  selects: (ap: StoredAccessPoint) => boolean,
): OperationResponse {
  const rawMax = req.query.get("maxResults");
  let max = DEFAULT_MAX_RESULTS;
  if (rawMax !== null && rawMax !== "") {
    const parsed = Number(rawMax);
    if (!Number.isInteger(parsed) || parsed < 0) {
      throw new ServiceError("InvalidRequest", 400, "maxResults must be a non-negative integer");
    }
    max = parsed === 0 ? DEFAULT_MAX_RESULTS : Math.min(parsed, DEFAULT_MAX_RESULTS);
  }
  const token = req.query.get("nextToken");
  const after = token ? decodeToken(token) : undefined;
  const all = store.list(req.ns);
  let start = 0;
  if (after !== undefined) {
    // Names are sorted: binary search for the first name after the token's.
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((all[mid] as StoredAccessPoint).name <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page: StoredAccessPoint[] = [];
  let i = start;
  for (; i < all.length && page.length < max; i++) {
    const ap = all[i] as StoredAccessPoint;
    if (selects(ap)) page.push(ap);
  }
  // More only if a later access point would also be selected.
  let more = false;
  for (let j = i; j < all.length; j++) {
    if (selects(all[j] as StoredAccessPoint)) {
      more = true;
      break;
    }
  }
  const items = page
    .map(
      (ap) =>
        `<AccessPoint>${el("Name", ap.name)}${el("NetworkOrigin", networkOrigin(ap))}${vpcXml(ap)}${el("Bucket", ap.bucket)}${el("AccessPointArn", ap.arn)}${el("Alias", ap.alias)}${el("BucketAccountId", ap.accountId)}${el("DataSourceId", ap.dataSource?.id)}${el("DataSourceType", ap.dataSource?.type)}</AccessPoint>`,
    )
    .join("");
  const last = page[page.length - 1];
  const next = more && last ? el("NextToken", encodeToken(last.name)) : "";
  return {
    status: 200,
    body: responseDocument(root, `<AccessPointList>${items}</AccessPointList>${next}`),
  };
}

// NOTE: ListAccessPoints lists only access points attached to S3 buckets unless DataSourceType
// is ALL (then FSx-attached ones too), and never directory-bucket ones.
function listAccessPoints(store: AccessPointStore, req: OperationRequest): OperationResponse {
  const bucket = req.query.get("bucket");
  const everySource = req.query.get("dataSourceType") === "ALL";
  return listPage(
    store,
    req,
    "ListAccessPointsResult",
    (ap) =>
      !isDirectory(ap) &&
      (everySource || ap.dataSource === undefined) &&
      (bucket === null || bucket === "" || ap.bucket === bucket),
  );
}

function listDirectoryAccessPoints(
  store: AccessPointStore,
  req: OperationRequest,
): OperationResponse {
  const bucket = req.query.get("directoryBucket");
  return listPage(
    store,
    req,
    "ListAccessPointsForDirectoryBucketsResult",
    (ap) => isDirectory(ap) && (bucket === null || bucket === "" || ap.bucket === bucket),
  );
}

function directoryAccessPoint(
  store: AccessPointStore,
  ns: Namespace,
  name: string,
): StoredAccessPoint {
  const ap = existing(store, ns, name);
  if (!isDirectory(ap)) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      "Access point scopes are supported only for access points of directory buckets",
    );
  }
  return ap;
}

/** The scope of a PutAccessPointScope body, checked as AWS documents it. */
function scopeOf(body: string): { prefixes: string[]; permissions: string[] } {
  if (elementText(body, "Scope") === undefined) {
    throw new ServiceError(
      "MalformedXML",
      400,
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
  const prefixes = elementTexts(body, "Prefix");
  const permissions = elementTexts(body, "Permission");
  const unknown = permissions.find((p) => !(SCOPE_PERMISSIONS as readonly string[]).includes(p));
  if (unknown !== undefined) {
    throw new ServiceError("InvalidRequest", 400, `Invalid scope permission: ${unknown}`);
  }
  const bytes = prefixes.reduce((sum, prefix) => sum + Buffer.byteLength(prefix, "utf8"), 0);
  if (bytes >= MAX_SCOPE_PREFIX_BYTES) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `The total length of all prefixes must be less than ${MAX_SCOPE_PREFIX_BYTES} bytes; these are ${bytes}`,
    );
  }
  return { prefixes, permissions };
}

function scopeXml(scope: { prefixes: string[]; permissions: string[] }): string {
  const prefixes = scope.prefixes.map((p) => el("Prefix", p)).join("");
  const permissions = scope.permissions.map((p) => el("Permission", p)).join("");
  return `<Scope><Prefixes>${prefixes}</Prefixes><Permissions>${permissions}</Permissions></Scope>`;
}

export function executeOperation(
  store: AccessPointStore,
  req: OperationRequest,
): OperationResponse {
  const { ns } = req;
  const name = req.name ?? "";
  switch (req.operation) {
    case "ListAccessPoints":
      return listAccessPoints(store, req);
    case "ListAccessPointsForDirectoryBuckets":
      return listDirectoryAccessPoints(store, req);
    case "GetAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      // NOTE: what AWS answers for an access point without a scope is not documented; this
      // endpoint answers NoSuchAccessPointScope, which s3ap reads as "no scope" (so does an
      // empty Scope).
      if (ap.scope === null) {
        throw new ServiceError(
          "NoSuchAccessPointScope",
          404,
          "The specified access point scope does not exist",
          { AccessPointName: name },
        );
      }
      return {
        status: 200,
        body: responseDocument("GetAccessPointScopeResult", scopeXml(ap.scope)),
      };
    }
    case "PutAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      ap.scope = scopeOf(req.body);
      return OK_EMPTY;
    }
    case "DeleteAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      ap.scope = null;
      return OK_EMPTY;
    }
    case "CreateAccessPoint": {
      const reason = invalidNameReason(name);
      if (reason) throw new ServiceError("InvalidRequest", 400, `Access point name ${reason}`);
      const bucket = elementText(req.body, "Bucket");
      if (bucket === undefined || bucket === "") {
        throw new ServiceError(
          "MalformedXML",
          400,
          "The XML you provided was not well-formed or did not validate against our published schema",
        );
      }
      // NOTE: AWS refuses a second create of the same name; moto silently replaces it.
      if (store.get(ns, name)) {
        throw new ServiceError(
          "AccessPointAlreadyOwnedByYou",
          409,
          "Your previous request to create the named accesspoint succeeded and you already own it.",
        );
      }
      const vpcId = elementText(req.body, "VpcId");
      const ap = store.put(ns, name, bucket, { vpcId: vpcId || undefined });
      return {
        status: 200,
        body: responseDocument(
          "CreateAccessPointResult",
          `${el("AccessPointArn", ap.arn)}${el("Alias", ap.alias)}`,
        ),
      };
    }
    case "GetAccessPoint": {
      const ap = existing(store, ns, name);
      return {
        status: 200,
        body: responseDocument(
          "GetAccessPointResult",
          `${el("Name", ap.name)}${el("Bucket", ap.bucket)}${el("NetworkOrigin", networkOrigin(ap))}${vpcXml(ap)}${publicAccessBlockXml()}${el("CreationDate", ap.createdAt)}${el("Alias", ap.alias)}${el("AccessPointArn", ap.arn)}${endpointsXml(ap)}${el("BucketAccountId", ap.accountId)}`,
        ),
      };
    }
    case "DeleteAccessPoint": {
      // NOTE: AWS answers NoSuchAccessPoint for a missing access point; moto answers 200.
      if (!store.delete(ns, name)) throw noSuchAccessPoint(name);
      return OK_EMPTY;
    }
    case "GetAccessPointPolicy": {
      const ap = existing(store, ns, name);
      if (ap.policy === null) throw noSuchAccessPointPolicy(name);
      return {
        status: 200,
        body: responseDocument("GetAccessPointPolicyResult", el("Policy", ap.policy)),
      };
    }
    case "PutAccessPointPolicy": {
      const ap = existing(store, ns, name);
      const policy = elementText(req.body, "Policy");
      if (policy === undefined) {
        throw new ServiceError(
          "MalformedXML",
          400,
          "The XML you provided was not well-formed or did not validate against our published schema",
        );
      }
      const reason = malformedPolicyReason(policy);
      if (reason) throw new ServiceError("MalformedPolicy", 400, reason);
      store.setPolicy(ap, policy);
      return OK_EMPTY;
    }
    case "DeleteAccessPointPolicy": {
      const ap = existing(store, ns, name);
      store.setPolicy(ap, null);
      return OK_EMPTY;
    }
    case "GetAccessPointPolicyStatus": {
      const ap = existing(store, ns, name);
      if (ap.policy === null) throw noSuchAccessPointPolicy(name);
      return {
        status: 200,
        body: responseDocument(
          "GetAccessPointPolicyStatusResult",
          `<PolicyStatus>${el("IsPublic", isPublicPolicy(ap.policy))}</PolicyStatus>`,
        ),
      };
    }
  }
}
