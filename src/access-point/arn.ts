import type { AccessPointRef } from "../model.js";
import { kindOf } from "./kind.js";

/** The AWS partition a region belongs to (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/**
 * The access point's ARN:
 * - general: `arn:<p>:s3:<region>:<acct>:accesspoint/<name>`;
 * - Outposts: `arn:<p>:s3-outposts:<region>:<acct>:outpost/<outpost-id>/accesspoint/<name>`;
 * - directory bucket: `arn:<p>:s3express:<region>:<acct>:accesspoint/<name>`;
 * - Multi-Region: `arn:<p>:s3::<acct>:accesspoint/<alias>` (no Region; named by its alias, which
 *   AWS generates: without one there is no ARN to build, and this throws).
 *
 * NOTE: joined, not a template literal: V8 keeps a template's result as a chain of concatenated
 * pieces (192 bytes for a general ARN against ~90 flat), and every desired access point keeps
 * its ARN for the whole run.
 */
export function accessPointArn(ref: AccessPointRef): string {
  const partition = partitionOf(ref.region);
  switch (kindOf(ref)) {
    case "outposts":
      return arnOf(
        partition,
        "s3-outposts",
        ref.region,
        ref.accountId,
        `outpost/${ref.outpostId}/accesspoint/${ref.name}`,
      );
    case "multi-region":
      if (ref.alias === undefined) {
        throw new Error(`the Multi-Region Access Point ${ref.name} has no alias to name its ARN`);
      }
      return arnOf(partition, "s3", "", ref.accountId, `accesspoint/${ref.alias}`);
    case "directory":
      return arnOf(partition, "s3express", ref.region, ref.accountId, `accesspoint/${ref.name}`);
    case "general":
      return arnOf(partition, "s3", ref.region, ref.accountId, `accesspoint/${ref.name}`);
  }
}

function arnOf(
  partition: string,
  service: string,
  region: string,
  accountId: string,
  resource: string,
): string {
  return ["arn", partition, service, region, accountId, resource].join(":");
}

/**
 * A stable identity string for an access point: account/region/[outpost/]name. Joined, so flat
 * (see accessPointArn): the answers read ahead are kept by it.
 */
export function accessPointKey(ref: AccessPointRef): string {
  return ref.outpostId !== undefined
    ? [ref.accountId, ref.region, ref.outpostId, ref.name].join("/")
    : [ref.accountId, ref.region, ref.name].join("/");
}
