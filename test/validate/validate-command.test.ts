// `s3ap validate` end to end through the bundled CLI.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../support/cli.js";

const REPO = join(import.meta.dirname, "..", "..");
let plain: string;
let gitRepo: string;
let gitSha: string;

const GOOD = 'accountId: "111122223333"\nregion: us-east-1\nname: good\npolicy: null\n';
const UNQUOTED = "accountId: 111122223333\nregion: us-east-1\nname: bad\npolicy: null\n";

beforeAll(async () => {
  plain = await mkdtemp(join(tmpdir(), "s3ap-validate-"));
  await mkdir(join(plain, "policies", "team"), { recursive: true });
  await writeFile(join(plain, "policies", "good.yaml"), GOOD);
  await writeFile(join(plain, "policies", "team", "bad.yaml"), UNQUOTED);

  gitRepo = await mkdtemp(join(tmpdir(), "s3ap-validate-git-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", gitRepo, ...args], {
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    }).trim();
  git("init", "-q", "-b", "main");
  await mkdir(join(gitRepo, "policies"));
  await writeFile(join(gitRepo, "policies", "bad.yaml"), UNQUOTED);
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "bad");
  gitSha = git("rev-parse", "HEAD");
  // The working tree is fixed afterwards: --ref HEAD must still see the committed, bad file.
  await writeFile(join(gitRepo, "policies", "bad.yaml"), GOOD);
});

afterAll(async () => {
  await rm(plain, { recursive: true, force: true });
  await rm(gitRepo, { recursive: true, force: true });
});

test("the repository's own policies validate: exit 0, a count line naming the commit", async () => {
  const result = await runCli(["validate"], { cwd: REPO });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    /^6 files, 6 access points, 0 problems at commit [0-9a-f]{12}( with uncommitted changes)?\n$/,
  );
});

test("problems print as path:line:col: severity: message [rule], relative to the cwd; exit 1", async () => {
  const result = await runCli(["validate"], { cwd: plain });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe(
    'policies/team/bad.yaml:1:12: error: accountId was read as the number 111122223333; quote it: "111122223333" [account-id]\n' +
      "2 files, 1 access point, 1 problem (1 error) (no commit: not a git repository)\n",
  );
  const fromInside = await runCli(["validate", "--dir", "."], { cwd: join(plain, "policies") });
  expect(fromInside.stdout.split("\n")[0]).toMatch(/^team\/bad\.yaml:1:12: error: /);
});

test("--format json", async () => {
  const result = await runCli(["validate", "--dir", "policies", "--format", "json"], {
    cwd: plain,
  });
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout)).toEqual({
    formatVersion: 1,
    commit: null,
    dirty: true,
    files: 2,
    accessPoints: 1,
    problems: [
      {
        file: "policies/team/bad.yaml",
        line: 1,
        col: 12,
        severity: "error",
        rule: "account-id",
        message: 'accountId was read as the number 111122223333; quote it: "111122223333"',
      },
    ],
  });
});

test("--repo PATH --ref reads the committed files and names the commit", async () => {
  const result = await runCli(["validate", "--repo", gitRepo, "--ref", "HEAD"], { cwd: plain });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe(
    'policies/bad.yaml:1:12: error: accountId was read as the number 111122223333; quote it: "111122223333" [account-id]\n' +
      `1 file, 0 access points, 1 problem (1 error) at commit ${gitSha.slice(0, 12)}\n`,
  );
  const workingTree = await runCli(["validate", "--format", "json"], { cwd: gitRepo });
  expect(JSON.parse(workingTree.stdout)).toMatchObject({
    commit: gitSha,
    dirty: true,
    problems: [],
  });
  expect(workingTree.code).toBe(0);
});

test("a missing policies directory and a bad --format are errors (exit 1)", async () => {
  const missing = await runCli(["validate", "--dir", "nope"], { cwd: plain });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/nope/);
  const format = await runCli(["validate", "--format", "xml"], { cwd: plain });
  expect(format.code).toBe(1);
  expect(format.stderr).toContain('--format is one of text, json, sarif, not "xml"');
});

test("warnings are shown and pass; --strict fails on them", async () => {
  const dir = await mkdtemp(join(tmpdir(), "s3ap-validate-warn-"));
  try {
    await mkdir(join(dir, "policies"));
    const statement =
      '{ Sid: A, Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${accessPointArn}" }';
    await writeFile(
      join(dir, "policies", "dup.yaml"),
      `accountId: "111122223333"\nregion: us-east-1\nname: dup\npolicy:\n  Statement:\n    - ${statement}\n    - ${statement}\n`,
    );
    const shown = await runCli(["validate"], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(
      'policies/dup.yaml:7:14: warning: Sid "A" is also used by another statement; S3 accepts it, but give each statement its own Sid so reviews and reports can tell them apart [sid]\n' +
        "1 file, 1 access point, 1 problem (1 warning) (no commit: not a git repository)\n",
    );
    const strict = await runCli(["validate", "--strict", "--format", "json"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).problems).toEqual([
      expect.objectContaining({ file: "policies/dup.yaml", severity: "warning", rule: "sid" }),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("--format sarif: one result per problem at its repository path, line and column; exit 1 on errors", async () => {
  const result = await runCli(["validate", "--dir", "policies", "--format", "sarif"], {
    cwd: plain,
  });
  expect(result.code).toBe(1);
  const log = JSON.parse(result.stdout);
  expect(log.version).toBe("2.1.0");
  expect(log.runs).toHaveLength(1);
  expect(log.runs[0].tool.driver.name).toBe("s3ap");
  expect(log.runs[0].results).toEqual([
    expect.objectContaining({
      ruleId: "account-id",
      level: "error",
      message: {
        text: 'accountId was read as the number 111122223333; quote it: "111122223333"',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "policies/team/bad.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 1, startColumn: 12 },
          },
        },
      ],
    }),
  ]);
});

test("--format sarif: warnings only are level warning and exit 0, or 1 with --strict", async () => {
  const dir = await mkdtemp(join(tmpdir(), "s3ap-validate-sarif-"));
  try {
    await mkdir(join(dir, "policies"));
    const statement =
      '{ Sid: A, Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${accessPointArn}" }';
    await writeFile(
      join(dir, "policies", "dup.yaml"),
      `accountId: "111122223333"\nregion: us-east-1\nname: dup\npolicy:\n  Statement:\n    - ${statement}\n    - ${statement}\n`,
    );
    const shown = await runCli(["validate", "--format", "sarif"], { cwd: dir });
    expect(shown.code).toBe(0);
    const results = JSON.parse(shown.stdout).runs[0].results;
    expect(results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
      ["sid", "warning"],
    ]);
    const strict = await runCli(["validate", "--strict", "--format", "sarif"], { cwd: dir });
    expect(strict.code).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
