import type { PolicyDocument } from "../model.js";
import { statementList } from "./canonicalize.js";
import { isPlainObject } from "./structural.js";

export interface UniqueIdPrincipal {
  /** The unique id as it appears in the policy, e.g. `AROA...`. */
  id: string;
  /** What the id belongs to, e.g. "IAM role". */
  kind: string;
  /** What it means and what to do. */
  meaning: string;
}

// IAM unique id prefixes (IAM user guide, "Unique identifiers").
const KINDS: Record<string, string> = {
  AROA: "IAM role",
  AIDA: "IAM user",
  AGPA: "IAM group",
  ANPA: "IAM managed policy",
  ANVA: "IAM managed policy version",
  AIPA: "EC2 instance profile",
  AKIA: "IAM access key",
  ASIA: "temporary (STS) access key",
  APKA: "public key",
  ASCA: "certificate",
  ABIA: "STS bearer token",
  ACCA: "context-specific credential",
};

const UNIQUE_ID = /^(A[A-Z]{3})[A-Z0-9]{12,}$/;

function meaningOf(id: string, kind: string): string {
  // NOTE: resource policies store principals by unique id. When a role or user is deleted,
  // AWS shows its id instead of its ARN; a role or user re-created with the same name gets a
  // new id, so the old statement never applies to it again.
  if (kind === "IAM role" || kind === "IAM user") {
    return `${id} is the unique id of a deleted ${kind}: AWS replaced the ARN when the ${kind.slice(4)} was deleted, and a re-created ${kind.slice(4)} gets a new id. Re-create the ${kind.slice(4)} and apply the policy again, or update the policy.`;
  }
  return `${id} is the unique id of ${/^[AEIOU]/i.test(kind) ? "an" : "a"} ${kind}, which is not a principal an access point policy can name: update the policy to name the principal by ARN.`;
}

function principalStrings(principal: unknown): string[] {
  if (typeof principal === "string") return [principal];
  if (!isPlainObject(principal)) return [];
  const found: string[] = [];
  for (const value of Object.values(principal)) {
    if (typeof value === "string") found.push(value);
    else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "string") found.push(item);
    }
  }
  return found;
}

/**
 * IAM unique ids among the principals of a (live) policy. Condition values are not searched:
 * `aws:userid` conditions name unique ids on purpose.
 */
export function findUniqueIdPrincipals(policy: PolicyDocument): UniqueIdPrincipal[] {
  const found = new Map<string, UniqueIdPrincipal>();
  for (const statement of statementList(policy) ?? []) {
    if (!isPlainObject(statement)) continue;
    for (const field of ["Principal", "NotPrincipal"]) {
      for (const value of principalStrings(statement[field])) {
        const prefix = UNIQUE_ID.exec(value)?.[1];
        const kind = prefix === undefined ? undefined : KINDS[prefix];
        if (kind === undefined || found.has(value)) continue;
        found.set(value, { id: value, kind, meaning: meaningOf(value, kind) });
      }
    }
  }
  return [...found.values()];
}
