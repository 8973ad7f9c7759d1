// Each kind of access point: what identifies it, its ARN and key, and how --only selects it.
import { expect, test } from "vitest";
import { accessPointArn, accessPointKey } from "../../src/access-point/arn.js";
import { kindOf, MULTI_REGION } from "../../src/access-point/kind.js";
import { compileSelection } from "../../src/access-point/only-pattern.js";
import { shardsOf } from "../../src/reconcile/shards.js";

const ACCOUNT = "111122223333";
const general = { accountId: ACCOUNT, region: "us-east-1", name: "reports" };
const outposts = { ...general, outpostId: "op-01234567890123456" };
const directory = { ...general, name: "reports--use1-az4--xa-s3" };
const global = { accountId: ACCOUNT, region: MULTI_REGION, name: "global", alias: "abc9.mrap" };

test("each kind has its ARN and key", () => {
  expect(
    [general, outposts, directory, global].map((ref) => [
      kindOf(ref),
      accessPointArn(ref),
      accessPointKey(ref),
    ]),
  ).toEqual([
    [
      "general",
      `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/reports`,
      `${ACCOUNT}/us-east-1/reports`,
    ],
    [
      "outposts",
      `arn:aws:s3-outposts:us-east-1:${ACCOUNT}:outpost/op-01234567890123456/accesspoint/reports`,
      `${ACCOUNT}/us-east-1/op-01234567890123456/reports`,
    ],
    [
      "directory",
      `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/reports--use1-az4--xa-s3`,
      `${ACCOUNT}/us-east-1/reports--use1-az4--xa-s3`,
    ],
    [
      "multi-region",
      `arn:aws:s3::${ACCOUNT}:accesspoint/abc9.mrap`,
      `${ACCOUNT}/multi-region/global`,
    ],
  ]);
  expect(() => accessPointArn({ ...global, alias: undefined } as never)).toThrow("has no alias");
});

test("--only selects each kind by its key, its name or its ARN", () => {
  const selected = (...patterns: string[]) =>
    [general, directory, global].filter(compileSelection(patterns)).map((ref) => ref.name);
  expect(selected(`${ACCOUNT}/multi-region/*`)).toEqual(["global"]);
  expect(selected("*--xa-s3")).toEqual(["reports--use1-az4--xa-s3"]);
  expect(selected("arn:aws:s3express:**")).toEqual(["reports--use1-az4--xa-s3"]);
  expect(selected(`arn:aws:s3::${ACCOUNT}:accesspoint/*.mrap`)).toEqual(["global"]);
  expect(selected(`${ACCOUNT}/us-east-1/*`)).toEqual(["reports", "reports--use1-az4--xa-s3"]);
});

test("a fan-out shard holds every kind of its account, the Multi-Region label among its regions", () => {
  expect(shardsOf([general, directory, global])).toEqual([
    { shard: ACCOUNT, accounts: ACCOUNT, regions: ["multi-region", "us-east-1"], accessPoints: 3 },
  ]);
});
