// Initial live state: generated access points and/or an explicit seed document.
import { isAccountId } from "../access-point/account-id.js";
import { accessPointArn } from "../access-point/arn.js";
import type { GeneratedSeed, SeedAccessPoint, SeedDocument } from "./options.js";
import { hash32, mulberry32 } from "./prng.js";
import type { AccessPointStore } from "./store.js";

export const DEFAULT_SEED_ACCOUNT = "111122223333";

export function generatedName(index: number): string {
  return `ap-${String(index + 1).padStart(5, "0")}`;
}

/** The policy a generated access point starts with: a plain read grant on its own objects. */
export function generatedPolicy(accountId: string, region: string, name: string): string {
  const arn = accessPointArn({ accountId, region, name });
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SeedRead",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:role/seed-reader` },
        Action: "s3:GetObject",
        Resource: `${arn}/object/*`,
      },
    ],
  });
}

export function loadGenerated(
  store: AccessPointStore,
  spec: GeneratedSeed,
  defaultRegion: string,
  seed: number,
): void {
  const region = spec.region ?? defaultRegion;
  const fraction = spec.policyFraction ?? 1;
  for (const accountId of spec.accounts ?? [DEFAULT_SEED_ACCOUNT]) {
    for (let i = 0; i < spec.count; i++) {
      const name = generatedName(i);
      const draw = mulberry32(hash32(`${seed}|seed|${accountId}|${name}`))();
      const policy = draw < fraction ? generatedPolicy(accountId, region, name) : null;
      store.put({ accountId, region }, name, `seed-bucket-${accountId}`, { policy });
    }
  }
}

function policyText(policy: SeedAccessPoint["policy"]): string | null {
  if (policy === undefined || policy === null) return null;
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}

export function loadDocument(
  store: AccessPointStore,
  doc: SeedDocument,
  defaultRegion: string,
): number {
  for (const ap of doc.accessPoints) {
    const ns = {
      accountId: ap.accountId,
      region: ap.region ?? defaultRegion,
      ...(ap.outpostId !== undefined ? { outpostId: ap.outpostId } : {}),
    };
    store.put(ns, ap.name, ap.bucket, {
      policy: policyText(ap.policy),
      scope: ap.scope ?? null,
      dataSource: ap.dataSource,
    });
  }
  return doc.accessPoints.length;
}

/** Checks untrusted JSON (a seed file or a POST /__local/seed body); throws with the reason. */
export function parseSeedDocument(value: unknown): SeedDocument {
  const list = (value as { accessPoints?: unknown } | null)?.accessPoints;
  if (!Array.isArray(list)) throw new Error("seed must be an object with an accessPoints array");
  list.forEach((item: unknown, i) => {
    const ap = item as Record<string, unknown> | null;
    const where = `accessPoints[${i}]`;
    if (ap === null || typeof ap !== "object") throw new Error(`${where} must be an object`);
    if (!isAccountId(ap.accountId)) {
      throw new Error(`${where}.accountId must be a string of 12 digits`);
    }
    for (const key of ["name", "bucket"] as const) {
      if (typeof ap[key] !== "string" || ap[key] === "") {
        throw new Error(`${where}.${key} must be a non-empty string`);
      }
    }
    for (const key of ["region", "outpostId"] as const) {
      if (ap[key] !== undefined && typeof ap[key] !== "string") {
        throw new Error(`${where}.${key} must be a string`);
      }
    }
    if (ap.scope !== undefined && ap.scope !== null) {
      const scope = ap.scope as Record<string, unknown>;
      for (const key of ["prefixes", "permissions"] as const) {
        const list = scope[key];
        if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
          throw new Error(`${where}.scope.${key} must be an array of strings`);
        }
      }
    }
    if (ap.dataSource !== undefined) {
      const source = ap.dataSource as Record<string, unknown> | null;
      if (typeof source?.type !== "string" || typeof source.id !== "string") {
        throw new Error(`${where}.dataSource must be { type, id } with string values`);
      }
    }
    const p = ap.policy;
    if (p !== undefined && p !== null && typeof p !== "string" && typeof p !== "object") {
      throw new Error(`${where}.policy must be a string, an object or null`);
    }
  });
  return value as SeedDocument;
}
