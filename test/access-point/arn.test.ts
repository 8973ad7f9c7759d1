import { describe, expect, test } from "vitest";
import { accessPointArn, accessPointKey, partitionOf } from "../../src/access-point/arn.js";

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
