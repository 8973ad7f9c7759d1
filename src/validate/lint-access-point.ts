import type { Finding } from "./finding.js";
import { lintRegion } from "./lint-region.js";

const ACCOUNT_ID = /^\d{12}$/;
// us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, eusc-de-east-1, ...
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const OUTPOST_ID = /^op-[0-9a-f]{17}$/;
const DIRECTORY_SUFFIX = "--xa-s3";
const ALIAS_SUFFIX = "-s3alias";

/** Checks accountId, region, name and outpostId (when they are strings; types are the schema's). */
export function lintAccessPoint(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const { accountId, region, name, outpostId } = data;
  if (typeof accountId === "string" && !ACCOUNT_ID.test(accountId)) {
    findings.push({
      path: ["accountId"],
      rule: "account-id",
      message: `accountId must be exactly 12 digits, got ${JSON.stringify(accountId)}`,
    });
  }
  if (typeof region === "string") {
    if (!REGION.test(region)) {
      findings.push({
        path: ["region"],
        rule: "region",
        message: `region ${JSON.stringify(region)} is not a Region code such as us-east-1 or eu-west-2`,
      });
    } else {
      // A well-formed name must also be a Region, or plausibly one newer than the SDK data.
      const problem = lintRegion(region);
      if (problem !== undefined) findings.push(problem);
    }
  }
  if (typeof name === "string") {
    const message = nameProblem(name);
    if (message !== undefined) {
      findings.push({
        path: ["name"],
        rule: name.endsWith(DIRECTORY_SUFFIX) ? "directory-bucket" : "name",
        message,
      });
    }
  }
  if (typeof outpostId === "string" && !OUTPOST_ID.test(outpostId)) {
    findings.push({
      path: ["outpostId"],
      rule: "outpost-id",
      message: `outpostId must be "op-" followed by 17 lowercase hex digits, got ${JSON.stringify(outpostId)}`,
    });
  }
  return findings;
}

/** Why AWS would refuse this access point name, or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  const quoted = JSON.stringify(name);
  if (name.endsWith(DIRECTORY_SUFFIX)) {
    return (
      `${quoted} is a directory-bucket access point (suffix "${DIRECTORY_SUFFIX}"); s3ap manages ` +
      "general-purpose and Outposts access points only"
    );
  }
  if (name.length < 3 || name.length > 50) {
    return `access point name ${quoted} is ${name.length} characters long; AWS requires 3 to 50`;
  }
  const bad = [...new Set(name.replace(/[a-z0-9-]/g, ""))];
  if (bad.length > 0) {
    const shown = bad.map((c) => JSON.stringify(c)).join(", ");
    return `access point name ${quoted} contains ${shown}; use only lowercase letters, digits and "-"`;
  }
  if (name.startsWith("-") || name.endsWith("-")) {
    return `access point name ${quoted} must begin and end with a letter or digit, not "-"`;
  }
  if (name.endsWith(ALIAS_SUFFIX)) {
    return `access point name ${quoted} must not end with "${ALIAS_SUFFIX}" (AWS reserves it for access point aliases)`;
  }
  return undefined;
}
