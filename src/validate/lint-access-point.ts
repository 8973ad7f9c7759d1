// The top-level keys of a policy file: accountId, region, name, outpostId, and the keys of the
// other kinds of access point (multiRegionAccessPoint and alias, scope, dataSource), which must
// go with the kind the file declares.

import { isAccountId } from "../access-point/account-id.js";
import { DIRECTORY_SUFFIX, MRAP_ALIAS_SUFFIX } from "../access-point/kind.js";
import { appendAll } from "../append-all.js";
import type { Finding } from "./finding.js";
import { lintRegion } from "./lint-region.js";

// us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, eusc-de-east-1, ...
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const OUTPOST_ID = /^op-[0-9a-f]{17}$/;
const ALIAS_SUFFIX = "-s3alias";
// <base>--<zone-id>--xa-s3: a zone id such as use1-az4 or usw2-az1, or a Local Zone's.
const ZONE_ID = /^[a-z0-9]+-[a-z0-9-]+$/;
const MRAP_ALIAS = /^[a-z0-9][a-z0-9-]*\.mrap$/;
const NAME_CHARACTERS = /^[a-z0-9-]*$/;

/** Keys no Multi-Region Access Point file may have, and why. */
const NOT_FOR_MULTI_REGION: Record<string, string> = {
  region: "a Multi-Region Access Point has no Region (AWS serves its policy from us-west-2)",
  name: "a Multi-Region Access Point is named by multiRegionAccessPoint",
  outpostId: "a Multi-Region Access Point is not on an Outpost",
  scope: "only directory-bucket access points have a scope",
  dataSource: "a Multi-Region Access Point is attached to buckets, not to an FSx volume",
};

/**
 * Checks accountId, region, name, outpostId and the keys of the other kinds (when they are of
 * the right type; types are the schema's).
 */
export function lintAccessPoint(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const { accountId, region, name, outpostId } = data;
  if (typeof accountId === "string" && !isAccountId(accountId)) {
    findings.push({
      path: ["accountId"],
      rule: "account-id",
      message: `accountId must be exactly 12 digits, got ${JSON.stringify(accountId)}`,
    });
  }
  if (Object.hasOwn(data, "objectLambdaAccessPoint")) {
    findings.push({
      path: ["objectLambdaAccessPoint"],
      at: "key",
      rule: "object-lambda",
      message:
        "Object Lambda access points are out of s3ap's scope (AWS closed them to new customers on 2025-11-07); manage this one elsewhere and remove the file",
    });
  }
  if (Object.hasOwn(data, "multiRegionAccessPoint")) {
    appendAll(findings, lintMultiRegion(data));
    return findings;
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
  const directory = typeof name === "string" && name.endsWith(DIRECTORY_SUFFIX);
  if (typeof name === "string") {
    const message = nameProblem(name);
    if (message !== undefined) {
      findings.push({ path: ["name"], rule: directory ? "directory-bucket" : "name", message });
    }
  }
  if (typeof outpostId === "string" && !OUTPOST_ID.test(outpostId)) {
    findings.push({
      path: ["outpostId"],
      rule: "outpost-id",
      message: `outpostId must be "op-" followed by 17 lowercase hex digits, got ${JSON.stringify(outpostId)}`,
    });
  }
  if (directory && outpostId !== undefined) {
    findings.push({
      path: ["outpostId"],
      at: "key",
      rule: "directory-bucket",
      message:
        "a directory-bucket access point (name ending in --xa-s3) is not on an Outpost; remove outpostId",
    });
  }
  if (Object.hasOwn(data, "scope") && data.scope !== null && !directory) {
    findings.push({
      path: ["scope"],
      at: "key",
      rule: "scope",
      message:
        "only directory-bucket access points (name ending in --<zone-id>--xa-s3) have a scope; remove it, or limit this access point with its policy",
    });
  }
  for (const key of ["alias"]) {
    if (Object.hasOwn(data, key)) {
      findings.push({
        path: [key],
        at: "key",
        rule: "multi-region",
        message: `${key} is only for Multi-Region Access Points (declared with multiRegionAccessPoint instead of region and name); remove it`,
      });
    }
  }
  if (Object.hasOwn(data, "dataSource") && (directory || outpostId !== undefined)) {
    findings.push({
      path: ["dataSource"],
      at: "key",
      rule: "data-source",
      message: `dataSource is for access points attached to an FSx volume; ${directory ? "a directory-bucket" : "an Outposts"} access point is attached to its bucket: remove it`,
    });
  }
  return findings;
}

function lintMultiRegion(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const [key, why] of Object.entries(NOT_FOR_MULTI_REGION)) {
    if (!Object.hasOwn(data, key)) continue;
    findings.push({
      path: [key],
      at: "key",
      rule: "multi-region",
      message: `${why}; remove ${key} from this Multi-Region Access Point file`,
    });
  }
  const { multiRegionAccessPoint: name, alias } = data;
  if (typeof name === "string") {
    const message = nameProblem(name, "Multi-Region Access Point name");
    if (message !== undefined) {
      findings.push({ path: ["multiRegionAccessPoint"], rule: "name", message });
    }
  }
  if (typeof alias === "string" && !MRAP_ALIAS.test(alias)) {
    findings.push({
      path: ["alias"],
      rule: "multi-region",
      message: `alias ${JSON.stringify(alias)} is not a Multi-Region Access Point alias such as "mfzwi23gnjvgw${MRAP_ALIAS_SUFFIX}"; aws s3control get-multi-region-access-point shows it`,
    });
  }
  if (Object.hasOwn(data, "policy") && data.policy === null) {
    findings.push({
      path: ["policy"],
      rule: "multi-region",
      message:
        "a Multi-Region Access Point's policy cannot be removed (S3 Control has no DeleteMultiRegionAccessPointPolicy); declare the policy it should have, e.g. one that allows only your account",
    });
  }
  return findings;
}

/** Why AWS would refuse this access point name, or undefined when it is fine. */
export function nameProblem(name: string, what = "access point name"): string | undefined {
  const quoted = () => JSON.stringify(name);
  if (name.length < 3 || name.length > 50) {
    return `${what} ${quoted()} is ${name.length} characters long; AWS requires 3 to 50`;
  }
  // The usual name is all allowed characters: only a bad one builds the list of them.
  const bad = NAME_CHARACTERS.test(name) ? [] : [...new Set(name.replace(/[a-z0-9-]/g, ""))];
  if (bad.length > 0) {
    const shown = bad.map((c) => JSON.stringify(c)).join(", ");
    return `${what} ${quoted()} contains ${shown}; use only lowercase letters, digits and "-"`;
  }
  if (name.startsWith("-") || name.endsWith("-")) {
    return `${what} ${quoted()} must begin and end with a letter or digit, not "-"`;
  }
  if (name.endsWith(ALIAS_SUFFIX)) {
    return `${what} ${quoted()} must not end with "${ALIAS_SUFFIX}" (AWS reserves it for access point aliases)`;
  }
  if (name.endsWith(DIRECTORY_SUFFIX)) {
    const parts = name.slice(0, -DIRECTORY_SUFFIX.length).split("--");
    const [base, zone] = parts;
    if (parts.length !== 2 || base === undefined || zone === undefined || !ZONE_ID.test(zone)) {
      return `directory-bucket access point name ${quoted()} must be <name>--<zone-id>--xa-s3, e.g. reports--use1-az4--xa-s3 (the zone of its directory bucket)`;
    }
    if (base === "" || base.startsWith("-") || base.endsWith("-")) {
      return `directory-bucket access point name ${quoted()} must start with a name of letters and digits before --${zone}--xa-s3`;
    }
  }
  return undefined;
}
