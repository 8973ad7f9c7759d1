import { describe, expect, test } from "vitest";
import { accessPointArn, accessPointKey, partitionOf } from "../../src/access-point/arn.js";
import { awsRegions } from "../../src/validate/generated/aws-regions.js";

describe("partitionOf", () => {
  test.each([
    ["us-east-1", "aws"],
    ["eu-west-3", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
    ["us-iso-east-1", "aws-iso"],
    ["us-isob-east-1", "aws-iso-b"],
  ])("%s is in %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  // partitionOf is base code (access-point/ imports no data); the SDK's partition data, which
  // `npm run build` regenerates on every SDK upgrade, says when a new partition needs a prefix.
  test("agrees with the SDK's partition data for every region it lists", () => {
    const pairs = awsRegions.partitions.flatMap((p) => p.regions.map((r) => [r, p.id]));
    expect(pairs.length).toBeGreaterThan(40);
    expect(pairs.map(([region]) => [region, partitionOf(region as string)])).toEqual(pairs);
  });
});

describe("accessPointArn", () => {
  test("general purpose access point", () => {
    expect(
      accessPointArn({ accountId: "111122223333", region: "us-east-1", name: "reports" }),
    ).toBe("arn:aws:s3:us-east-1:111122223333:accesspoint/reports");
  });
  test("outposts access point", () => {
    expect(
      accessPointArn({
        accountId: "111122223333",
        region: "us-west-2",
        name: "edge",
        outpostId: "op-0123456789abcdef0",
      }),
    ).toBe(
      "arn:aws:s3-outposts:us-west-2:111122223333:outpost/op-0123456789abcdef0/accesspoint/edge",
    );
  });
  test("china partition", () => {
    expect(accessPointArn({ accountId: "111122223333", region: "cn-north-1", name: "x1" })).toBe(
      "arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/x1",
    );
  });
});

test("accessPointKey distinguishes outposts", () => {
  const base = { accountId: "111122223333", region: "us-east-1", name: "a1" };
  expect(accessPointKey(base)).toBe("111122223333/us-east-1/a1");
  expect(accessPointKey({ ...base, outpostId: "op-1" })).toBe("111122223333/us-east-1/op-1/a1");
});
