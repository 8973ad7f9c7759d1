// A repository is data: reading it (working tree, --ref, --repo PATH) must never run a program
// that the repository's own configuration names (hooks, core.fsmonitor, filter drivers).
import { execFileSync } from "node:child_process";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { filtersOff } from "../../src/source/git-runner.js";
import { openSource } from "../../src/source/git-source.js";
import { createRepo, policy, type TestRepo } from "./git-repos.js";

let scratch: string;
let markers: string;
let repo: TestRepo;
const originalTmpdir = process.env.TMPDIR;

// Plain git: simple-git (rightly) refuses to write these settings.
function config(key: string, value: string): void {
  execFileSync("git", ["-C", repo.dir, "config", key, value]);
}

async function script(path: string, body: string): Promise<void> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
}

beforeAll(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), "s3ap-hostile-git-")));
  process.env.TMPDIR = scratch;
  markers = join(scratch, "markers");
  await rm(markers, { recursive: true, force: true });
  await mkdir(markers);
  repo = await createRepo();
  await repo.commit({
    "policies/a.yaml": policy("a-ap"),
    ".gitattributes": "*.yaml filter=evil\n",
  });
  // Configured after the commit, as a hostile repository would ship it.
  const hooks = join(repo.dir, ".git", "hooks");
  await script(join(hooks, "post-index-change"), `touch "${markers}/post-index-change"`);
  await script(join(scratch, "fsmonitor.sh"), `touch "${markers}/fsmonitor"; exit 1`);
  config("core.fsmonitor", join(scratch, "fsmonitor.sh"));
  config("filter.evil.smudge", `touch "${markers}/smudge"; cat`);
  config("filter.evil.clean", `touch "${markers}/clean"; cat`);
  config("filter.evil.required", "true");
  // A new mtime makes `git status` read the file again, through the clean filter.
  const later = new Date(Date.now() + 60_000);
  await utimes(join(repo.dir, "policies", "a.yaml"), later, later);
});

afterAll(async () => {
  process.env.TMPDIR = originalTmpdir;
  await rm(scratch, { recursive: true, force: true });
});

describe("reading a repository runs none of its programs", () => {
  test.each([
    ["the working tree around --dir", () => ({ cwd: repo.dir, dir: "policies" })],
    ["--ref HEAD", () => ({ cwd: repo.dir, dir: "policies", ref: "HEAD" })],
    ["--repo PATH", () => ({ cwd: scratch, dir: "policies", repo: repo.dir })],
    [
      "--repo PATH --ref HEAD",
      () => ({ cwd: scratch, dir: "policies", repo: repo.dir, ref: "HEAD" }),
    ],
  ])("%s: no hook, no fsmonitor, no filter", async (_, options) => {
    const source = await openSource(options());
    try {
      expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("a-ap"));
    } finally {
      await source.close();
    }
    expect(await readdir(markers)).toEqual([]);
  });
});

describe("filtersOff", () => {
  test("switches off every configured driver, including names with dots", () => {
    const listed = "filter.lfs.clean\ngit-lfs clean -- %f\0filter.a.b.process\nrun\0";
    expect(filtersOff(listed)).toEqual([
      ["filter.lfs.clean", ""],
      ["filter.lfs.smudge", ""],
      ["filter.lfs.process", ""],
      ["filter.lfs.required", "false"],
      ["filter.a.b.clean", ""],
      ["filter.a.b.smudge", ""],
      ["filter.a.b.process", ""],
      ["filter.a.b.required", "false"],
    ]);
  });

  test("nothing configured: nothing to switch off", () => {
    expect(filtersOff("")).toEqual([]);
  });
});
