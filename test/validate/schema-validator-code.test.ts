// src/validate/generated/access-point-validator.js is ajv's standalone code for the schemas,
// committed so no run compiles them at start-up. It must be exactly what the generator makes
// from the current schemas and the installed ajv, and it must judge data as ajv compiling the
// schemas at run time does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect, test } from "vitest";
import accessPointSchema from "../../schemas/access-point.schema.json" with { type: "json" };
import iamPolicySchema from "../../schemas/iam-policy.schema.json" with { type: "json" };
// @ts-expect-error -- plain .mjs build script without types
import { GENERATED, schemaValidatorCode } from "../../scripts/schema-validator.mjs";
import { validate } from "../../src/validate/generated/access-point-validator.js";

const ROOT = join(import.meta.dirname, "..", "..");

test("the committed validator is what scripts/schema-validator.mjs generates", () => {
  const committed = readFileSync(join(ROOT, GENERATED), "utf8");
  expect(
    committed === schemaValidatorCode(),
    `${GENERATED} is stale: run \`npm run build\` and commit it`,
  ).toBe(true);
});

test("the generated validator reports the errors ajv reports when it compiles the schemas", () => {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strictTypes: false });
  ajv.addSchema(iamPolicySchema, "iam-policy.schema.json");
  const compiled = ajv.compile(accessPointSchema);
  const statement = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "x" };
  const samples: unknown[] = [
    { accountId: "111122223333", region: "us-east-1", name: "ap", policy: null },
    {
      accountId: "111122223333",
      region: "us-east-1",
      name: "ap",
      policy: { Statement: [statement] },
    },
    { accountId: 111122223333, region: "us-east-1", name: "AP", policy: {}, extra: 1 },
    { accountId: "1", region: "x", name: "ap", mode: "sometimes", policy: { Statement: [] } },
    { policy: { Version: "2012-10-17", Statement: [{ ...statement, Effect: "allow", Sid: 3 }] } },
    { policy: { Statement: { ...statement, Condition: { StringEquals: [] } } } },
    [],
    "text",
  ];
  let invalid = 0;
  for (const data of samples) {
    const expected = compiled(data);
    expect(validate(data), JSON.stringify(data)).toBe(expected);
    expect(validate.errors ?? null, JSON.stringify(data)).toEqual(compiled.errors ?? null);
    if (!expected) invalid++;
  }
  expect(invalid).toBeGreaterThan(4);
});
