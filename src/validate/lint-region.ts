// Whether a `region:` names an AWS Region, from the AWS SDK's own partition data (generated).
import { distance } from "fastest-levenshtein";
import type { Finding } from "./finding.js";
import { awsRegions } from "./generated/aws-regions.js";

// The rule, for a region-shaped name (`<prefix>[-<part>]-<direction>-<number>`):
// - listed by the SDK: fine;
// - in no partition's regionRegex: error. s3ap could not even say which partition's ARNs
//   (`arn:aws:`, `arn:aws-cn:`, ...) to write, and a new prefix can mean a new partition (eusc-);
// - in a partition's shape but not listed: the SDK's list is only as new as s3ap's copy of it, and
//   AWS opens new Regions every year, so an unlisted name is NOT refused for being unlisted. It is
//   refused when it cannot be a future Region: its direction is not a compass word (`us-eats-1`),
//   or its number is more than FUTURE_MARGIN past the highest one the partition has for that
//   stem (`us-east-7`: us-east goes to 2). AWS numbers a stem's Regions consecutively
//   (ap-southeast-1 ... 7) and a new stem starts at 1 (ca-west-1, mx-central-1), so the next real
//   Region is at most highest + 1; the margin leaves room for a launch the SDK copy has not seen.
//   Anything else (`ap-southeast-8`, `us-central-1`) is accepted with a warning.
// Edit distance alone cannot tell a typo from a new Region: mx-central-1 is one letter from
// me-central-1. It only picks the names suggested.
const FUTURE_MARGIN = 2;
// The grammar of AWS Region directions (north, southeast, central, ...), not a list of Regions.
const COMPASS = /^(central|north|south|east|west|(north|south)(east|west))$/;
const SUGGESTIONS = 3;

const partitions = awsRegions.partitions.map((p) => ({ ...p, shape: new RegExp(p.regionRegex) }));
const listed = new Set(partitions.flatMap((p) => p.regions));
const allRegions = [...listed].sort();

/** `us-east` and 7 from `us-east-7`. */
function split(region: string): { stem: string; number: number } {
  const at = region.lastIndexOf("-");
  return { stem: region.slice(0, at), number: Number(region.slice(at + 1)) };
}

/**
 * The listed Regions nearest to `region` by edit distance (those at the smallest distance, up to
 * 3), the nearest numbers first: ap-southeast-8 suggests ap-southeast-7 before ap-southeast-1.
 */
export function nearestRegions(region: string): string[] {
  const { number } = split(region);
  const scored = allRegions.map((name) => ({
    name,
    d: distance(region, name),
    gap: Math.abs(split(name).number - number),
  }));
  const best = scored.reduce((nearest, s) => Math.min(nearest, s.d), Number.POSITIVE_INFINITY);
  return scored
    .filter((s) => s.d === best)
    .sort((a, b) => a.gap - b.gap || a.name.localeCompare(b.name))
    .slice(0, SUGGESTIONS)
    .map((s) => s.name);
}

/** The problem with a region-shaped name, or undefined when it is a listed Region. */
export function lintRegion(region: string): Finding | undefined {
  if (listed.has(region)) return undefined;
  const quoted = JSON.stringify(region);
  const nearest = `nearest AWS Regions: ${nearestRegions(region).join(", ")}`;
  const source = `the AWS SDK's partition data (@aws-sdk/core ${awsRegions.sdkVersion})`;
  const error = (why: string): Finding => ({
    path: ["region"],
    rule: "region",
    message: `region ${quoted} is not an AWS Region: ${why}; ${nearest}`,
  });
  const home = partitions.find((p) => p.shape.test(region));
  if (home === undefined) {
    return error(`it fits no partition's Region names in ${source}`);
  }
  const { stem, number } = split(region);
  const direction = stem.slice(stem.lastIndexOf("-") + 1);
  if (!COMPASS.test(direction)) {
    return error(`"${direction}" is not a Region direction such as east or northwest`);
  }
  const highest = home.regions
    .map(split)
    .filter((r) => r.stem === stem)
    .reduce((most, r) => Math.max(most, r.number), 0);
  if (number > highest + FUTURE_MARGIN) {
    const has = highest === 0 ? `no ${stem}-* Region` : `${stem}-1 to ${stem}-${highest}`;
    return error(`${home.id} has ${has}, and new Regions are numbered on from there`);
  }
  return {
    path: ["region"],
    rule: "region",
    severity: "warning",
    message:
      `region ${quoted} is not listed in ${source}; accepted as a Region of partition ${home.id} newer ` +
      `than this s3ap (check the spelling: ${nearest})`,
  };
}
