// Action names against IAM's service authorization data for s3 / s3-outposts: names that are not
// IAM actions, and actions that do not apply to an access point or its objects, which AWS refuses
// in an access point policy with MalformedPolicy "Policy has invalid action".
import type { Severity } from "../model.js";
import { s3Authorization } from "./generated/s3-authorization.js";
import { nearestName } from "./nearest-name.js";

export type ActionService = "s3" | "s3-outposts" | "s3express";

export interface ActionVerdict {
  severity: Severity;
  message: string;
}

// Resource types of the requests an access point policy is evaluated for (IAM's "Actions,
// resources, and condition keys" tables for Amazon S3 and S3 on Outposts).
const ACCESS_POINT_RESOURCE_TYPES: Record<ActionService, readonly string[]> = {
  s3: ["accesspoint", "accesspointobject"],
  "s3-outposts": ["accesspoint", "object"],
  // Directory buckets: requests through an access point are authorized by s3express:CreateSession
  // on the access point; the operations a session may use are its scope's business.
  s3express: ["accesspoint"],
};

// NOTE: the data lists these with the access point resource type, yet AWS refuses them in an
// access point policy ("Policy has invalid action", measured on access points: the FSx for ONTAP
// S3 access point authorization notes, Yoshiki0705/FSx-for-ONTAP-S3AccessPoints-Serverless-
// Patterns docs/s3ap-authorization-model.en.md). The S3 Control actions on the access point
// itself (its policy, its tags, creating and deleting it) are granted by identity policies.
const S3_CONTROL_ON_ACCESS_POINT = /AccessPoint|^(TagResource|UntagResource|ListTagsForResource)$/;
const REFUSED_DESPITE_DATA = new Set(["getbucketlocation"]);

// API operations that are not IAM action names, and the action that authorizes them (S3 API
// reference, "Permissions" of each operation). Only used to suggest the right name.
const API_OPERATIONS: Record<string, string> = {
  listobjectsv2: "ListBucket",
  listobjects: "ListBucket",
  headbucket: "ListBucket",
  headobject: "GetObject",
  listobjectversions: "ListBucketVersions",
  listmultipartuploads: "ListBucketMultipartUploads",
  listparts: "ListMultipartUploadParts",
  createmultipartupload: "PutObject",
  uploadpart: "PutObject",
  uploadpartcopy: "PutObject",
  completemultipartupload: "PutObject",
  copyobject: "PutObject",
  deleteobjects: "DeleteObject",
};

interface ServiceIndex {
  /** lower-case name -> IAM's spelling */
  names: Map<string, string>;
  /** lower-case name -> resource types */
  resourceTypes: Map<string, readonly string[]>;
  /** IAM's spelling of every action that applies to an access point, for suggestions. */
  applicable: string[];
  applicableSet: ReadonlySet<string>;
  all: string[];
}

const indexes = new Map<ActionService, ServiceIndex>();

function indexOf(service: ActionService): ServiceIndex {
  let index = indexes.get(service);
  if (index === undefined) {
    const names = new Map<string, string>();
    const resourceTypes = new Map<string, readonly string[]>();
    for (const [name, types] of Object.entries(s3Authorization.services[service].actions)) {
      names.set(name.toLowerCase(), name);
      resourceTypes.set(name.toLowerCase(), types);
    }
    const all = [...names.values()];
    const applicable = all.filter(
      (name) => whyNotApplicable(service, name, resourceTypes) === undefined,
    );
    index = { names, resourceTypes, all, applicable, applicableSet: new Set(applicable) };
    indexes.set(service, index);
  }
  return index;
}

function whyNotApplicable(
  service: ActionService,
  name: string,
  resourceTypes: Map<string, readonly string[]>,
): string | undefined {
  const lower = name.toLowerCase();
  if (S3_CONTROL_ON_ACCESS_POINT.test(name)) {
    return "acts on the access point itself (S3 Control); grant it in an IAM identity policy, not in the access point's policy";
  }
  if (REFUSED_DESPITE_DATA.has(lower)) {
    return "is listed for access points in IAM's data, but AWS refuses it in their policies (measured)";
  }
  const types = resourceTypes.get(lower) ?? [];
  const fits = ACCESS_POINT_RESOURCE_TYPES[service];
  if (!types.some((type) => fits.includes(type))) {
    const on = types.length === 0 ? "no resource (it is account-wide)" : types.join(", ");
    return `applies to ${on}, not to an access point or its objects`;
  }
  return undefined;
}

/** IAM's wildcard match (`*` any run, `?` one character), case-insensitive like action names. */
function wildcardPattern(name: string): RegExp {
  const body = name
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "i");
}

/**
 * Checks the part after `service:` of an action (the prefix is already checked). `key` is the
 * statement key it came from: NotAction names must exist, but need not apply to access points.
 */
export function checkActionName(
  service: ActionService,
  name: string,
  key: "Action" | "NotAction",
): ActionVerdict | undefined {
  const index = indexOf(service);
  const quoted = JSON.stringify(`${service}:${name}`);
  if (name.includes("*") || name.includes("?")) {
    if (name === "*") return undefined;
    const pattern = wildcardPattern(name);
    const matches = index.all.filter((action) => pattern.test(action));
    if (matches.length === 0) {
      return {
        severity: "warning",
        message: `action ${quoted} matches no ${service} action, so it grants nothing; check the spelling`,
      };
    }
    if (key === "Action" && !matches.some((action) => index.applicableSet.has(action))) {
      return {
        severity: "warning",
        message: `action ${quoted} matches only actions that do not apply to an access point (${matches.slice(0, 3).join(", ")}${matches.length > 3 ? ", ..." : ""}), so it grants nothing here`,
      };
    }
    return undefined;
  }
  const lower = name.toLowerCase();
  const spelled = index.names.get(lower);
  if (spelled === undefined) {
    const hint = API_OPERATIONS[lower];
    const suggestion =
      hint ?? nearestName(name, key === "Action" ? index.applicable : index.all)?.name;
    const because = hint !== undefined ? ` (IAM authorizes ${name} with ${service}:${hint})` : "";
    return {
      severity: "error",
      message: `${quoted} is not an IAM action of ${service}${because}; did you mean "${service}:${suggestion}"? AWS refuses the policy ("Policy has invalid action")`,
    };
  }
  if (key === "NotAction") return undefined;
  const why = whyNotApplicable(service, spelled, index.resourceTypes);
  if (why === undefined) return undefined;
  return {
    severity: "error",
    message: `action ${quoted} ${why}; AWS refuses it in an access point policy ("Policy has invalid action")`,
  };
}
