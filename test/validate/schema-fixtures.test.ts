// The schemas and the whole validation against test/fixtures/valid and test/fixtures/invalid.
// An invalid fixture is named `<rule>--<what>.yaml`: it must be rejected with that rule.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import accessPointSchema from "../../schemas/access-point.schema.json" with { type: "json" };
import iamPolicySchema from "../../schemas/iam-policy.schema.json" with { type: "json" };
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const list = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => /\.ya?ml$/.test(f));
const read = (dir: string, name: string) => readFileSync(join(FIXTURES, dir, name), "utf8");

function compileSchema() {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  ajv.addSchema(iamPolicySchema, "iam-policy.schema.json");
  return ajv.compile(accessPointSchema);
}

test("both schemas compile as JSON Schema 2020-12 in ajv's strict mode", () => {
  expect(accessPointSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  expect(iamPolicySchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  expect(() => compileSchema()).not.toThrow();
});

test("every property of the file format has a title and a description for editors", () => {
  for (const [key, property] of Object.entries(accessPointSchema.properties)) {
    expect(property.title, key).toBeTruthy();
    expect(property.description, key).toBeTruthy();
  }
});

test("there are fixtures on both sides", () => {
  expect(list("valid").length).toBeGreaterThanOrEqual(6);
  expect(list("invalid").length).toBeGreaterThanOrEqual(25);
});

describe("valid fixtures", () => {
  const validate = compileSchema();
  test.each(list("valid"))("%s passes the schema and the lint", (name) => {
    const text = read("valid", name);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(checkPolicyFile(text, name).problems).toEqual([]);
  });
});

describe("invalid fixtures", () => {
  test.each(list("invalid"))("%s is rejected with an error of the rule in its name", (name) => {
    const rule = name.split("--")[0];
    const problems = checkPolicyFile(read("invalid", name), name).problems;
    expect(problems.filter((p) => p.severity === "error").map((p) => p.rule)).toContain(rule);
    for (const p of problems) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.col).toBeGreaterThanOrEqual(1);
      expect(p.message.length).toBeGreaterThan(10);
    }
  });
});

describe("warning fixtures", () => {
  test.each(list("warning"))("%s is valid with a warning of the rule in its name", (name) => {
    const rule = name.split("--")[0];
    const checked = checkPolicyFile(read("warning", name), name);
    expect(checked.problems.map((p) => `${p.severity} ${p.rule}`)).toEqual([`warning ${rule}`]);
    expect(checked.desired).toBeDefined();
  });
});
