// src/validate/generated/aws-regions.js is the AWS SDK's partition/Region data, extracted so the
// bundles carry it. It must be exactly what the generator makes from the installed SDK.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { partition } from "@aws-sdk/core/client";
import { expect, test } from "vitest";
// @ts-expect-error -- plain .mjs build script without types
import { awsRegionsCode, GENERATED } from "../../scripts/aws-regions.mjs";
import { awsRegions } from "../../src/validate/generated/aws-regions.js";

const ROOT = join(import.meta.dirname, "..", "..");

test("the committed data is what scripts/aws-regions.mjs extracts from the installed SDK", () => {
  const committed = readFileSync(join(ROOT, GENERATED), "utf8");
  expect(
    committed === awsRegionsCode(),
    `${GENERATED} is stale: run \`npm run build\` and commit it`,
  ).toBe(true);
});

test("every listed Region is one the SDK's own partition() places in that partition", () => {
  const regions = awsRegions.partitions.flatMap((p) => p.regions.map((r) => [r, p.id]));
  expect(regions.length).toBeGreaterThan(30);
  for (const [region] of regions) {
    // Listed Regions carry their description; names the SDK only matches by regex do not.
    expect(partition(region as string)).toHaveProperty("description");
  }
  expect(awsRegions.partitions.map((p) => p.id)).toEqual(
    expect.arrayContaining(["aws", "aws-cn", "aws-us-gov"]),
  );
  expect(regions.map(([r]) => r)).not.toContain("aws-global");
});
