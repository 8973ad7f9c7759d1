// Hostile policy files (issue 12): what a file holds reaches AWS unchanged or not at all, and
// every refusal is a problem at the file, line and column where it starts.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openSource } from "../../src/source/git-source.js";
import { checkListedFile } from "../../src/validate/check-listed-file.js";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { loadDesiredState } from "../../src/validate/load-desired-state.js";

let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "s3ap-hostile-")));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}
const load = () => loadDesiredState({ root, policiesDir: join(root, "policies") });

const HEAD = 'accountId: "111122223333"\nregion: us-east-1\nname: reports\n';
const PUBLIC_WITH_PROTO = `${HEAD}policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: s3:*
      Resource: \${accessPointArn}/object/*
      __proto__:
        Condition:
          Bool:
            aws:SecureTransport: "true"
`;

test("__proto__ in a statement is refused at its line, and the public guard still sees no Condition", () => {
  const checked = checkPolicyFile(PUBLIC_WITH_PROTO, "p.yaml");
  expect(checked.desired).toBeUndefined();
  expect(checked.problems).toContainEqual(
    expect.objectContaining({ file: "p.yaml", line: 11, col: 7, rule: "forbidden-key" }),
  );
});

test("a mapping where a public statement's Condition value belongs is a problem, not a crash", () => {
  // Found by the fuzz suite: the public guard turned every value into text, and a mapping read
  // from YAML has no prototype, so String() of it threw.
  const text = `${HEAD}policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
      Condition:
        StringEquals:
          aws:SourceVpc:
            - vpc: x
`;
  const checked = checkPolicyFile(text, "c.yaml");
  expect(checked.desired).toBeUndefined();
  expect(checked.problems).toContainEqual(expect.objectContaining({ line: 14, severity: "error" }));
});

test.each([
  ["__proto__", "  Statement:\n    - __proto__: 1\n", 6, 7],
  ["constructor", "  constructor: {}\n  Statement: []\n", 5, 3],
  [
    "prototype",
    "  Statement:\n    - Condition:\n        StringEquals:\n          prototype: x\n",
    8,
    11,
  ],
  ["__proto__ at the top", "__proto__: {}\n", 5, 1],
])("the key %s is refused wherever it is, at its line and column", (_, body, line, col) => {
  const text = body.startsWith("__proto__")
    ? `${HEAD}policy: null\n${body}`
    : `${HEAD}policy:\n${body}`;
  const checked = checkPolicyFile(text, "k.yaml");
  expect(checked.desired).toBeUndefined();
  expect(checked.problems).toContainEqual(
    expect.objectContaining({ line, col, rule: "forbidden-key" }),
  );
});

test("a file nested 2,000 deep is one problem at the depth limit, and the other files are still checked", async () => {
  await put("policies/deep.yaml", `${HEAD}policy: ${"[".repeat(2000)}${"]".repeat(2000)}\n`);
  await put("policies/ok.yaml", `${HEAD.replace("reports", "fine")}policy: null\n`);
  await put("policies/bad.yaml", `${HEAD.replace("reports", "Bad")}policy: null\n`);
  const state = await load();
  expect(state.desired.map((d) => d.name)).toEqual(["fine"]);
  const deep = state.problems.filter((p) => p.file === "policies/deep.yaml");
  // The root mapping is level 1, so the 64th `[` (column 9 + 63) opens level 65.
  expect(deep).toEqual([expect.objectContaining({ line: 4, col: 72, rule: "nesting" })]);
  expect(state.problems.some((p) => p.file === "policies/bad.yaml")).toBe(true);
});

test("deep block nesting and a 40,000-bracket flow nest are refused quickly, without a stack overflow", () => {
  const block = `${HEAD}policy:\n${Array.from({ length: 600 }, (_, i) => `${" ".repeat(i + 2)}- `).join("\n")}x\n`;
  expect(checkPolicyFile(block, "b.yaml").problems).toContainEqual(
    expect.objectContaining({ rule: "nesting" }),
  );
  const flow = `${HEAD}policy: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
  expect(checkPolicyFile(flow, "f.yaml").problems).toEqual([
    expect.objectContaining({ line: 4, rule: "nesting" }),
  ]);
});

test("an integer beyond 2^53 is refused, not sent rounded", () => {
  const text = `${HEAD}policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: { AWS: "111122223333" }
      Action: s3:ListBucket
      Resource: \${accessPointArn}
      Condition:
        NumericLessThan:
          s3:max-keys: 9007199254740993
`;
  const checked = checkPolicyFile(text, "n.yaml");
  expect(checked.desired).toBeUndefined();
  expect(checked.problems).toEqual([
    expect.objectContaining({ line: 13, col: 24, rule: "number" }),
  ]);
  // The same number quoted is sent as written.
  const quoted = checkPolicyFile(text.replace("9007199254740993", '"9007199254740993"'), "q.yaml");
  expect(quoted.problems).toEqual([]);
  expect(JSON.stringify(quoted.desired?.policy)).toContain('"9007199254740993"');
});

test.each([
  [".inf", "infinite"],
  ["1.00000000000000000001", "too precise"],
  ["0x20000000000001", "a hex integer beyond 2^53"],
])("the number %s (%s) is refused", (number) => {
  const checked = checkPolicyFile(`${HEAD}policy: null\nmode: ${number}\n`, "x.yaml");
  expect(checked.problems).toContainEqual(
    expect.objectContaining({ line: 5, col: 7, rule: "number" }),
  );
});

test("invalid UTF-8 is refused at the first bad byte, not decoded as U+FFFD", async () => {
  const bytes = Buffer.concat([
    Buffer.from(`${HEAD}policy:\n  Version: "2012-10-17"\n  Statement:\n    - Sid: "caf`),
    Buffer.from([0xe9]),
    Buffer.from('"\n'),
  ]);
  await put("policies/latin1.yaml", bytes);
  const state = await load();
  expect(state.problems).toEqual([
    expect.objectContaining({ file: "policies/latin1.yaml", line: 7, col: 16, rule: "encoding" }),
  ]);
  expect(state.problems[0]?.message).toContain("0xE9");
});

test("a NUL byte (or another control character) is refused at its position", async () => {
  await put("policies/nul.yaml", `${HEAD}policy: null\nmode: enf\u0000orce\n`);
  await put("policies/bell.yaml", `${HEAD.replace("reports", "bell")}policy: null # \u0007\n`);
  const state = await load();
  expect(state.problems).toEqual([
    expect.objectContaining({
      file: "policies/bell.yaml",
      line: 4,
      col: 16,
      rule: "control-character",
    }),
    expect.objectContaining({
      file: "policies/nul.yaml",
      line: 5,
      col: 10,
      rule: "control-character",
    }),
  ]);
  expect(state.problems[1]?.message).toContain("U+0000");
});

test("a FIFO named *.yaml is reported, never opened", async () => {
  await put("policies/ok.yaml", `${HEAD}policy: null\n`);
  await mkdir(join(root, "policies"), { recursive: true });
  execFileSync("mkfifo", [join(root, "policies", "pipe.yaml")]);
  const state = await load();
  expect(state.problems).toEqual([
    expect.objectContaining({ file: "policies/pipe.yaml", line: 1, col: 1, rule: "not-a-file" }),
  ]);
  expect(state.problems[0]?.message).toContain("FIFO");
});

test("an unreadable file is a problem of that file, not an aborted run", () => {
  const denied = Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
  const result = checkListedFile(
    { absolute: "/x/secret.yaml", file: "policies/secret.yaml" },
    () => {
      throw denied;
    },
  );
  expect(result.problems).toEqual([
    {
      file: "policies/secret.yaml",
      line: 1,
      col: 1,
      severity: "error",
      rule: "unreadable",
      message: "the file cannot be read (EACCES); give the user running s3ap read access",
    },
  ]);
});

test("a symlink into .git is refused at the path, and git's files are never quoted", async () => {
  await put(".git/config", "[remote]\n  url = https://user:s3cret-token@example.com/r.git\n");
  await put("policies/ok.yaml", `${HEAD}policy: null\n`);
  await symlink(join(root, ".git", "config"), join(root, "policies", "config.yaml"));
  await symlink(join(root, ".git"), join(root, "policies", "gitdir"));
  const state = await load();
  expect(state.problems.map((p) => [p.file, p.rule])).toEqual([
    ["policies/config.yaml", "symlink"],
    ["policies/gitdir", "symlink"],
  ]);
  expect(JSON.stringify(state.problems)).not.toContain("s3cret");
});

test("a committed `policies -> /outside` symlink is refused, not read as 'not a git repository'", async () => {
  const outside = await realpath(await mkdtemp(join(tmpdir(), "s3ap-outside-")));
  try {
    await writeFile(join(outside, "a.yaml"), `${HEAD}policy: null\n`);
    const repo = join(root, "repo");
    await mkdir(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    await symlink(outside, join(repo, "policies"));
    await expect(openSource({ cwd: repo, dir: "policies" })).rejects.toThrow(
      /leads through a symlink to .*outside .*; s3ap reads only files inside the repository/,
    );
    await symlink(join(repo, ".git"), join(repo, "gitdir"));
    await expect(openSource({ cwd: repo, dir: "gitdir" })).rejects.toThrow(/leads into .*\.git/);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});
