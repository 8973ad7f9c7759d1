// What only a directory-bucket access point's file can get wrong: its scope (AWS's eight
// permissions, all prefixes together under 256 bytes) and a policy that lets nobody in (access
// through a directory-bucket access point starts with s3express:CreateSession).
import { appendAll } from "../append-all.js";
import { SCOPE_PERMISSIONS } from "../model.js";
import type { Finding } from "./finding.js";
import { nearestName } from "./nearest-name.js";

/** "the total length of characters of all prefixes must be less than 256 bytes" (API reference). */
export const MAX_SCOPE_PREFIX_BYTES = 256;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function lintDirectoryAccessPoint(data: Json): Finding[] {
  const findings: Finding[] = [];
  if (isObject(data.scope)) appendAll(findings, lintScope(data.scope));
  if (isObject(data.policy) && !grantsCreateSession(data.policy)) {
    findings.push({
      path: ["policy"],
      at: "key",
      severity: "warning",
      rule: "create-session",
      message:
        "no Allow statement grants s3express:CreateSession, so the policy lets nobody use the " +
        "access point (every request through a directory-bucket access point starts with a " +
        "session); grant s3express:CreateSession to the principals that need it",
    });
  }
  return findings;
}

function lintScope(scope: Json): Finding[] {
  const findings: Finding[] = [];
  const { permissions, prefixes } = scope;
  if (Array.isArray(permissions)) {
    permissions.forEach((permission, index) => {
      if (typeof permission !== "string") return;
      if ((SCOPE_PERMISSIONS as readonly string[]).includes(permission)) return;
      const nearest = nearestName(permission, [...SCOPE_PERMISSIONS]);
      findings.push({
        path: ["scope", "permissions", index],
        rule: "scope",
        message:
          `scope permission ${JSON.stringify(permission)} is not one AWS takes` +
          (nearest !== undefined ? ` (did you mean "${nearest.name}"?)` : "") +
          `; use ${SCOPE_PERMISSIONS.join(", ")}`,
      });
    });
  }
  if (Array.isArray(prefixes)) {
    const bytes = prefixes.reduce<number>(
      (sum, prefix) => sum + (typeof prefix === "string" ? Buffer.byteLength(prefix, "utf8") : 0),
      0,
    );
    if (bytes >= MAX_SCOPE_PREFIX_BYTES) {
      findings.push({
        path: ["scope", "prefixes"],
        rule: "scope",
        message: `the scope's prefixes add up to ${bytes} bytes; AWS requires all of them together to be under ${MAX_SCOPE_PREFIX_BYTES}: use fewer or shorter prefixes (a trailing * covers a whole tree)`,
      });
    }
  }
  return findings;
}

/** Whether an Allow statement's Action (not NotAction) could match s3express:CreateSession. */
function grantsCreateSession(policy: Json): boolean {
  const raw = policy.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((statement) => {
    if (!isObject(statement) || statement.Effect !== "Allow") return false;
    if ("NotAction" in statement) return true;
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    return actions.some((action) => typeof action === "string" && matchesCreateSession(action));
  });
}

function matchesCreateSession(action: string): boolean {
  const pattern = action
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`, "i").test("s3express:CreateSession");
}
