// Real throw-away git repositories for the git source tests.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type SimpleGit, simpleGit } from "simple-git";

export interface TestRepo {
  dir: string;
  git: SimpleGit;
  /** Writes files (relative paths → content), creating folders. */
  write(files: Record<string, string>): Promise<void>;
  /** Stages everything and commits; returns the new SHA. */
  commit(files: Record<string, string>, message?: string): Promise<string>;
}

/** A fresh folder under the test's temporary root. */
export async function tempFolder(prefix = "plain-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function createRepo(options: { bare?: boolean } = {}): Promise<TestRepo> {
  const dir = await tempFolder("repo-");
  const git = simpleGit(dir);
  await git.init(options.bare ?? false, ["--initial-branch=main"]);
  if (!options.bare) {
    await git.addConfig("user.name", "s3ap test");
    await git.addConfig("user.email", "test@example.invalid");
    await git.addConfig("commit.gpgsign", "false");
  }
  const write = async (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  };
  return {
    dir,
    git,
    write,
    async commit(files, message = "change") {
      await write(files);
      await git.add(["-A"]);
      await git.commit(message);
      return (await git.revparse(["HEAD"])).trim();
    },
  };
}

export async function removeFile(repo: TestRepo, path: string): Promise<void> {
  await rm(join(repo.dir, path));
}

/** Entries of a folder, [] when it does not exist. */
export async function entriesOf(folder: string): Promise<string[]> {
  return readdir(folder).catch(() => []);
}

export function policy(name: string): string {
  return `accountId: "111122223333"\nregion: us-east-1\nname: ${name}\npolicy: null\n`;
}
