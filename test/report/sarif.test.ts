// The SARIF report's content: rules, levels, locations and fingerprints that survive moved lines.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { DesiredAccessPoint, Problem } from "../../src/model.js";
import { fileUri, sarifLog } from "../../src/report/sarif.js";
import { VALIDATION_RULES } from "../../src/report/validation-rules.js";
import { VERSION } from "../../src/version.js";
import { sarifEmbeddedLinks } from "./sinks/sarif-links.js";

const SRC = join(import.meta.dirname, "..", "..", "src");

const problem = (over: Partial<Problem> = {}): Problem => ({
  file: "policies/a.yaml",
  line: 3,
  col: 5,
  severity: "error",
  rule: "action",
  message: '"s3:Nope" is not an IAM action of s3',
  ...over,
});

const desired = (file: string, name: string): DesiredAccessPoint => ({
  accountId: "111122223333",
  region: "us-east-1",
  name,
  file,
  position: { line: 4, col: 1 },
  arn: `arn:aws:s3:us-east-1:111122223333:accesspoint/${name}`,
  partition: "aws",
  mode: "enforce",
  allowPublic: false,
  policy: null,
});

// biome-ignore lint/suspicious/noExplicitAny: the SARIF log is checked as plain JSON.
const run = (problems: Problem[], ds: DesiredAccessPoint[] = []): any =>
  JSON.parse(JSON.stringify(sarifLog(problems, ds))).runs[0];

const fingerprintOf = (p: Problem, ds: DesiredAccessPoint[] = []): string =>
  run([p], ds).results[0].partialFingerprints["s3apProblem/v1"];

test("the driver is s3ap at this version, with one rule per validator rule id and help links", () => {
  const driver = run([]).tool.driver;
  expect(driver).toMatchObject({ name: "s3ap", version: VERSION });
  expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(VALIDATION_RULES));
  for (const rule of driver.rules) {
    expect(rule.shortDescription.text).not.toBe("");
    expect(rule.fullDescription.text).not.toBe("");
    expect(rule.help.text).toContain(rule.fullDescription.text);
    expect(rule.helpUri).toMatch(/#validation$/);
  }
});

test("every rule id the sources put on a problem has a rule with help text", async () => {
  const ids = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        const text = await readFile(path, "utf8");
        // `rule: "x"`, `rule: cond ? "x" : "y"`, `rule = "x"`: every quoted id on such a line.
        for (const line of text.split("\n").filter((l) => /\brule\s*[:=] /.test(l))) {
          const after = line.slice(line.search(/\brule\s*[:=] /));
          for (const m of after.matchAll(/"([a-z][a-z0-9-]+)"/g)) ids.add(m[1] as string);
        }
      }
    }
  };
  await walk(join(SRC, "validate"));
  await walk(join(SRC, "untrusted"));
  await walk(join(SRC, "source"));
  // Rules passed positionally: problem(file, "symlink", ...), at(line, col, "encoding", ...).
  for (const file of ["source/policy-files.ts", "validate/check-listed-file.ts"]) {
    const text = await readFile(join(SRC, file), "utf8");
    for (const m of text.matchAll(/^\s+"([a-z][a-z0-9-]+)",$/gm)) ids.add(m[1] as string);
  }
  ids.add("version"); // schema-validator.ts: an enum of key `Version` is rule `version`.
  // A rule id the access-analyzer check uses is not one of validate's.
  ids.delete("access-analyzer");
  const missing = [...ids].filter((id) => !(id in VALIDATION_RULES));
  expect(missing).toEqual([]);
  expect(ids.size).toBeGreaterThan(30);
});

test("results carry the level of the problem's severity, its message and repository location", () => {
  const results = run([problem(), problem({ severity: "warning", rule: "sid", line: 9 })]).results;
  expect(results[0]).toMatchObject({
    ruleId: "action",
    level: "error",
    message: { text: '"s3:Nope" is not an IAM action of s3' },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: "policies/a.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 3, startColumn: 5 },
        },
      },
    ],
  });
  expect(results[1]).toMatchObject({ ruleId: "sid", level: "warning" });
  const rules = run([problem()]).tool.driver.rules;
  expect(rules[results[0].ruleIndex].id).toBe("action");
});

test("the fingerprint survives a moved line and changes with rule, file, access point or message", () => {
  const base = fingerprintOf(problem());
  expect(base).toMatch(/^[0-9a-f]{64}$/);
  expect(fingerprintOf(problem({ line: 40, col: 1 }))).toBe(base);
  expect(fingerprintOf(problem({ rule: "resource" }))).not.toBe(base);
  expect(fingerprintOf(problem({ file: "policies/b.yaml" }))).not.toBe(base);
  expect(fingerprintOf(problem({ message: "other" }))).not.toBe(base);
  expect(fingerprintOf(problem(), [desired("policies/a.yaml", "reports")])).not.toBe(
    fingerprintOf(problem(), [desired("policies/a.yaml", "billing")]),
  );
});

test("file paths become relative URI references with each segment percent-encoded", () => {
  expect(fileUri("policies/team a/#1%.yaml")).toBe("policies/team%20a/%231%25.yaml");
  expect(
    run([problem({ file: "p/ü.yaml" })]).results[0].locations[0].physicalLocation,
  ).toMatchObject({ artifactLocation: { uri: "p/%C3%BC.yaml" } });
});

test("a rule id missing from the catalogue still gets a descriptor its results point at", () => {
  const r = run([problem({ rule: "brand-new" })]);
  const index = r.results[0].ruleIndex;
  expect(r.tool.driver.rules[index]).toMatchObject({ id: "brand-new" });
});

test("a link written in a policy file reaches the message as text, never as a SARIF embedded link", () => {
  const message =
    'unknown key "[Fix it here](https://evil.example/login)": allowed keys are accountId, region';
  const result = run([problem({ rule: "schema", message })]).results[0];
  expect(sarifEmbeddedLinks(result.message.text)).toEqual([]);
  expect(result.message.text).toBe(
    'unknown key "\\[Fix it here\\](https://evil.example/login)": allowed keys are accountId, region',
  );
});

test("rule texts show code as code in Markdown and without backticks in plain text", () => {
  const rules = run([]).tool.driver.rules as {
    id: string;
    shortDescription: { text: string };
    fullDescription: { text: string };
    help: { text: string; markdown: string };
  }[];
  const mode = rules.find((r) => r.id === "mode");
  expect(mode?.fullDescription.text).toBe("mode is enforce (the default) or observe.");
  expect(mode?.help.markdown).toContain("`mode` is `enforce` (the default) or `observe`.");
  for (const rule of rules) {
    expect(
      `${rule.shortDescription.text} ${rule.fullDescription.text} ${rule.help.text}`,
    ).not.toContain("`");
  }
});

test("an excepted warning is an accepted external suppression justified by its exception", () => {
  const excepted = problem({
    severity: "warning",
    rule: "sid",
    exception: {
      id: "shared-sid",
      owner: "team-data",
      reason: "the two roles merge [soon]",
      ticket: "DATA-7",
      expires: "2026-03-31",
    },
  });
  const [shown, plain] = run([excepted, problem()]).results;
  expect(shown.suppressions).toEqual([
    {
      kind: "external",
      status: "accepted",
      justification:
        "the two roles merge \\[soon\\] (s3ap.yaml exception shared-sid of team-data, DATA-7, until 2026-03-31)",
      properties: {
        exception: "shared-sid",
        owner: "team-data",
        ticket: "DATA-7",
        expires: "2026-03-31",
      },
    },
  ]);
  expect(plain.suppressions).toBeUndefined();
});
