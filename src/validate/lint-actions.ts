// Action names against IAM's service authorization data for s3 / s3-outposts: names that are not
// IAM actions, and actions that do not apply to an access point or its objects, which AWS refuses
// in an access point policy with MalformedPolicy "Policy has invalid action".
import type { Severity } from "../model.js";
import {
  type AccessPointService,
  type ActionInfo,
  actionInfo,
  serviceActions,
} from "./iam-authorization.js";
import { nearestName } from "./nearest-name.js";

export type ActionService = AccessPointService;

export interface ActionVerdict {
  severity: Severity;
  message: string;
}

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
  /** IAM's spelling of every action that applies to an access point, for suggestions. */
  applicable: string[];
  applicableSet: ReadonlySet<string>;
  all: string[];
  /** Wildcards already expanded (lower case) -> the applicable actions they match. */
  expanded: Map<string, ActionInfo[]>;
  /** Why each action that does not apply to an access point does not (whyNotApplicable). */
  notApplicable: ReadonlyMap<ActionInfo, string>;
}

const MAX_EXPANDED = 1000;

const indexes = new Map<ActionService, ServiceIndex>();

function indexOf(service: ActionService): ServiceIndex {
  let index = indexes.get(service);
  if (index === undefined) {
    const actions = [...serviceActions(service)];
    const all = actions.map((action) => action.name);
    const notApplicable = new Map<ActionInfo, string>();
    for (const action of actions) {
      const why = whyNotApplicable(action);
      if (why !== undefined) notApplicable.set(action, why);
    }
    const applicable = actions
      .filter((action) => !notApplicable.has(action))
      .map((action) => action.name);
    index = {
      all,
      applicable,
      applicableSet: new Set(applicable),
      expanded: new Map(),
      notApplicable,
    };
    indexes.set(service, index);
  }
  return index;
}

function whyNotApplicable(action: ActionInfo): string | undefined {
  if (S3_CONTROL_ON_ACCESS_POINT.test(action.name)) {
    return "acts on the access point itself (S3 Control); grant it in an IAM identity policy, not in the access point's policy";
  }
  if (REFUSED_DESPITE_DATA.has(action.name.toLowerCase())) {
    return "is listed for access points in IAM's data, but AWS refuses it in their policies (measured)";
  }
  if (action.kinds.length === 0) {
    const types = action.resourceTypes;
    const on = types.length === 0 ? "no resource (it is account-wide)" : types.join(", ");
    return `applies to ${on}, not to an access point or its objects`;
  }
  return undefined;
}

/**
 * The actions that apply to an access point which `name` (after `service:`; a wildcard or a
 * literal name, any letter case) stands for.
 */
export function applicableActionsMatching(service: ActionService, name: string): ActionInfo[] {
  const index = indexOf(service);
  if (!name.includes("*") && !name.includes("?")) {
    const action = actionInfo(service, name);
    return action !== undefined && index.applicableSet.has(action.name) ? [action] : [];
  }
  const key = name.toLowerCase();
  let matches = index.expanded.get(key);
  if (matches === undefined) {
    const pattern = wildcardPattern(name);
    matches = index.applicable
      .filter((action) => pattern.test(action))
      .flatMap((action) => actionInfo(service, action) ?? []);
    // A repository uses a handful of wildcards; the bound only guards against hostile input.
    if (index.expanded.size >= MAX_EXPANDED) index.expanded.clear();
    index.expanded.set(key, matches);
  }
  return matches;
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
  // Only a problem quotes the action: most actions are fine.
  const quoted = () => JSON.stringify(`${service}:${name}`);
  if (name.includes("*") || name.includes("?")) {
    if (name === "*") return undefined;
    const pattern = wildcardPattern(name);
    const matches = index.all.filter((action) => pattern.test(action));
    if (matches.length === 0) {
      return {
        severity: "warning",
        message: `action ${quoted()} matches no ${service} action, so it grants nothing; check the spelling`,
      };
    }
    if (key === "Action" && !matches.some((action) => index.applicableSet.has(action))) {
      return {
        severity: "warning",
        message: `action ${quoted()} matches only actions that do not apply to an access point (${matches.slice(0, 3).join(", ")}${matches.length > 3 ? ", ..." : ""}), so it grants nothing here`,
      };
    }
    return undefined;
  }
  const lower = name.toLowerCase();
  const action = actionInfo(service, name);
  if (action === undefined) {
    const hint = API_OPERATIONS[lower];
    const suggestion =
      hint ?? nearestName(name, key === "Action" ? index.applicable : index.all)?.name;
    const because = hint !== undefined ? ` (IAM authorizes ${name} with ${service}:${hint})` : "";
    return {
      severity: "error",
      message: `${quoted()} is not an IAM action of ${service}${because}; did you mean "${service}:${suggestion}"? AWS refuses the policy ("Policy has invalid action")`,
    };
  }
  if (key === "NotAction") return undefined;
  const why = index.notApplicable.get(action);
  if (why === undefined) return undefined;
  return {
    severity: "error",
    message: `action ${quoted()} ${why}; AWS refuses it in an access point policy ("Policy has invalid action")`,
  };
}
