import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadDesiredState, MAX_FILE_BYTES } from "../../src/validate/load-desired-state.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "s3ap-load-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ap = (name: string, region = "us-east-1") =>
  `accountId: "111122223333"\nregion: ${region}\nname: ${name}\npolicy: null\n`;

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

const load = () => loadDesiredState({ root, policiesDir: join(root, "policies") });

test("reads *.yaml and *.yml at any depth in sorted POSIX order, and nothing else", async () => {
  await put("policies/b.yaml", ap("bbb"));
  await put("policies/a/z/deep.yml", ap("deep"));
  await put("policies/a.yaml", ap("aaa"));
  await put("policies/A.yaml", ap("upper"));
  await put("policies/notes.md", "not a policy");
  await put("policies/.hidden/x.yaml", ap("hidden"));
  await put("elsewhere.yaml", ap("outside"));
  const state = await load();
  expect(state.problems).toEqual([]);
  expect(state.files).toBe(4);
  expect(state.desired.map((d) => d.file)).toEqual([
    "policies/A.yaml",
    "policies/a.yaml",
    "policies/a/z/deep.yml",
    "policies/b.yaml",
  ]);
  expect(state.desired[0]).toEqual({
    accountId: "111122223333",
    region: "us-east-1",
    name: "upper",
    file: "policies/A.yaml",
    position: { line: 4, col: 1 },
    arn: "arn:aws:s3:us-east-1:111122223333:accesspoint/upper",
    partition: "aws",
    mode: "enforce",
    allowPublic: false,
    policy: null,
  });
});

test("a missing policies directory is an InputError", async () => {
  await expect(load()).rejects.toThrow(InputError);
  await expect(load()).rejects.toThrow(/policies directory policies not found/);
});

test("an empty policies directory is valid and declares nothing", async () => {
  await mkdir(join(root, "policies"));
  expect(await load()).toEqual({ desired: [], problems: [], files: 0, config: null });
});

test("symlinks inside the repository are followed; ones that leave it are refused", async () => {
  const outside = await mkdtemp(join(tmpdir(), "s3ap-outside-"));
  try {
    await writeFile(join(outside, "secret.yaml"), ap("secret"));
    await put("shared/inside.yaml", ap("inside"));
    await mkdir(join(root, "policies"));
    await symlink(join(outside, "secret.yaml"), join(root, "policies", "escape.yaml"));
    await symlink(outside, join(root, "policies", "escape-dir"));
    await symlink(join(root, "shared", "inside.yaml"), join(root, "policies", "inside.yaml"));
    await symlink(join(root, "nowhere.yaml"), join(root, "policies", "broken.yaml"));
    const state = await load();
    expect(state.desired.map((d) => d.name)).toEqual(["inside"]);
    expect(state.problems).toEqual([
      {
        file: "policies/broken.yaml",
        line: 1,
        col: 1,
        severity: "error",
        rule: "symlink",
        message: "broken symlink: its target does not exist",
      },
      {
        file: "policies/escape-dir",
        line: 1,
        col: 1,
        severity: "error",
        rule: "symlink",
        message: "symlink points outside the repository; s3ap reads only files inside it",
      },
      {
        file: "policies/escape.yaml",
        line: 1,
        col: 1,
        severity: "error",
        rule: "symlink",
        message: "symlink points outside the repository; s3ap reads only files inside it",
      },
    ]);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test("a symlink loop does not hang", async () => {
  await put("policies/a/x.yaml", ap("xxx"));
  await symlink(join(root, "policies"), join(root, "policies", "a", "loop"));
  const state = await load();
  expect(state.desired.map((d) => d.name)).toEqual(["xxx"]);
});

test("oversized files are refused unread", async () => {
  const text = `${ap("big")}# ${"x".repeat(MAX_FILE_BYTES)}\n`;
  await put("policies/big.yaml", text);
  const state = await load();
  expect(state.problems).toEqual([
    {
      file: "policies/big.yaml",
      line: 1,
      col: 1,
      severity: "error",
      rule: "file-size",
      message: `the file is ${text.length} bytes; policy files are limited to ${MAX_FILE_BYTES} bytes`,
    },
  ]);
});

test("empty, multi-document and duplicate-key files are reported per file, sorted", async () => {
  await put("policies/c-empty.yaml", "");
  await put("policies/b-multi.yaml", `${ap("bbb")}---\n${ap("ccc")}`);
  await put("policies/a-dup.yaml", `region: x\n${ap("aaa")}`);
  const state = await load();
  expect(state.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.rule}`)).toEqual([
    "policies/a-dup.yaml:3:1 duplicate-key",
    "policies/b-multi.yaml:5:1 multi-document",
    "policies/c-empty.yaml:1:1 empty",
  ]);
  expect(state.desired).toEqual([]);
});

test("an alias bomb is refused quickly", async () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 20; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  await put("policies/bomb.yaml", `${lines.join("\n")}\n`);
  const started = performance.now();
  const state = await load();
  const elapsed = performance.now() - started;
  expect(state.problems[0]).toMatchObject({ rule: "yaml-alias", line: 2 });
  // Expanding this document would take 9^20 nodes; refusing it is instant.
  expect(elapsed).toBeLessThan(5_000);
});

test("two files for the same access point: both are reported, each naming the other", async () => {
  await put("policies/one.yaml", ap("reports"));
  await put("policies/two/again.yaml", `# copy\n${ap("reports")}`);
  await put("policies/other.yaml", ap("reports", "eu-west-1"));
  const state = await load();
  const key = "access point 111122223333/us-east-1/reports";
  expect(state.problems).toEqual([
    {
      file: "policies/one.yaml",
      line: 3,
      col: 7,
      severity: "error",
      rule: "duplicate-access-point",
      message: `${key} is declared here and in 1 other file (policies/two/again.yaml); keep one`,
    },
    {
      file: "policies/two/again.yaml",
      line: 4,
      col: 7,
      severity: "error",
      rule: "duplicate-access-point",
      message: `${key} is already declared in policies/one.yaml; keep one`,
    },
  ]);
  expect(state.desired.map((d) => d.file)).toEqual(["policies/other.yaml"]);
});

test("2,000 files declaring one access point: one short problem each, naming the first file and counting the rest", async () => {
  for (let i = 0; i < 2000; i++) {
    await put(`policies/d-${String(i).padStart(4, "0")}.yaml`, ap("same"));
  }
  const state = await load();
  expect(state.problems).toHaveLength(2000);
  expect(state.problems[0]?.message).toBe(
    "access point 111122223333/us-east-1/same is declared here and in 1999 other files; keep one",
  );
  expect(state.problems[1999]?.message).toBe(
    "access point 111122223333/us-east-1/same is already declared in policies/d-0000.yaml (2000 files in all); keep one",
  );
  // Linear: each message is short whatever the number of files (it was 2,000 names each).
  const longest = Math.max(...state.problems.map((p) => p.message.length));
  expect(longest).toBeLessThan(200);
  expect(state.desired).toEqual([]);
});

test("the repository's own policies/ validates", async () => {
  const repo = join(import.meta.dirname, "..", "..");
  const state = await loadDesiredState({ root: repo, policiesDir: join(repo, "policies") });
  expect(state.problems).toEqual([]);
  expect(state.files).toBe(6);
  expect(
    state.desired.map((d) => [d.name, d.mode, d.policy === null, d.outpostId ?? null]),
  ).toEqual([
    ["audit-logs", "observe", false, null],
    ["partner-share", "enforce", false, null],
    ["reports-read", "enforce", false, null],
    ["analytics-vpc", "enforce", false, null],
    ["sensors", "enforce", false, "op-01ac5d28a6a232904"],
    ["scratch", "enforce", true, null],
  ]);
});

test("with progress, each valid file is reported as it is checked, none after the first error", async () => {
  await put("policies/a.yaml", ap("aaa"));
  await put("policies/b.yaml", `${ap("bbb")}unknown: 1\n`);
  await put("policies/c.yaml", ap("ccc"));
  const reported: string[] = [];
  const state = await loadDesiredState(
    { root, policiesDir: join(root, "policies") },
    { onValid: (desired) => reported.push(desired.name) },
  );
  expect(reported).toEqual(["aaa"]);
  // The tree-wide result is the same as without progress.
  expect(state.desired.map((d) => d.name)).toEqual(["aaa", "ccc"]);
  expect(state.problems.map((p) => p.file)).toEqual(["policies/b.yaml"]);
});

test("with progress and strict, a file with a warning stops the reports too", async () => {
  await put("policies/a.yaml", ap("aaa"));
  await put(
    "policies/b.yaml",
    `accountId: "111122223333"\nregion: us-east-1\nname: bbb\npolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Principal: { AWS: "arn:aws:iam::111122223333:root" }\n      Action: s3:GetObject\n      Resource: \${accessPointArn}/object/*\n      Condition: { StringEquals: { "aws:SourceVcp": vpc-1 } }\n`,
  );
  await put("policies/c.yaml", ap("ccc"));
  const reported = async (strict: boolean) => {
    const names: string[] = [];
    await loadDesiredState(
      { root, policiesDir: join(root, "policies") },
      { strict, onValid: (desired) => names.push(desired.name) },
    );
    return names;
  };
  expect(await reported(false)).toEqual(["aaa", "bbb", "ccc"]);
  expect(await reported(true)).toEqual(["aaa"]);
});

test("for a shard's accounts, another account's file is counted, not checked; an uncertain one is checked", async () => {
  await put("policies/a.yaml", ap("aaa"));
  // Another account's file with an error: that account's run reports it, not this one.
  await put(
    "policies/b.yaml",
    'accountId: "444455556666"\nregion: nowhere\nname: bbb\npolicy: null\n',
  );
  // Whose is it? Only the parser can tell (an unquoted id): checked here too, and its error shown.
  await put(
    "policies/c.yaml",
    "accountId: 444455556666\nregion: us-east-1\nname: ccc\npolicy: null\n",
  );
  const state = await loadDesiredState(
    { root, policiesDir: join(root, "policies") },
    { accounts: new Set(["111122223333"]) },
  );
  expect(state.files).toBe(3);
  expect(state.desired.map((d) => d.name)).toEqual(["aaa"]);
  expect(state.problems.map((p) => p.file)).toEqual(["policies/c.yaml"]);
  const whole = await load();
  expect(whole.problems.map((p) => p.file)).toEqual(["policies/b.yaml", "policies/c.yaml"]);
});
