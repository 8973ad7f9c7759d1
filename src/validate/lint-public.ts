// "Public" as Amazon S3 defines it for Block Public Access, applied to access point policies.
//
// The rule itself (which statements S3 calls public) is policy/public-statement.ts.
// NOTE: an access point with a VPC network origin is never public whatever its policy says; a
// policy file does not say how its access point was created, so s3ap cannot rely on that, and
// `allowPublic: true` is the way to declare such a policy.
import { limitingCondition, publicPrincipal } from "../policy/public-statement.js";
import type { DataPath, Finding } from "./finding.js";

export interface PublicContext {
  allowPublic: boolean;
  /** Why Block Public Access cannot be turned off here: allowPublic then allows nothing. */
  publicImpossible?: string | undefined;
}

type Json = Record<string, unknown>;

/** Why a statement counts as public, or undefined when it does not. */
export function publicFinding(
  s: Json,
  path: DataPath,
  context: PublicContext,
): Finding | undefined {
  const impossible = context.publicImpossible;
  if ((context.allowPublic && impossible === undefined) || s.Effect !== "Allow") return undefined;
  const who = publicPrincipal(s);
  if (who === undefined) return undefined;
  const limit = limitingCondition(s.Condition);
  if (limit.limited) return undefined;
  return {
    path: who.path === "NotPrincipal" ? [...path, "NotPrincipal"] : [...path, who.path],
    ...(who.path === "NotPrincipal" ? { at: "key" as const } : {}),
    rule: "public",
    message:
      `the statement is public as Amazon S3 defines it: ${who.text}, and ${limit.why}. ` +
      (impossible === undefined
        ? "AWS refuses public policies on access points with BlockPublicPolicy (the default). "
        : `${impossible}, so AWS refuses a public policy whatever allowPublic says. `) +
      "Limit it with a Condition on a fixed value (e.g. aws:PrincipalOrgID, aws:SourceVpc, " +
      "aws:SourceVpce, aws:PrincipalAccount)" +
      (impossible === undefined ? " or set allowPublic: true if it must be public" : ""),
  };
}
