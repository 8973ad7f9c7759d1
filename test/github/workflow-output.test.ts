import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { readActionInputs } from "../../src/github/action-inputs.js";
import { renderErrorAnnotations } from "../../src/github/annotations.js";
import { formatOutputs, writeOutputs } from "../../src/github/outputs.js";
import { appendSummary, SUMMARY_LIMIT_BYTES, summaryBudget } from "../../src/github/summary.js";
import { cutLines } from "../../src/report/cut-lines.js";
import { parseOutputFile } from "../action/bundled-action.js";

test("at most ten error annotations, then a notice with how many more are in the log", () => {
  const annotations = Array.from({ length: 12 }, (_, i) => ({
    file: `f${i}.yaml`,
    line: i + 1,
    col: 2,
    title: "t",
    message: `m${i}`,
  }));
  const out = renderErrorAnnotations(annotations);
  expect(out.match(/^::error /gm)).toHaveLength(10);
  expect(out).toContain("::error file=f9.yaml,line=10,col=2,title=t::m9\n");
  expect(out).not.toContain("f10.yaml");
  expect(out).toMatch(
    /^::notice title=s3ap%3A more errors in the log::2 more errors are not annotated/m,
  );
  expect(renderErrorAnnotations(annotations.slice(0, 3))).not.toContain("::notice");
});

test("warnings are ::warning annotations, with their own ten per step", () => {
  const annotations = Array.from({ length: 13 }, (_, i) => ({
    level: i < 2 ? ("error" as const) : ("warning" as const),
    file: `f${i}.yaml`,
    line: 1,
    title: "t",
    message: `m${i}`,
  }));
  const out = renderErrorAnnotations(annotations);
  expect(out.match(/^::error /gm)).toHaveLength(2);
  expect(out.match(/^::warning /gm)).toHaveLength(10);
  expect(out).toContain("::warning file=f2.yaml,line=1,title=t::m2\n");
  expect(out).toMatch(
    /^::notice title=s3ap%3A more warnings in the log::1 more warning is not annotated/m,
  );
  expect(out).not.toContain("more errors");
});

test("outputs use the multiline-safe delimiter form and only when GITHUB_OUTPUT is set", () => {
  const text = formatOutputs({ a: "1", reason: "line one\nline two" }, "EOF_X");
  expect(text).toBe("a<<EOF_X\n1\nEOF_X\nreason<<EOF_X\nline one\nline two\nEOF_X\n");
  expect(() => formatOutputs({ a: "EOF_X" }, "EOF_X")).toThrow(/delimiter/);
  expect(writeOutputs({}, { a: "1" })).toBe(false);
  const path = join(mkdtempSync(join(tmpdir(), "s3ap-out-")), "out");
  writeFileSync(path, "");
  expect(writeOutputs({ GITHUB_OUTPUT: path }, { changes: "true", reason: "x\ny" })).toBe(true);
  expect(parseOutputFile(readFileSync(path, "utf8"))).toEqual({ changes: "true", reason: "x\ny" });
});

test("the summary budget shrinks by what the step already wrote; long sections are cut with a note", () => {
  const path = join(mkdtempSync(join(tmpdir(), "s3ap-sum-")), "summary");
  writeFileSync(path, "x".repeat(1000));
  expect(summaryBudget({ GITHUB_STEP_SUMMARY: path })).toBe(SUMMARY_LIMIT_BYTES - 1000 - 1024);
  expect(appendSummary({}, "# hi")).toBe(false);
  expect(appendSummary({ GITHUB_STEP_SUMMARY: path }, "# hi")).toBe(true);
  expect(readFileSync(path, "utf8").endsWith("# hi\n")).toBe(true);

  const table = Array.from({ length: 100 }, (_, i) => `| row ${i} |`).join("\n");
  const cut = cutLines(table, 800, "See the log.");
  expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(800);
  expect(cut).toMatch(/lines were cut to stay under 800 bytes\. See the log\.\n$/);
  expect(cutLines("short", 800, "x")).toBe("short");
});

test("inputs: the runner's INPUT_ names, defaults for empty values, clear errors", () => {
  expect(readActionInputs({})).toEqual({
    command: "plan",
    dir: "policies",
    concurrency: 32,
    requestTimeoutMs: 10_000,
    verbose: false,
    accessAnalyzer: false,
    attributeDrift: false,
    attributeDays: 7,
    strict: false,
    failOnDrift: false,
    discover: true,
    unmanagedIssue: true,
    driftIssueThreshold: 20,
  });
  expect(
    readActionInputs({ "INPUT_FAIL-ON": "widens-outside-trust", "INPUT_ATTRIBUTE-DAYS": "30" }),
  ).toMatchObject({ failOn: ["widens-outside-trust"], attributeDays: 30 });
  expect(() => readActionInputs({ "INPUT_ATTRIBUTE-DAYS": "91" })).toThrow(
    'input attribute-days takes a whole number from 1 to 90, not "91".',
  );
  expect(() => readActionInputs({ "INPUT_FAIL-ON": "public" })).toThrow(
    "input fail-on is one of widens-outside-trust",
  );
  expect(readActionInputs({ "INPUT_UNMANAGED-ISSUE": "false" }).unmanagedIssue).toBe(false);
  expect(readActionInputs({ INPUT_DISCOVER: "false" })).toMatchObject({ discover: false });
  expect(readActionInputs({ "INPUT_ACCESS-ANALYZER": "true" })).toMatchObject({
    accessAnalyzer: true,
  });
  expect(readActionInputs({ "INPUT_DRIFT-ISSUE-THRESHOLD": "500" }).driftIssueThreshold).toBe(500);
  expect(() => readActionInputs({ "INPUT_DRIFT-ISSUE-THRESHOLD": "many" })).toThrow(
    'input drift-issue-threshold takes a whole number of at least 0, not "many".',
  );
  const env = {
    INPUT_COMMAND: "apply",
    "INPUT_DRY-RUN": "True",
    "INPUT_MAX-CHANGES": "0",
    "INPUT_FAIL-ON-DRIFT": "",
    INPUT_ONLY: " reports-* ",
    INPUT_RATE: "2.5",
  };
  expect(readActionInputs(env)).toMatchObject({
    command: "apply",
    dryRun: true,
    maxChanges: 0,
    failOnDrift: false,
    only: ["reports-*"],
    rate: 2.5,
  });
  expect(() => readActionInputs({ INPUT_COMMAND: "apply", "INPUT_DRY-RUN": "yes" })).toThrow(
    'input dry-run is true or false, not "yes".',
  );
  expect(() => readActionInputs({ INPUT_CONCURRENCY: "0" })).toThrow(
    'input concurrency takes a whole number of at least 1, not "0".',
  );
  expect(() => readActionInputs({ INPUT_RATE: "1e3" })).toThrow(
    'input rate takes a number greater than 0, not "1e3".',
  );
  expect(() => readActionInputs({ "INPUT_ENDPOINT-URL": "ftp://x" })).toThrow(
    'input endpoint-url must use http or https, not "ftp:".',
  );
});
