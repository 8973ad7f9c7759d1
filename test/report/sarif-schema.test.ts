// `s3ap validate --format sarif` against the official SARIF 2.1.0 JSON schema (vendored, see
// test/fixtures/sarif/SOURCE.md), for a clean tree and one with errors and warnings.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import AjvDraft04 from "ajv-draft-04";
import formats from "ajv-formats";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../support/cli.js";

const SCHEMA = join(import.meta.dirname, "..", "fixtures", "sarif", "sarif-schema-2.1.0.json");
const REPO = join(import.meta.dirname, "..", "..");

// CommonJS packages: their default export arrives wrapped under ESM.
const Ajv = AjvDraft04.default;
const addFormats = formats.default;

let validate: ValidateFunction;
let dir: string;

beforeAll(async () => {
  const schema = JSON.parse(await readFile(SCHEMA, "utf8"));
  expect(schema.title).toBe("Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema");
  expect(schema.id).toMatch(/\/v2\.1\.0\/.*\/sarif-schema-2\.1\.0\.json$/);
  expect(schema.id).not.toMatch(/rtm/);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema);

  dir = await mkdtemp(join(tmpdir(), "s3ap-sarif-schema-"));
  await mkdir(join(dir, "policies", "team a"), { recursive: true });
  const statement =
    '{ Sid: A, Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${accessPointArn}" }';
  await writeFile(
    join(dir, "policies", "dup.yaml"),
    `accountId: "111122223333"\nregion: us-east-1\nname: dup\npolicy:\n  Statement:\n    - ${statement}\n    - ${statement}\n`,
  );
  await writeFile(
    join(dir, "policies", "team a", "bad #1.yaml"),
    "accountId: 111122223333\nregion: us-east-1\nname: Bad_Name\npolicy: null\n",
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errorsOf = (document: unknown): string[] =>
  validate(document)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? ""}`);

test("the report of a tree with errors and warnings is valid SARIF 2.1.0", async () => {
  const result = await runCli(["validate", "--format", "sarif"], { cwd: dir });
  expect(result.code).toBe(1);
  const log = JSON.parse(result.stdout);
  expect(errorsOf(log)).toEqual([]);
  const levels = log.runs[0].results.map((r: { level: string }) => r.level);
  expect(levels).toContain("error");
  expect(levels).toContain("warning");
  const uris = log.runs[0].results.map(
    (r: { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] }) =>
      r.locations[0].physicalLocation.artifactLocation.uri,
  );
  expect(uris).toContain("policies/team%20a/bad%20%231.yaml");
});

test("the report of the repository's own clean policies is valid SARIF 2.1.0 with no results", async () => {
  const result = await runCli(["validate", "--format", "sarif"], { cwd: REPO });
  expect(result.code).toBe(0);
  const log = JSON.parse(result.stdout);
  expect(log.runs[0].results).toEqual([]);
  expect(errorsOf(log)).toEqual([]);
});

test("the schema check fails on a broken document: a result without message, a bad level", async () => {
  const result = await runCli(["validate", "--format", "sarif"], { cwd: dir });
  const log = JSON.parse(result.stdout);
  delete log.runs[0].results[0].message;
  expect(errorsOf(log).join("\n")).toMatch(
    /\/runs\/0\/results\/0 must have required property 'message'/,
  );

  const badLevel = JSON.parse(result.stdout);
  badLevel.runs[0].results[0].level = "fatal";
  expect(errorsOf(badLevel).join("\n")).toMatch(
    /\/runs\/0\/results\/0\/level must be equal to one of the allowed values/,
  );

  const noVersion = JSON.parse(result.stdout);
  delete noVersion.version;
  expect(errorsOf(noVersion)).not.toEqual([]);
});
