// Which kind of access point a reference names, derived from what identifies it (never stored
// twice): an Outpost id, the Multi-Region label in place of a Region, or AWS's name suffix for
// directory buckets.
import type { AccessPointRef } from "../model.js";

export type AccessPointKind = "general" | "outposts" | "directory" | "multi-region";

/**
 * Stands in for the Region of a Multi-Region Access Point (which has none) in keys, labels,
 * `--only` patterns, import paths and plan JSON. No Region code can look like it: they end in a
 * digit.
 */
export const MULTI_REGION = "multi-region";

/** Directory-bucket access point names end in `--<zone-id>--xa-s3` (AWS's rule). */
export const DIRECTORY_SUFFIX = "--xa-s3";

/**
 * Where AWS serves every Multi-Region Access Point control call ("This action will always be
 * routed to the US West (Oregon) Region", S3 Control API reference).
 */
export const MULTI_REGION_CONTROL_REGION = "us-west-2";

/** The Multi-Region Access Point alias suffix (`mfzwi23gnjvgw.mrap`). */
export const MRAP_ALIAS_SUFFIX = ".mrap";

export function kindOf(
  ref: Pick<AccessPointRef, "region" | "name" | "outpostId">,
): AccessPointKind {
  if (ref.outpostId !== undefined) return "outposts";
  if (ref.region === MULTI_REGION) return "multi-region";
  if (ref.name.endsWith(DIRECTORY_SUFFIX)) return "directory";
  return "general";
}

/** What reports call each kind. */
export const KIND_NAMES: Record<AccessPointKind, string> = {
  general: "access point",
  outposts: "S3 on Outposts access point",
  directory: "directory-bucket access point",
  "multi-region": "Multi-Region Access Point",
};
