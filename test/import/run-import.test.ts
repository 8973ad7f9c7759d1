// runImport over an in-memory store and a temporary folder: what is written, skipped, refused
// and listed to decide.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AwsError } from "../../src/errors.js";
import { type ImportRequest, runImport } from "../../src/import/run-import.js";
import type { ImportOutcome } from "../../src/import/types.js";
import { renderImportText } from "../../src/report/import-text.js";
import { refusalText } from "../../src/report/refusal-text.js";
import { importExitCode as runExitCode } from "../../src/run/import.js";
import { CLI_NAMES } from "../../src/run/option-names.js";
import { type FileWriter, fileSystemWriter } from "../../src/source/write-new-file.js";
import { parseUntrustedJson } from "../../src/untrusted/plain-data.js";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";

const EAST = { accountId: ACCOUNT, region: "us-east-1" };
const arnOf = (name: string) => `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}`;

let cwd: string;
let store: MemoryStore;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "s3ap-import-"));
  store = new MemoryStore();
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const request = (extra: Partial<ImportRequest> = {}): ImportRequest => ({
  cwd,
  dir: "policies",
  targets: [EAST],
  mode: "enforce",
  dryRun: false,
  concurrency: 4,
  ...extra,
});
const deps = (writer: FileWriter = fileSystemWriter) => ({ reader: store, writer });
const importExitCode = (outcome: ImportOutcome, strict: boolean) =>
  runExitCode({ status: "done", outcome }, strict);
const textOptions = {
  cwd: "",
  word: (refusal: Parameters<typeof refusalText>[0]) => refusalText(refusal, CLI_NAMES),
};
const read = (name: string) =>
  readFileSync(join(cwd, "policies", ACCOUNT, "us-east-1", `${name}.yaml`), "utf8");

describe("runImport", () => {
  test("a dry run needs no writer and leaves the folder untouched", async () => {
    store.addAccessPoint({ ...EAST, name: "one" });
    const outcome = await runImport(request({ dryRun: true }), { reader: store });
    expect(outcome).toMatchObject({ status: "imported", dryRun: true, listed: 1 });
    expect(outcome.status === "imported" && outcome.written.map((f) => f.file)).toEqual([
      `policies/${ACCOUNT}/us-east-1/one.yaml`,
    ]);
    expect(existsSync(join(cwd, "policies"))).toBe(false);
  });

  test("a public policy is written with allowPublic: true and its comment, and listed to review", async () => {
    store.addAccessPoint(
      { ...EAST, name: "open" },
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `${arnOf("open")}/object/*`,
          },
        ],
      },
    );
    const outcome = await runImport(request(), deps());
    const text = read("open");
    expect(text).toContain("mode: enforce\n# Imported public: the live policy grants");
    expect(text).toContain("\nallowPublic: true\npolicy:\n");
    expect(outcome.status === "imported" && outcome.problems).toEqual([
      {
        file: `policies/${ACCOUNT}/us-east-1/open.yaml`,
        line: 11,
        col: 18,
        severity: "warning",
        rule: "imported-public",
        message: expect.stringMatching(
          /^imported public, allowPublic: true was written: the statement is public as Amazon S3 defines it: it allows Principal "\*"/,
        ),
      },
    ]);
    expect(text.split("\n")[10]).toBe('      Principal: "*"');
  });

  test("a deleted role's unique id is written as it is and listed with what it means", async () => {
    store.addAccessPoint(
      { ...EAST, name: "orphan" },
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "AROAEXAMPLEID1234567" },
            Action: "s3:GetObject",
            Resource: `${arnOf("orphan")}/object/*`,
          },
        ],
      },
    );
    const outcome = await runImport(request(), deps());
    expect(read("orphan")).toContain("        AWS: AROAEXAMPLEID1234567\n");
    expect(outcome.status === "imported" && outcome.problems).toEqual([
      expect.objectContaining({
        file: `policies/${ACCOUNT}/us-east-1/orphan.yaml`,
        line: 10,
        col: 14,
        rule: "principal",
        message: expect.stringContaining("unique id of a deleted IAM role"),
      }),
    ]);
  });

  test("an access point a file already declares is skipped, wherever that file is", async () => {
    store.addAccessPoint({ ...EAST, name: "kept" }).addAccessPoint({ ...EAST, name: "new" });
    mkdirSync(join(cwd, "policies", "team"), { recursive: true });
    const own = `accountId: "${ACCOUNT}"\nregion: us-east-1\nname: kept\npolicy: null\n`;
    writeFileSync(join(cwd, "policies", "team", "kept.yml"), own);
    const outcome = await runImport(request(), deps());
    expect(outcome).toMatchObject({
      status: "imported",
      skipped: [{ file: "policies/team/kept.yml", arn: arnOf("kept") }],
    });
    expect(outcome.status === "imported" && outcome.written.map((f) => f.ref.name)).toEqual([
      "new",
    ]);
    expect(readFileSync(join(cwd, "policies", "team", "kept.yml"), "utf8")).toBe(own);
  });

  test("a file at the target path is never overwritten", async () => {
    store.addAccessPoint({ ...EAST, name: "taken" });
    const writer: FileWriter = { writeNew: async () => "exists" };
    const outcome = await runImport(request(), deps(writer));
    expect(outcome.status === "imported" && outcome.written).toEqual([]);
    expect(outcome.status === "imported" && outcome.failures).toEqual([
      { target: arnOf("taken"), message: expect.stringContaining("already exists") },
    ]);
  });

  test("one account that cannot be listed is reported; the others are imported", async () => {
    const west = { accountId: ACCOUNT, region: "eu-west-1" };
    store.addAccessPoint({ ...west, name: "west-ap" });
    const denied = store.listAccessPoints.bind(store);
    store.listAccessPoints = async (accountId, region) => {
      if (region === "us-east-1") {
        throw new AwsError(
          `access denied: the identity s3ap runs as needs s3:ListAccessPoints on account ${accountId} in ${region}`,
          "AccessDenied",
          false,
          403,
        );
      }
      return denied(accountId, region);
    };
    const outcome = await runImport(request({ targets: [EAST, west] }), deps());
    expect(outcome.status === "imported" && outcome.written.map((f) => f.ref.name)).toEqual([
      "west-ap",
    ]);
    expect(outcome.status === "imported" && outcome.failures).toEqual([
      {
        target: `account ${ACCOUNT} in us-east-1`,
        message: expect.stringContaining("s3:ListAccessPoints"),
      },
    ]);
  });

  test("with an Outpost id, its access points go under <outpostId>/ with outpostId in the file", async () => {
    const outpostId = "op-0123456789abcdef0";
    const outpostArn = `arn:aws:s3-outposts:us-east-1:${ACCOUNT}:outpost/${outpostId}/accesspoint/sensors`;
    store
      .addAccessPoint({ ...EAST, name: "plain" })
      .addAccessPoint({ ...EAST, outpostId, name: "sensors" });
    store.getPolicy = async (ref) =>
      ref.outpostId === undefined
        ? { kind: "none" }
        : {
            kind: "policy",
            policy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ingest` },
                  Action: "s3-outposts:PutObject",
                  Resource: `${outpostArn}/object/*`,
                },
              ],
            },
          };
    const outcome = await runImport(request({ targets: [EAST, { ...EAST, outpostId }] }), deps());
    expect(outcome).toMatchObject({ status: "imported", problems: [], failures: [], notes: [] });
    expect(outcome.status === "imported" && outcome.written.map((f) => f.file)).toEqual([
      `policies/${ACCOUNT}/us-east-1/${outpostId}/sensors.yaml`,
      `policies/${ACCOUNT}/us-east-1/plain.yaml`,
    ]);
    const text = readFileSync(
      join(cwd, "policies", ACCOUNT, "us-east-1", outpostId, "sensors.yaml"),
      "utf8",
    );
    expect(text).toContain(`name: sensors\noutpostId: ${outpostId}\nmode: enforce\n`);
    expect(text).toContain("Resource: ${accessPointArn}/object/*");
  });

  test("without an Outpost id, the report says Outposts access points were not listed", async () => {
    store.addAccessPoint({ ...EAST, name: "plain" });
    const outcome = await runImport(request(), deps());
    expect(outcome.status === "imported" && outcome.notes).toEqual([
      expect.stringContaining("pass --outpost-id op-… to import those"),
    ]);
  });

  test("a name that is not an access point name is never used as a path", async () => {
    store.addAccessPoint({ ...EAST, name: "..\\..\\escape" });
    const outcome = await runImport(request(), deps());
    expect(outcome.status === "imported" && outcome.written).toEqual([]);
    expect(outcome.status === "imported" && outcome.failures[0]?.message).toContain(
      "not a name AWS allows",
    );
    expect(existsSync(join(cwd, "..", "escape.yaml"))).toBe(false);
  });
});

describe("import's exit code and report by severity", () => {
  const statement = (name: string, extra: Record<string, unknown>) => ({
    Effect: "Allow",
    Action: "s3:GetObject",
    Resource: `${arnOf(name)}/object/*`,
    ...extra,
  });
  const reader = { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` };

  test("a live policy with only a warning (a repeated Sid) exits 0 and lists the warning at file:line:col", async () => {
    store.addAccessPoint(
      { ...EAST, name: "twice" },
      {
        Version: "2012-10-17",
        Statement: [
          statement("twice", { Sid: "Read", Principal: reader }),
          statement("twice", { Sid: "Read", Principal: reader, Action: "s3:GetObjectTagging" }),
        ],
      },
    );
    const outcome = await runImport(request(), deps());
    const file = `policies/${ACCOUNT}/us-east-1/twice.yaml`;
    expect(outcome.status === "imported" && outcome.problems).toEqual([
      expect.objectContaining({ file, severity: "warning", rule: "sid" }),
    ]);
    const [problem] = outcome.status === "imported" ? outcome.problems : [];
    expect(read("twice").split("\n")[(problem?.line ?? 0) - 1]).toMatch(/^\s+(- )?Sid: Read$/);
    expect(importExitCode(outcome, false)).toBe(0);
    expect(importExitCode(outcome, true)).toBe(1);
    const text = renderImportText(outcome, { ...textOptions, cwd });
    expect(text).toContain(`${file}:${problem?.line}:${problem?.col}: warning: Sid "Read"`);
    expect(text).toContain("1 warning to decide.");
    expect(text).toContain("exit 1 only with --strict");
  });

  test("a public live policy is written valid, a warning to review: exit 0, 1 only with --strict", async () => {
    store.addAccessPoint(
      { ...EAST, name: "open" },
      { Version: "2012-10-17", Statement: [statement("open", { Principal: "*" })] },
    );
    const outcome = await runImport(request(), deps());
    expect(outcome.status === "imported" && outcome.problems.map((p) => p.severity)).toEqual([
      "warning",
    ]);
    expect(importExitCode(outcome, false)).toBe(0);
    expect(importExitCode(outcome, true)).toBe(1);
    const text = renderImportText(outcome, { ...textOptions, cwd });
    expect(text).toContain("1 warning to decide.");
    expect(text).toContain("exit 1 only with --strict");
  });

  test("a policy with nothing to decide exits 0 with or without --strict", async () => {
    store.addAccessPoint(
      { ...EAST, name: "clean" },
      { Version: "2012-10-17", Statement: [statement("clean", { Principal: reader })] },
    );
    const outcome = await runImport(request(), deps());
    expect(outcome).toMatchObject({ status: "imported", problems: [], failures: [] });
    expect(importExitCode(outcome, true)).toBe(0);
    expect(renderImportText(outcome, { ...textOptions, cwd })).toContain("no problems to decide.");
  });
});

describe("the round trip: every written file reads back as exactly the live policy", () => {
  const NAME = "tricky";
  const livePolicy = (value: unknown) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` },
        Action: "s3:GetObject",
        Resource: `${arnOf(NAME)}/object/*`,
        Condition: { StringEquals: { "aws:UserAgent": value } },
      },
    ],
  });
  /** Imports one access point with `value` as a condition value; the file and what it declares. */
  async function importValue(value: unknown) {
    store = new MemoryStore().addAccessPoint({ ...EAST, name: NAME }, livePolicy(value));
    const outcome = await runImport(request(), deps());
    const file = `policies/${ACCOUNT}/us-east-1/${NAME}.yaml`;
    const text = existsSync(join(cwd, file)) ? read(NAME) : undefined;
    const checked = text === undefined ? undefined : checkPolicyFile(text, file);
    rmSync(join(cwd, "policies"), { recursive: true, force: true });
    return { outcome, text, checked };
  }

  test.each([
    ["a value like ${accountId}-${region}", "${accountId}-${region}", "${!accountId}-${!region}"],
    ["a string of spaces and a newline", "  \n", '" \\ \\n"'],
    ["a bidi override", "admin\u202e\u2066txt", '"admin\\u202e\\u2066txt"'],
    ["a zero-width space and a tag character", "a\u200bb\u{e0041}", '"a\\u200bb\\U000e0041"'],
  ])("%s is written so that it reads back as itself", async (_what, value, written) => {
    const { outcome, text, checked } = await importValue(value);
    expect(outcome).toMatchObject({ status: "imported", failures: [], problems: [] });
    expect(text).toContain(`aws:UserAgent: ${written}\n`);
    expect(checked?.problems).toEqual([]);
    expect(checked?.desired?.policy).toEqual(livePolicy(value));
  });

  test("no string, however hostile, is written raw or read back changed", async () => {
    const unit = fc.constantFrom(
      ..."${}!:*?$ \n\t\r#'\"\\-|>&%@`[],aZ0".split(""),
      "\u202e",
      "\u2066",
      "\u200b",
      "\u2028",
      "\u0085",
      "\u00a0",
      "\ufeff",
      "\u001b",
      "\u{e0041}",
      "\ufe0f",
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 12 }), async (value) => {
        const { outcome, text, checked } = await importValue(value);
        expect(outcome).toMatchObject({ status: "imported", failures: [] });
        expect(text).not.toMatch(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: what a file must not hold raw
          /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u,
        );
        expect(checked?.policy).toEqual(livePolicy(value));
      }),
      { numRuns: 300 },
    );
  });

  test("a live policy the file format cannot hold is not written, and the failure says why", async () => {
    // 64 levels are the most a live policy may have; the file's own mapping adds one.
    let deep: unknown = "x";
    for (let level = 0; level < 59; level++) deep = [deep];
    expect(parseUntrustedJson(JSON.stringify(livePolicy(deep))).ok).toBe(true);
    const { outcome, text } = await importValue(deep);
    expect(text).toBeUndefined();
    expect(outcome).toMatchObject({
      status: "imported",
      written: [],
      failures: [
        {
          target: arnOf(NAME),
          message: expect.stringMatching(
            new RegExp(
              `^policies/${ACCOUNT}/us-east-1/${NAME}\\.yaml would not declare the live policy exactly \\(it does not read back: collections are nested more than 64 levels deep here; a policy file needs fewer than 10\\), so it was not written: write this access point's file by hand from the live policy$`,
            ),
          ),
        },
      ],
    });
  });
});
