// IAM's service authorization data (generated/s3-authorization.js) as an access point sees it,
// keyed by service prefix: the actions, what each acts on (the access point itself or its
// objects, with the cited corrections below), and the condition keys a request can carry.
// Validation and the access verdict read the same tables, so they agree on what exists.
import type { AccessPointAuthorization } from "../policy/access-verdict.js";
import type { ActionSample } from "../policy/request-search.js";
import { s3Authorization } from "./generated/s3-authorization.js";

/** The services whose access points s3ap manages (the prefix of their actions). */
export type AccessPointService = keyof typeof s3Authorization.services;

/** What a request through an access point acts on: the access point, or one of its objects. */
export type ResourceKind = "access-point" | "object";

interface ServiceRules {
  /** The data's resource types that name an access point or its objects. */
  resourceKinds: Readonly<Record<string, ResourceKind>>;
  /** Corrections to the data, by action name in lower case: what the action acts on. */
  corrections: Readonly<Record<string, readonly ResourceKind[]>>;
}

// IAM's "Actions, resources, and condition keys" tables for Amazon S3, S3 on Outposts and S3
// Express (directory buckets).
const SERVICE_RULES: Record<AccessPointService, ServiceRules> = {
  s3: {
    resourceKinds: { accesspoint: "access-point", accesspointobject: "object" },
    corrections: {
      // NOTE: the data lists s3:ListBucketMultipartUploads for buckets only, but S3 serves its
      // operation, ListMultipartUploads, through access points (S3 User Guide, "Access point
      // compatibility": https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-service-api-support.html;
      // S3 API Reference, ListMultipartUploads: "When using this action with an access point, you
      // must direct requests to the access point hostname"), so the access point's policy is
      // evaluated for it and may name it. One public measurement disagrees for access points
      // attached to FSx for ONTAP volumes (Yoshiki0705/FSx-for-ONTAP-S3AccessPoints-Serverless-
      // Patterns, docs/s3ap-authorization-model.en.md: "MalformedPolicy: invalid action"); a
      // policy file does not say what its access point is attached to, so s3ap follows the User
      // Guide for every access point.
      listbucketmultipartuploads: ["access-point"],
    },
  },
  "s3-outposts": {
    resourceKinds: { accesspoint: "access-point", object: "object" },
    corrections: {},
  },
  // Directory buckets: requests through an access point are authorized by s3express:CreateSession
  // on the access point; the operations a session may use are its scope's business.
  s3express: {
    resourceKinds: { accesspoint: "access-point" },
    corrections: {},
  },
};

export interface ActionInfo {
  /** IAM's spelling, without the service prefix. */
  name: string;
  /** What the action acts on through an access point; empty: nothing an access point serves. */
  kinds: readonly ResourceKind[];
  /** The data's resource types, for messages. */
  resourceTypes: readonly string[];
  /** Service condition keys (lower case) its requests can carry, resource-type keys included. */
  conditionKeys: ReadonlySet<string>;
}

interface ServiceIndex {
  /** lower-case name -> the action */
  actions: Map<string, ActionInfo>;
  /** Resource kind -> the service keys (lower case) every request on it carries. */
  kindKeys: Map<ResourceKind, Set<string>>;
}

const indexes = new Map<AccessPointService, ServiceIndex>();

function indexOf(service: AccessPointService): ServiceIndex {
  const cached = indexes.get(service);
  if (cached !== undefined) return cached;
  const data = s3Authorization.services[service];
  const rules = SERVICE_RULES[service];
  const keyAt = (i: number) => (data.conditionKeys[i] ?? "").toLowerCase();
  const kindKeys = new Map<ResourceKind, Set<string>>();
  for (const [type, keys] of Object.entries(data.resourceTypeConditionKeys)) {
    const kind = rules.resourceKinds[type];
    if (kind === undefined) continue;
    const set = kindKeys.get(kind) ?? new Set<string>();
    for (const i of keys) set.add(keyAt(i));
    kindKeys.set(kind, set);
  }
  const actions = new Map<string, ActionInfo>();
  for (const [name, resourceTypes] of Object.entries(data.actions)) {
    const lower = name.toLowerCase();
    const fromData = resourceTypes.flatMap((type) => rules.resourceKinds[type] ?? []);
    const kinds = [...new Set(rules.corrections[lower] ?? fromData)];
    const conditionKeys = new Set((data.actionConditionKeys[name] ?? []).map(keyAt));
    actions.set(lower, { name, kinds, resourceTypes, conditionKeys });
  }
  const index = { actions, kindKeys };
  indexes.set(service, index);
  return index;
}

/** Every action of the service. */
export function serviceActions(service: AccessPointService): Iterable<ActionInfo> {
  return indexOf(service).actions.values();
}

/** The action named `name` (without prefix, any letter case), if IAM has it. */
export function actionInfo(service: AccessPointService, name: string): ActionInfo | undefined {
  return indexOf(service).actions.get(name.toLowerCase());
}

// The data writes the variable part of a key as `${TagKey}`, `<key>` or `tag-key`.
const VARIABLE_PART = /\/(\$\{[^}]+\}|<[^>]+>|tag-key)$/;

/** How IAM knows a condition key: see conditionKeyKind. */
export type ConditionKeyKind = "global" | "federation" | "service" | "unknown";

interface KeyIndex {
  exact: Map<string, ConditionKeyKind>;
  /** Lower-case prefixes (`aws:principaltag/`) of keys with a variable part. */
  prefixes: Array<[prefix: string, kind: ConditionKeyKind]>;
  /** Every key as IAM spells it, for suggestions. */
  spelled: string[];
}

const keyIndexes = new Map<AccessPointService, KeyIndex>();

function keyIndexOf(service: AccessPointService): KeyIndex {
  const cached = keyIndexes.get(service);
  if (cached !== undefined) return cached;
  const exact = new Map<string, ConditionKeyKind>();
  const prefixes: KeyIndex["prefixes"] = [];
  const groups: Array<[ConditionKeyKind, readonly string[]]> = [
    ["global", s3Authorization.globalConditionKeys],
    ["federation", s3Authorization.federationConditionKeys],
    ["service", s3Authorization.services[service].conditionKeys],
  ];
  for (const [kind, keys] of groups) {
    for (const key of keys) {
      const variable = VARIABLE_PART.exec(key);
      if (variable === null) exact.set(key.toLowerCase(), kind);
      else prefixes.push([key.slice(0, variable.index + 1).toLowerCase(), kind]);
    }
  }
  const spelled = [...new Set(groups.flatMap(([, keys]) => keys))];
  const index = { exact, prefixes, spelled };
  keyIndexes.set(service, index);
  return index;
}

/**
 * The data's spelling of a key in lower case (`s3:existingobjecttag/<key>` for
 * `s3:ExistingObjectTag/data`), as conditionKeys lists it, or undefined for an unknown key.
 */
function dataKey(service: AccessPointService, key: string): string | undefined {
  const lower = key.toLowerCase();
  const index = keyIndexOf(service);
  if (index.exact.has(lower)) return lower;
  for (const [prefix] of index.prefixes) {
    if (lower.startsWith(prefix) && lower.length > prefix.length) {
      const data = s3Authorization.services[service].conditionKeys.find((k) =>
        k.toLowerCase().startsWith(prefix),
      );
      return (data ?? prefix).toLowerCase();
    }
  }
  return undefined;
}

/**
 * Whether IAM knows the key (names compare case-insensitively), and as what: a global key, a key
 * of a federated identity provider, a key of the service, or unknown (requests never carry it).
 */
export function conditionKeyKind(service: AccessPointService, key: string): ConditionKeyKind {
  const lower = key.toLowerCase();
  const index = keyIndexOf(service);
  const exact = index.exact.get(lower);
  if (exact !== undefined) return exact;
  for (const [prefix, kind] of index.prefixes) {
    if (lower.startsWith(prefix) && lower.length > prefix.length) return kind;
  }
  return "unknown";
}

/** Every condition key IAM knows for the service, as IAM spells it (for suggestions). */
export function knownConditionKeys(service: AccessPointService): readonly string[] {
  return keyIndexOf(service).spelled;
}

/**
 * Whether a request for `action` on a resource of `kind` can carry the service key `key`: the
 * data lists the key for the action or for the resource type.
 */
export function requestCarriesServiceKey(
  service: AccessPointService,
  action: ActionInfo,
  kind: ResourceKind,
  key: string,
): boolean {
  const data = dataKey(service, key);
  if (data === undefined) return false;
  return (
    action.conditionKeys.has(data) || (indexOf(service).kindKeys.get(kind)?.has(data) ?? false)
  );
}

/** The service an access point ARN belongs to, from its service field. */
export function serviceOfArn(arn: string): AccessPointService | undefined {
  const service = arn.split(":")[2];
  return service !== undefined && service in SERVICE_RULES
    ? (service as AccessPointService)
    : undefined;
}

const verdictActions = new Map<AccessPointService, readonly ActionSample[]>();

/**
 * What the access verdict needs to know of requests through the access point `arn`: its
 * service's actions and the keys their requests carry. Undefined for an ARN of a service s3ap
 * has no data for (the verdict then compares patterns alone).
 */
export function accessPointAuthorization(arn: string): AccessPointAuthorization | undefined {
  const service = serviceOfArn(arn);
  if (service === undefined) return undefined;
  let actions = verdictActions.get(service);
  if (actions === undefined) {
    actions = [...serviceActions(service)]
      .filter((action) => action.kinds.length > 0)
      .map((action) => ({
        lower: `${service}:${action.name.toLowerCase()}`,
        display: `${service}:${action.name}`,
        kinds: action.kinds,
      }));
    verdictActions.set(service, actions);
  }
  return {
    arn,
    actions,
    carries(key, action, kind) {
      const known = conditionKeyKind(service, key);
      if (known === "global" || known === "federation") return "free";
      if (known === "unknown") return "absent";
      const info = actionInfo(service, action.display.slice(action.display.indexOf(":") + 1));
      if (info === undefined) return "free";
      return requestCarriesServiceKey(service, info, kind, key) ? "free" : "absent";
    },
  };
}
