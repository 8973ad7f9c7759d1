// "Public" as Amazon S3 defines it for Block Public Access, for one Allow statement of an access
// point policy: shared by the validator (lint-public.ts) and the trust tiers (trust.ts).
//
// Source: Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section
// "The meaning of 'public'" (bucket policies, and its "Access points" exceptions):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// - S3 assumes a policy is public and looks for what makes it non-public: each Allow statement
//   must grant access only to fixed values (no wildcard, no policy variable) of an AWS principal,
//   user, role or service principal, or of one of the listed condition keys (LIMITING_KEYS).
// - aws:SourceIp ranges broader than /8 (IPv4) or /32 (IPv6) count as public.
// - In an access point policy, s3:DataAccessPointArn with a wildcard is public (in a bucket policy
//   it is not, as long as the account is fixed).
// - Its public examples: Principal "*" with no Condition; a Federated principal
//   (graph.facebook.com); Principal "*" with StringLike aws:SourceVpc "vpc-*".
import { isIP } from "node:net";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const values = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Condition keys whose fixed values make a statement non-public (lower case, as IAM compares). */
const LIMITING_KEYS = new Set(
  [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceOwner",
    "aws:SourceAccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
    "s3-outposts:DataAccessPointArn",
    "s3-outposts:DataAccessPointAccount",
    // By analogy with s3: and s3-outposts: (the user guide's list predates directory buckets).
    "s3express:DataAccessPointArn",
    "s3express:DataAccessPointAccount",
  ].map((key) => key.toLowerCase()),
);

/**
 * Operators that require the request's value to be one of the fixed values. Negated operators,
 * `...IfExists` (true when the key is absent), `Null` and `ForAllValues:` (true for an empty set)
 * never limit who can use a statement.
 */
export const LIMITING_OPERATOR =
  /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/;

/** Who an Allow statement opens to everyone, and where: undefined when its principals are fixed. */
export function publicPrincipal(
  s: Json,
): { path: "Principal" | "NotPrincipal"; text: string } | undefined {
  if ("NotPrincipal" in s) {
    return {
      path: "NotPrincipal",
      text: "Allow with NotPrincipal grants everyone except the listed principals",
    };
  }
  const principal = s.Principal;
  if (principal === "*") return { path: "Principal", text: 'it allows Principal "*" (anyone)' };
  if (!isObject(principal)) return undefined;
  if (values(principal.AWS).includes("*")) {
    return { path: "Principal", text: 'it allows Principal { AWS: "*" } (anyone)' };
  }
  const federated = values(principal.Federated).filter((v) => typeof v === "string");
  if (federated.length > 0) {
    return {
      path: "Principal",
      text: `it allows the Federated principal ${JSON.stringify(federated[0])} (identities of an outside provider, not a fixed AWS principal)`,
    };
  }
  return undefined;
}

/** Whether a Condition limits a statement to fixed values of a key S3 lists, and if not, why. */
export function limitingCondition(
  condition: unknown,
): { limited: true } | { limited: false; why: string } {
  const reasons: string[] = [];
  for (const [operator, block] of Object.entries(isObject(condition) ? condition : {})) {
    if (!isObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      const lower = key.toLowerCase();
      if (!LIMITING_KEYS.has(lower)) continue;
      if (!LIMITING_OPERATOR.test(operator)) {
        reasons.push(`${operator} on ${key} does not require a fixed value`);
        continue;
      }
      const problem = values(value)
        // A value of the wrong type is the schema's to report; here it is no fixed value. JSON
        // text, not String(): a mapping read from YAML has no prototype to convert it with.
        .map((v) => notFixed(lower, typeof v === "string" ? v : JSON.stringify(v)))
        .find((p) => p !== undefined);
      if (problem === undefined) return { limited: true };
      reasons.push(`${key} ${problem}`);
    }
  }
  if (reasons.length > 0) return { limited: false, why: reasons.join("; ") };
  return {
    limited: false,
    why: "no Condition limits it to fixed values of the keys S3 lists (principal, organization, source VPC, VPC endpoint, IP range, source ARN or account, KMS key, data access point)",
  };
}

/** Why a condition value is not a fixed value of its key, or undefined when it is. */
function notFixed(key: string, value: string): string | undefined {
  const quoted = JSON.stringify(value);
  if (/[*?]/.test(value)) {
    return key.endsWith(":dataaccesspointarn")
      ? `${quoted} has a wildcard: in an access point policy a set of access points is public`
      : `${quoted} has a wildcard`;
  }
  if (value.includes("${")) return `${quoted} is a policy variable, not a fixed value`;
  if (key === "aws:sourceip") return broadRange(value);
  return undefined;
}

/** IPv4 ranges broader than /8 and IPv6 ranges broader than /32 count as public. */
function broadRange(cidr: string): string | undefined {
  const [address = "", bits] = cidr.split("/");
  const version = isIP(address);
  if (version === 0 || bits === undefined) return undefined;
  const prefix = Number(bits);
  const minimum = version === 4 ? 8 : 32;
  return prefix < minimum
    ? `${JSON.stringify(cidr)} is broader than /${minimum}, which S3 counts as public`
    : undefined;
}
