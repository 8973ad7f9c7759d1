import { appendAll } from "../append-all.js";
import { isConditionOperator, suggestOperator } from "./condition-operators.js";
import { elementStrings } from "./element-strings.js";
import type { DataPath, Finding } from "./finding.js";
import { type ActionService, checkActionName } from "./lint-actions.js";
import { conditionKeyProblem } from "./lint-condition-keys.js";
import { publicFinding } from "./lint-public.js";
import { lintStatementScope } from "./lint-statement-scope.js";
import { principalProblem } from "./principals.js";
import { coversObjectsOnly } from "./resource-patterns.js";

/** What the policy lint needs to know about the access point that owns the policy. */
export interface PolicyContext {
  /** The access point's ARN; undefined when accountId/region/name are themselves invalid. */
  arn: string | undefined;
  /** The IAM service whose actions the policy grants: s3, s3-outposts or s3express. */
  service: ActionService;
  allowPublic: boolean;
  /**
   * Why Block Public Access cannot be turned off for this access point (attached to an FSx
   * volume): a public statement is then an error even with allowPublic.
   */
  publicImpossible?: string | undefined;
}

// NOTE: AWS says 20 KB but measures its own normalised form, which is not published: a compact
// 24,620-byte document was accepted and a 24,861-byte one refused ("Normalized policy document
// exceeds ...", aws-notes.md). Up to 20 KB of compact JSON (what s3ap sends) is certainly
// accepted; from the smallest size seen refused it is an error; in between AWS may go either way,
// so it is a warning.
export const MAX_POLICY_BYTES = 20 * 1024;
export const REFUSED_POLICY_BYTES = 24_861;

const EXCLUSIVE_PAIRS = [
  ["Action", "NotAction"],
  ["Resource", "NotResource"],
  ["Principal", "NotPrincipal"],
] as const;

const ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const at = (path: DataPath, index: number | undefined): DataPath =>
  index === undefined ? path : [...path, index];

/**
 * The semantic rules AWS applies to an access point policy that a schema cannot express. Values
 * of the wrong type are skipped: the schema reports those.
 */
export function lintPolicy(policy: Json, context: PolicyContext): Finding[] {
  const findings: Finding[] = [];
  // The text is built only for the rare policy that might be over the limit.
  const size =
    compactJsonBound(policy) <= MAX_POLICY_BYTES
      ? 0
      : Buffer.byteLength(JSON.stringify(policy), "utf8");
  if (size >= REFUSED_POLICY_BYTES) {
    findings.push({
      path: ["policy"],
      at: "key",
      rule: "policy-size",
      message: `the policy is ${size} bytes as compact JSON; AWS refuses access point policies over 20 KB of its normalised form (a ${REFUSED_POLICY_BYTES}-byte document was refused): split access between access points or shorten it`,
    });
  } else if (size > MAX_POLICY_BYTES) {
    findings.push({
      path: ["policy"],
      at: "key",
      severity: "warning",
      rule: "policy-size",
      message: `the policy is ${size} bytes as compact JSON, over 20 KB (${MAX_POLICY_BYTES} bytes); AWS counts its own normalised form and has accepted documents of up to 24,620 bytes but refused one of ${REFUSED_POLICY_BYTES}: it may refuse this one`,
    });
  }
  const statement = policy.Statement;
  const statements: { body: Json; path: DataPath }[] = Array.isArray(statement)
    ? statement.flatMap((body, i) =>
        isObject(body) ? [{ body, path: ["policy", "Statement", i] as DataPath }] : [],
      )
    : isObject(statement)
      ? [{ body: statement, path: ["policy", "Statement"] }]
      : [];
  const sids = new Map<string, DataPath>();
  for (const { body, path } of statements) {
    lintStatement(body, path, context, findings);
    if (typeof body.Sid === "string" && body.Sid !== "") {
      if (sids.has(body.Sid)) {
        // S3 stores resource policies with repeated Sids (only IAM identity policies require
        // unique ones: IAM User Guide, "Sid"), but a repeated Sid makes statements hard to tell
        // apart in reviews and reports.
        findings.push({
          path: [...path, "Sid"],
          severity: "warning",
          rule: "sid",
          message: `Sid ${JSON.stringify(body.Sid)} is also used by another statement; S3 accepts it, but give each statement its own Sid so reviews and reports can tell them apart`,
        });
      } else {
        sids.set(body.Sid, path);
      }
    }
  }
  return findings;
}

// A JSON number is at most 24 characters (-1.2345678901234567e-308), true/false/null at most 5.
const MAX_SCALAR_BYTES = 24;
// One UTF-16 unit of a string is at most 6 bytes of JSON in UTF-8 (a \uXXXX escape).
const MAX_UNIT_BYTES = 6;

/**
 * At least the byte length of `value` as compact JSON in UTF-8, found by counting rather than
 * writing it: each string unit as its longest escape, each scalar as the longest number, plus
 * quotes, colons and commas. Recursive: a policy's nesting is bounded (MAX_DEPTH, read-yaml.ts).
 */
function compactJsonBound(value: unknown): number {
  if (typeof value === "string") return value.length * MAX_UNIT_BYTES + 2;
  if (Array.isArray(value)) {
    let bytes = 2;
    for (const item of value) bytes += compactJsonBound(item) + 1;
    return bytes;
  }
  if (value !== null && typeof value === "object") {
    let bytes = 2;
    for (const [key, item] of Object.entries(value)) {
      bytes += key.length * MAX_UNIT_BYTES + 4 + compactJsonBound(item);
    }
    return bytes;
  }
  return MAX_SCALAR_BYTES;
}

function lintStatement(s: Json, path: DataPath, context: PolicyContext, findings: Finding[]): void {
  for (const [one, other] of EXCLUSIVE_PAIRS) {
    if (one in s && other in s) {
      findings.push({
        path: [...path, other],
        at: "key",
        rule: "exclusive-keys",
        message: `the statement has both ${one} and ${other}; keep only one of them`,
      });
    }
  }
  if (!("Principal" in s) && !("NotPrincipal" in s)) {
    findings.push({
      path,
      rule: "principal",
      message:
        "the statement has no Principal; an access point policy must say whom it applies to " +
        '(e.g. Principal: { AWS: "arn:aws:iam::111122223333:role/name" })',
    });
  }
  if (!("Action" in s) && !("NotAction" in s)) {
    const prefix = context.service;
    findings.push({
      path,
      rule: "action",
      message: `the statement has no Action; add one such as Action: ${prefix}:GetObject`,
    });
  }
  if (!("Resource" in s) && !("NotResource" in s)) {
    findings.push({
      path,
      rule: "resource",
      message: `the statement has no Resource; add Resource: \${accessPointArn}/object/*`,
    });
  }
  // Action values already reported: the scope rules below do not judge them again.
  const flagged = new Set<string>();
  for (const key of ["Action", "NotAction"] as const) {
    for (const { value, index } of elementStrings(s[key])) {
      const message = actionProblem(value, context.service);
      if (message !== undefined) {
        findings.push({ path: at([...path, key], index), rule: "action", message });
        flagged.add(value);
        continue;
      }
      const separator = value.indexOf(":");
      if (separator < 0) continue;
      const verdict = checkActionName(service(context), value.slice(separator + 1), key);
      if (verdict !== undefined) {
        findings.push({ path: at([...path, key], index), rule: "action", ...verdict });
        flagged.add(value);
      }
    }
  }
  for (const key of ["Principal", "NotPrincipal"]) {
    const principal = s[key];
    if (!isObject(principal)) continue;
    for (const [kind, values] of Object.entries(principal)) {
      for (const { value, index } of elementStrings(values)) {
        const message = principalProblem(kind, value);
        if (message !== undefined) {
          findings.push({ path: at([...path, key, kind], index), rule: "principal", message });
        }
      }
    }
  }
  if (isObject(s.Condition)) {
    for (const [operator, block] of Object.entries(s.Condition)) {
      if (isObject(block)) {
        for (const key of Object.keys(block)) {
          const message = conditionKeyProblem(service(context), key);
          if (message === undefined) continue;
          findings.push({
            path: [...path, "Condition", operator, key],
            at: "key",
            severity: "warning",
            rule: "condition-key",
            message,
          });
        }
      }
      if (isConditionOperator(operator)) continue;
      const suggestion = suggestOperator(operator);
      findings.push({
        path: [...path, "Condition", operator],
        at: "key",
        rule: "condition-operator",
        message:
          `unknown condition operator ${JSON.stringify(operator)}` +
          (suggestion !== undefined
            ? `; did you mean "${suggestion}"?`
            : "; use an IAM operator such as StringEquals, StringLike, ArnLike, Bool, IpAddress (optionally with IfExists, ForAllValues: or ForAnyValue:)"),
      });
    }
  }
  if (context.arn !== undefined) {
    for (const { value, index } of elementStrings(s.Resource)) {
      if (value === context.arn || coversObjectsOnly(value, context.arn)) continue;
      findings.push({
        path: at([...path, "Resource"], index),
        rule: "resource",
        message:
          `Resource ${JSON.stringify(value)} is not this access point; use \${accessPointArn} ` +
          `(${context.arn}) or its objects: \${accessPointArn}/object/... or \${accessPointArn}/*`,
      });
    }
  }
  if (context.arn !== undefined) {
    appendAll(findings, lintStatementScope(s, path, context.arn, service(context), flagged));
  }
  const isPublic = publicFinding(s, path, context);
  if (isPublic !== undefined) findings.push(isPublic);
}

const service = (context: PolicyContext): ActionService => context.service;

const SERVICE_NAMES: Record<ActionService, string> = {
  s3: "an S3",
  "s3-outposts": "an S3 on Outposts",
  s3express: "a directory-bucket (S3 Express One Zone)",
};

const ACCESS_POINT_NAMES: Record<ActionService, string> = {
  s3: "a general-purpose or Multi-Region access point",
  "s3-outposts": "an Outposts access point",
  s3express: "a directory-bucket access point",
};

function actionProblem(action: string, service: ActionService): string | undefined {
  // IAM accepts "*" alone for "every action"; on an access point it can only mean the actions of
  // the access point's own service, so it is not a grant outside S3.
  if (action === "*") return undefined;
  const match = ACTION.exec(action);
  // The usual action is a well-formed one of the access point's own service.
  if (match !== null && (match[1] ?? "").toLowerCase() === service) return undefined;
  const quoted = JSON.stringify(action);
  if (!action.includes(":")) {
    return `action ${quoted} has no service prefix; write "${service}:${action}"`;
  }
  if (match === null) {
    const example = service === "s3express" ? "CreateSession" : "GetObject";
    return `action ${quoted} is not an action name such as ${service}:${example}`;
  }
  const prefix = (match[1] ?? "").toLowerCase();
  const name = match[2] ?? "";
  if (prefix === "s3-object-lambda") {
    return `action ${quoted} is an Object Lambda action; Object Lambda access points are out of s3ap's scope (closed to new customers since 2025-11-07)`;
  }
  if (prefix in SERVICE_NAMES) {
    return `action ${quoted} is ${SERVICE_NAMES[prefix as ActionService]} action; on ${ACCESS_POINT_NAMES[service]} write "${service}:${name}"`;
  }
  return `action ${quoted} is outside ${service}:; an access point policy can only grant ${service}: actions`;
}
