import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);

// src/access-point/arn.ts
function partitionOf(region) {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}
function accessPointArn(ref) {
  const partition = partitionOf(ref.region);
  if (ref.outpostId !== void 0) {
    return `arn:${partition}:s3-outposts:${ref.region}:${ref.accountId}:outpost/${ref.outpostId}/accesspoint/${ref.name}`;
  }
  return `arn:${partition}:s3:${ref.region}:${ref.accountId}:accesspoint/${ref.name}`;
}
function accessPointKey(ref) {
  const outpost = ref.outpostId !== void 0 ? `${ref.outpostId}/` : "";
  return `${ref.accountId}/${ref.region}/${outpost}${ref.name}`;
}

export {
  partitionOf,
  accessPointArn,
  accessPointKey
};
