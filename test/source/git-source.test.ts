import { mkdir, mkdtemp, readFile, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { SourceError } from "../../src/errors.js";
import { type OpenedSource, openSource } from "../../src/source/git-source.js";
import { freePort } from "../support/free-port.js";
import {
  createRepo,
  entriesOf,
  policy,
  removeFile,
  type TestRepo,
  tempFolder,
} from "./git-repos.js";

// Every temporary folder of this file (ours and s3ap's) lives under one private TMPDIR, so
// "nothing left behind" can be checked exactly.
let scratch: string;
const originalTmpdir = process.env.TMPDIR;
beforeAll(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), "s3ap-git-tests-")));
  process.env.TMPDIR = scratch;
});
afterAll(async () => {
  process.env.TMPDIR = originalTmpdir;
  await rm(scratch, { recursive: true, force: true });
});

const opened: OpenedSource[] = [];
async function open(options: Parameters<typeof openSource>[0]): Promise<OpenedSource> {
  const source = await openSource(options);
  opened.push(source);
  return source;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((source) => source.close()));
});

async function s3apTempFolders(): Promise<string[]> {
  return (await entriesOf(scratch)).filter((name) => name.startsWith("s3ap-"));
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe("working tree around --dir", () => {
  let repo: TestRepo;
  let head: string;
  beforeAll(async () => {
    repo = await createRepo();
    head = await repo.commit({ "policies/a.yaml": policy("a-ap"), "README.md": "hi\n" });
  });

  test("clean tree: root is the top level, commit is HEAD", async () => {
    const source = await open({ cwd: repo.dir, dir: "policies" });
    expect(source).toMatchObject({
      root: await realpath(repo.dir),
      policiesDir: await realpath(join(repo.dir, "policies")),
      commit: head,
      dirty: false,
    });
  });

  test("from a subfolder, with --dir relative to it", async () => {
    const source = await open({ cwd: join(repo.dir, "policies"), dir: "." });
    expect(source.root).toBe(await realpath(repo.dir));
    expect(source.policiesDir).toBe(await realpath(join(repo.dir, "policies")));
  });

  test("a change outside the policies folder is not dirty", async () => {
    await repo.write({ "README.md": "changed\n", "notes.txt": "new\n" });
    try {
      expect((await open({ cwd: repo.dir, dir: "policies" })).dirty).toBe(false);
    } finally {
      await repo.git.raw(["checkout", "--", "README.md"]);
      await removeFile(repo, "notes.txt");
    }
  });

  test.each([
    ["modified", async (r: TestRepo) => r.write({ "policies/a.yaml": policy("changed") })],
    ["untracked", async (r: TestRepo) => r.write({ "policies/deep/b.yaml": policy("b-ap") })],
    [
      "staged",
      async (r: TestRepo) => {
        await r.write({ "policies/c.yaml": policy("c-ap") });
        await r.git.add(["policies/c.yaml"]);
      },
    ],
    ["deleted", async (r: TestRepo) => removeFile(r, "policies/a.yaml")],
  ])("%s file under the policies folder is dirty", async (_, change) => {
    const fresh = await createRepo();
    await fresh.commit({ "policies/a.yaml": policy("a-ap") });
    await change(fresh);
    expect((await open({ cwd: fresh.dir, dir: "policies" })).dirty).toBe(true);
  });

  test("a git-ignored policy file is dirty: the loader would read it", async () => {
    const fresh = await createRepo();
    await fresh.commit({ "policies/a.yaml": policy("a-ap"), ".gitignore": "secret.yaml\n" });
    await fresh.write({ "policies/deep/secret.yaml": policy("s-ap") });
    expect((await open({ cwd: fresh.dir, dir: "policies" })).dirty).toBe(true);
  });

  test("git-ignored files that are not policy files do not make it dirty", async () => {
    const fresh = await createRepo();
    await fresh.commit({ "policies/a.yaml": policy("a-ap"), ".gitignore": "*.swp\n" });
    await fresh.write({ "policies/.a.yaml.swp": "swap" });
    expect((await open({ cwd: fresh.dir, dir: "policies" })).dirty).toBe(false);
  });

  test("status.showUntrackedFiles=no in the repository does not hide new files", async () => {
    const fresh = await createRepo();
    await fresh.commit({ "policies/a.yaml": policy("a-ap") });
    await fresh.git.addConfig("status.showUntrackedFiles", "no");
    await fresh.write({ "policies/new/b.yaml": policy("b-ap") });
    expect((await open({ cwd: fresh.dir, dir: "policies" })).dirty).toBe(true);
  });

  test("a folder name with glob characters is matched literally", async () => {
    const fresh = await createRepo();
    await fresh.commit({ "p[ab]/x.yaml": policy("x-ap"), "pa/y.yaml": policy("y-ap") });
    await fresh.write({ "pa/y.yaml": policy("changed") });
    expect((await open({ cwd: fresh.dir, dir: "p[ab]" })).dirty).toBe(false);
  });

  test("a repository without commits: commit null, new files dirty", async () => {
    const empty = await createRepo();
    await empty.write({ "policies/a.yaml": policy("a-ap") });
    const source = await open({ cwd: empty.dir, dir: "policies" });
    expect(source).toMatchObject({ root: await realpath(empty.dir), commit: null, dirty: true });
  });

  test("a policies folder that does not exist", async () => {
    const error = await sourceError(openSource({ cwd: repo.dir, dir: "nope" }));
    expect(error.message).toContain("--dir nope: no such directory");
  });

  test("a file instead of a folder", async () => {
    const error = await sourceError(openSource({ cwd: repo.dir, dir: "README.md" }));
    expect(error.message).toContain("--dir README.md is not a directory");
  });

  test("the user's EDITOR, PAGER and GIT_* settings do not stop simple-git (4 guards them)", async () => {
    const settings = {
      EDITOR: "vi",
      PAGER: "less",
      GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
      GIT_SSL_CAINFO: "/etc/ssl/certs/ca-certificates.crt",
    };
    const before = { ...process.env };
    Object.assign(process.env, settings);
    try {
      expect((await open({ cwd: repo.dir, dir: "policies" })).commit).toBe(head);
    } finally {
      for (const key of Object.keys(settings)) {
        if (before[key] === undefined) delete process.env[key];
        else process.env[key] = before[key];
      }
    }
  });
});

describe("outside any git repository", () => {
  test("commit null, dirty (no commit names the files), paths relative to the current folder", async () => {
    const plain = await tempFolder();
    await mkdir(join(plain, "policies"));
    const source = await open({ cwd: plain, dir: "policies" });
    expect(source).toEqual({
      root: await realpath(plain),
      policiesDir: await realpath(join(plain, "policies")),
      commit: null,
      dirty: true,
      noCommit: "not a git repository",
      close: expect.any(Function),
    });
  });

  test("a policies folder outside the current folder is its own root", async () => {
    const plain = await tempFolder();
    const elsewhere = await tempFolder();
    const source = await open({ cwd: elsewhere, dir: relative(elsewhere, plain) });
    expect(source.root).toBe(await realpath(plain));
    expect(source.policiesDir).toBe(await realpath(plain));
  });

  test("--ref needs a repository", async () => {
    const plain = await tempFolder();
    const error = await sourceError(openSource({ cwd: plain, dir: ".", ref: "main" }));
    expect(error.message).toMatch(/--ref main needs a git repository/);
  });
});

describe("--ref: a revision, read without touching the user's repository", () => {
  let repo: TestRepo;
  let first: string;
  let second: string;
  beforeAll(async () => {
    repo = await createRepo();
    first = await repo.commit(
      { "policies/a.yaml": policy("old-a"), "policies/gone.yaml": policy("gone"), "x.txt": "1" },
      "first",
    );
    await removeFile(repo, "policies/gone.yaml");
    second = await repo.commit({
      "policies/a.yaml": policy("new-a"),
      "policies/b.yaml": policy("b"),
    });
    await repo.git.raw(["tag", "v1", first]);
  });

  async function userState() {
    return {
      status: await repo.git.raw(["status", "--porcelain", "--untracked-files=all"]),
      head: await repo.git.raw(["rev-parse", "HEAD"]),
      symbolic: await repo.git.raw(["symbolic-ref", "HEAD"]),
      index: await readFile(join(repo.dir, ".git", "index")),
      gitEntries: await entriesOf(join(repo.dir, ".git")),
      refs: await repo.git.raw(["for-each-ref"]),
    };
  }

  test("files as they were at an older commit; working tree, index and HEAD untouched", async () => {
    // Uncommitted work in the user's tree must survive and must not leak into the revision.
    await repo.write({ "policies/a.yaml": policy("wip"), "policies/wip.yaml": policy("wip") });
    await repo.git.add(["policies/wip.yaml"]);
    const before = await userState();

    const source = await open({ cwd: repo.dir, dir: "policies", ref: first });
    expect(source.commit).toBe(first);
    expect(source.dirty).toBe(false);
    expect(source.policiesDir).toBe(join(source.root, "policies"));
    expect((await entriesOf(source.policiesDir)).sort()).toEqual(["a.yaml", "gone.yaml"]);
    expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("old-a"));
    // Only the policies folder is materialised.
    expect(await exists(join(source.root, "x.txt"))).toBe(false);
    expect(relative(scratch, source.root).startsWith("s3ap-")).toBe(true);

    expect(await userState()).toEqual(before);
    await source.close();
    expect(await exists(source.root)).toBe(false);
    expect(await s3apTempFolders()).toEqual([]);
    await repo.git.raw(["reset", "--hard", "--quiet"]);
    await removeFile(repo, "policies/wip.yaml").catch(() => undefined);
  });

  test.each([
    ["a branch", "main", () => second],
    ["a tag", "v1", () => first],
    ["an expression", "main~1", () => first],
  ])("%s resolves to its commit SHA", async (_, ref, expected) => {
    const source = await open({ cwd: repo.dir, dir: "policies", ref });
    expect(source.commit).toBe(expected());
  });

  test("a folder that does not exist in the working tree any more, but does at the ref", async () => {
    const fresh = await createRepo();
    const old = await fresh.commit({ "legacy/a.yaml": policy("a") });
    await removeFile(fresh, "legacy/a.yaml");
    await fresh.commit({ "new/b.yaml": policy("b") });
    const source = await open({ cwd: fresh.dir, dir: "legacy", ref: old });
    expect(await entriesOf(source.policiesDir)).toEqual(["a.yaml"]);
  });

  test("an unknown ref names the ref and leaves no temporary folder", async () => {
    const error = await sourceError(
      openSource({ cwd: repo.dir, dir: "policies", ref: "no-such-branch" }),
    );
    expect(error.message).toContain('unknown ref "no-such-branch"');
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("a folder missing at that ref fails and leaves no temporary folder", async () => {
    const error = await sourceError(openSource({ cwd: repo.dir, dir: "nope", ref: "main" }));
    expect(error.message).toContain('the policies directory "nope" does not exist at main');
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("refs that look like options are refused", async () => {
    const error = await sourceError(
      openSource({ cwd: repo.dir, dir: "policies", ref: "--output=/tmp/x" }),
    );
    expect(error.message).toContain("is not a valid git revision");
  });
});

describe("--repo PATH", () => {
  let repo: TestRepo;
  let head: string;
  beforeAll(async () => {
    repo = await createRepo();
    await repo.commit({ "policies/a.yaml": policy("old") });
    head = await repo.commit({ "policies/a.yaml": policy("new") });
  });

  test("its working tree, with --dir relative to the repository", async () => {
    const elsewhere = await tempFolder();
    const source = await open({ cwd: elsewhere, dir: "policies", repo: repo.dir });
    expect(source).toMatchObject({
      root: await realpath(repo.dir),
      policiesDir: await realpath(join(repo.dir, "policies")),
      commit: head,
      dirty: false,
    });
  });

  test("with --ref, a relative path to the repository", async () => {
    const elsewhere = await tempFolder();
    const source = await open({
      cwd: elsewhere,
      dir: "policies",
      repo: relative(elsewhere, repo.dir),
      ref: "HEAD~1",
    });
    expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("old"));
  });

  test.each([["../outside"], ["policies/../../x"], ["/etc"]])(
    "--dir %s must stay inside the repository",
    async (dir) => {
      const error = await sourceError(
        openSource({ cwd: repo.dir, dir, repo: repo.dir, ref: "main" }),
      );
      expect(error.message).toContain(`--dir ${dir} is outside the repository`);
      const worktree = await sourceError(openSource({ cwd: repo.dir, dir, repo: repo.dir }));
      expect(worktree.message).toContain(`--dir ${dir} is outside the repository`);
    },
  );

  test("a folder that is not a repository", async () => {
    const plain = await tempFolder();
    const error = await sourceError(openSource({ cwd: plain, dir: "policies", repo: plain }));
    expect(error.message).toContain(`--repo ${plain} is not a git repository`);
  });

  test("a bare repository is read at HEAD", async () => {
    const bare = await tempFolder("bare-");
    await simpleGit().clone(repo.dir, bare, ["--bare", "--quiet"]);
    const source = await open({ cwd: bare, dir: "policies", repo: bare });
    expect(source.commit).toBe(head);
    expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("new"));
  });
});

describe("--repo URL: a shallow clone into a temporary folder", () => {
  let origin: TestRepo;
  let url: string;
  let first: string;
  let head: string;
  beforeAll(async () => {
    origin = await createRepo();
    first = await origin.commit({ "policies/a.yaml": policy("one"), "other/x.txt": "x" }, "one");
    await origin.commit({ "policies/a.yaml": policy("two") }, "two");
    head = await origin.commit({
      "policies/a.yaml": policy("three"),
      "policies/b/c.yml": policy("c"),
    });
    await origin.git.raw(["tag", "--annotate", "v1", "--message", "release 1", first]);
    await origin.git.raw(["branch", "release", first]);
    url = `file://${origin.dir}`;
  });

  test("file:// at the remote HEAD: depth 1, files present, removed by close()", async () => {
    const source = await open({ cwd: scratch, dir: "policies", repo: url });
    expect(source.commit).toBe(head);
    expect(source.dirty).toBe(false);
    expect(source.policiesDir).toBe(join(source.root, "policies"));
    expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("three"));
    expect(await readFile(join(source.policiesDir, "b", "c.yml"), "utf8")).toBe(policy("c"));
    const clone = simpleGit(source.root);
    expect((await clone.raw(["rev-parse", "--is-shallow-repository"])).trim()).toBe("true");
    expect((await clone.raw(["rev-list", "--count", source.commit ?? ""])).trim()).toBe("1");

    await source.close();
    await source.close();
    expect(await exists(source.root)).toBe(false);
    expect(await s3apTempFolders()).toEqual([]);
  });

  test.each([
    ["a branch", "release", () => first],
    ["an annotated tag", "v1", () => first],
    ["a full SHA that is no branch tip", "", () => first],
  ])("--ref %s", async (_, ref, expected) => {
    const source = await open({ cwd: scratch, dir: "policies", repo: url, ref: ref || first });
    expect(source.commit).toBe(expected());
    expect(await readFile(join(source.policiesDir, "a.yaml"), "utf8")).toBe(policy("one"));
    const clone = simpleGit(source.root);
    expect((await clone.raw(["rev-list", "--count", expected()])).trim()).toBe("1");
  });

  test("an unknown ref names the ref and leaves no temporary folder", async () => {
    const error = await sourceError(
      openSource({ cwd: scratch, dir: "policies", repo: url, ref: "nope" }),
    );
    expect(error.message).toBe(`unknown ref "nope" in ${url}`);
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("an abbreviated SHA says to use the full one", async () => {
    const error = await sourceError(
      openSource({ cwd: scratch, dir: "policies", repo: url, ref: first.slice(0, 10) }),
    );
    expect(error.message).toContain("full SHA");
  });

  test("--dir must stay inside the clone", async () => {
    const error = await sourceError(openSource({ cwd: scratch, dir: "../x", repo: url }));
    expect(error.message).toContain("--dir ../x is outside the repository");
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("a missing repository fails fast with the URL in the message", {
    timeout: 10_000,
  }, async () => {
    const missing = `file://${join(scratch, "does-not-exist")}`;
    const error = await sourceError(openSource({ cwd: scratch, dir: "policies", repo: missing }));
    expect(error.message).toContain(`could not clone ${missing}`);
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("nobody listening: fails fast, no prompt, credentials hidden", {
    timeout: 10_000,
  }, async () => {
    const port = await freePort();
    const bad = `https://someone:s3cr3t@127.0.0.1:${port}/team/policies.git`;
    const error = await sourceError(openSource({ cwd: scratch, dir: "policies", repo: bad }));
    expect(error.message).toContain(
      `could not clone https://someone:***@127.0.0.1:${port}/team/policies.git`,
    );
    expect(error.message).not.toContain("s3cr3t");
    expect(await s3apTempFolders()).toEqual([]);
  });

  test("ssh with nobody listening: fails fast, no prompt", { timeout: 15_000 }, async () => {
    const port = await freePort();
    const bad = `ssh://git@127.0.0.1:${port}/team/policies.git`;
    const error = await sourceError(openSource({ cwd: scratch, dir: "policies", repo: bad }));
    expect(error.message).toContain(`could not clone ${bad}`);
    expect(await s3apTempFolders()).toEqual([]);
  });

  test.each([
    ["ext::sh -c touch% /tmp/pwned"],
    ["fd::17"],
    ["ftp://example.com/x.git"],
    ["--upload-pack=x"],
  ])("refuses %s", async (repo) => {
    await sourceError(openSource({ cwd: scratch, dir: "policies", repo }));
  });
});
