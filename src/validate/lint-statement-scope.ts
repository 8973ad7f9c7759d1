// Whether a statement's actions and condition keys fit its resources, as S3 checks when a policy
// is written: an action that acts on none of the statement's resources, and a service condition
// key that no request for the statement's actions on its resources carries, make AWS refuse the
// policy (MalformedPolicy). Which action acts on what, and which keys its requests carry, is
// IAM's service authorization data (iam-authorization.ts).
import { isPlainObject } from "../policy/structural.js";
import { elementStrings } from "./element-strings.js";
import type { DataPath, Finding } from "./finding.js";
import {
  type ActionInfo,
  conditionKeyKind,
  type ResourceKind,
  requestCarriesServiceKey,
  serviceActions,
} from "./iam-authorization.js";
import { type ActionService, applicableActionsMatching } from "./lint-actions.js";
import { coversObjectsOnly } from "./resource-patterns.js";

type Json = Record<string, unknown>;

const KIND_TEXT: Record<ResourceKind, string> = {
  "access-point": "the access point itself",
  object: "its objects",
};

/** The kinds of resource a statement names, as bits. */
const ACCESS_POINT = 1;
const OBJECT = 2;
const BIT: Record<ResourceKind, number> = { "access-point": ACCESS_POINT, object: OBJECT };

/** What the statement's Resource values name (bits); 0 when one is not this access point's. */
function resourceKinds(s: Json, arn: string): number {
  if (!("Resource" in s) || "NotResource" in s) return 0;
  const resource = s.Resource;
  const list = typeof resource === "string" ? [resource] : Array.isArray(resource) ? resource : [];
  let kinds = 0;
  for (const value of list) {
    if (typeof value !== "string") continue;
    if (value === arn) kinds |= ACCESS_POINT;
    else if (coversObjectsOnly(value, arn)) kinds |= OBJECT;
    // Another resource is the resource rule's error; nothing here can be judged then.
    else return 0;
  }
  return kinds;
}

/** The service's actions of `value` (`service:Name` or a wildcard); undefined for another service. */
function actionsOf(value: string, service: ActionService): ActionInfo[] | undefined {
  const separator = value.indexOf(":");
  if (separator < 0 || value.slice(0, separator).toLowerCase() !== service) return undefined;
  return applicableActionsMatching(service, value.slice(separator + 1));
}

/**
 * Findings for one statement. `arn` is the access point's; `flagged` holds the Action values the
 * action rules already reported (an unknown or inapplicable action is not judged twice).
 */
export function lintStatementScope(
  s: Json,
  path: DataPath,
  arn: string,
  service: ActionService,
  flagged: ReadonlySet<string>,
): Finding[] {
  const kinds = resourceKinds(s, arn);
  if (kinds === 0 || !("Action" in s)) return [];
  const findings: Finding[] = [];
  const pairs: Array<[ActionInfo, ResourceKind]> = [];
  let allLiteral = true;
  for (const { value, index } of elementStrings(s.Action)) {
    if (value === "*" || flagged.has(value)) {
      allLiteral = false;
      continue;
    }
    const actions = actionsOf(value, service);
    if (actions === undefined || actions.length === 0) {
      allLiteral = false;
      continue;
    }
    const wildcard = value.includes("*") || value.includes("?");
    if (wildcard) allLiteral = false;
    let fits = false;
    for (const action of actions) {
      for (const kind of action.kinds) {
        if ((kinds & BIT[kind]) === 0) continue;
        fits = true;
        if (!wildcard) pairs.push([action, kind]);
      }
    }
    if (fits) continue;
    const actsOn = [...new Set(actions.flatMap((action) => action.kinds))]
      .map((kind) => KIND_TEXT[kind])
      .join(" and ");
    const named = (["access-point", "object"] as const).filter((kind) => (kinds & BIT[kind]) !== 0);
    const has = named.map((kind) => KIND_TEXT[kind]).join(" and ");
    const add = (kinds & OBJECT) !== 0 ? "${accessPointArn}" : "${accessPointArn}/object/*";
    const at: DataPath = index === undefined ? [...path, "Action"] : [...path, "Action", index];
    findings.push(
      wildcard
        ? {
            path: at,
            severity: "warning",
            rule: "action",
            message: `action ${JSON.stringify(value)} matches only actions on ${actsOn}, but this statement's resources are ${has}, so it grants nothing here; add Resource ${add} or move the action to a statement of its own`,
          }
        : {
            path: at,
            rule: "action",
            message: `action ${JSON.stringify(value)} acts on ${actsOn}, but this statement's resources are ${has}; AWS refuses the policy ("Action does not apply to any resource(s) in statement"): add Resource ${add} or move the action to a statement of its own`,
          },
    );
  }
  // Keys are judged against literal actions only: how S3 expands a wildcard for this check is not
  // documented, and a key that fits some action of `s3:*` would be refused by no reading of it.
  if (allLiteral && pairs.length > 0 && isPlainObject(s.Condition)) {
    for (const [operator, block] of Object.entries(s.Condition)) {
      if (!isPlainObject(block)) continue;
      for (const key of Object.keys(block)) {
        if (conditionKeyKind(service, key) !== "service") continue;
        if (pairs.some(([action, kind]) => requestCarriesServiceKey(service, action, kind, key))) {
          continue;
        }
        findings.push({
          path: [...path, "Condition", operator, key],
          at: "key",
          rule: "condition-key",
          message: keyMismatch(key, pairs, service),
        });
      }
    }
  }
  return findings;
}

function keyMismatch(
  key: string,
  pairs: ReadonlyArray<[ActionInfo, ResourceKind]>,
  service: ActionService,
): string {
  const named = [...new Set(pairs.map(([action]) => `${service}:${action.name}`))];
  const carriers = [...serviceActions(service)]
    .filter((action) =>
      action.kinds.some((kind) => requestCarriesServiceKey(service, action, kind, key)),
    )
    .flatMap((action) => applicableActionsMatching(service, action.name))
    .map((action) => `${service}:${action.name}`);
  const hint =
    carriers.length > 0
      ? `; it applies to ${carriers.slice(0, 3).join(", ")}${carriers.length > 3 ? ", ..." : ""}`
      : "";
  return (
    `condition key ${JSON.stringify(key)} applies to none of this statement's actions on its ` +
    `resources (${named.slice(0, 3).join(", ")}${named.length > 3 ? ", ..." : ""})${hint}; AWS ` +
    `refuses the policy ("Conditions do not apply to combination of actions and resources in ` +
    'statement"): move the condition to a statement of the actions it applies to'
  );
}
