// Writes one folder of a commit to disk without touching the repository's HEAD, index,
// working tree or refs. Plumbing only (read-tree + checkout-index against a throw-away index):
// unlike `git checkout`, it runs no hooks; unlike `git worktree add`, it leaves nothing in
// .git/worktrees; unlike `git archive`, it needs no tar and ignores `export-ignore`. s3ap.yaml at
// the root comes from the same commit as the folder, whatever the folder is.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { MissingFolderError, SourceError } from "../errors.js";
import { CONFIG_FILE } from "./config-file.js";
import { gitRunner } from "./git-runner.js";

export interface MaterialiseOptions {
  /** Any directory inside the repository (or its git dir for a bare repository). */
  repoDir: string;
  /** Resolved commit SHA. */
  commit: string;
  /** The folder to write, relative to the repository root, POSIX separators; "" = everything. */
  dirInRepo: string;
  /** Where the repository root is materialised; the folder lands at `<into>/<dirInRepo>`. */
  into: string;
  /** A path for the throw-away index file (must not exist yet). */
  indexFile: string;
  /** How the revision is named in messages (`--ref main`). */
  label: string;
}

export async function materialiseFolder(options: MaterialiseOptions): Promise<void> {
  const { repoDir, commit, dirInRepo, into, indexFile, label } = options;
  const git = gitRunner(repoDir, { env: { GIT_INDEX_FILE: indexFile } });
  const object = `${commit}:${dirInRepo}`;
  const type = (await git.tryRun(["cat-file", "-t", object]))?.trim();
  if (type === undefined) {
    throw new MissingFolderError(
      `the policies directory "${dirInRepo}" does not exist at ${label}`,
    );
  }
  if (type !== "tree") {
    throw new SourceError(`"${dirInRepo}" is not a directory at ${label}`);
  }
  const target = dirInRepo === "" ? into : join(into, dirInRepo);
  // An empty folder at that commit is still a folder (with nothing to load).
  await mkdir(target, { recursive: true });
  try {
    await git.run(["read-tree", object]);
    // The trailing separator makes --prefix a folder, not a file-name prefix.
    await git.run(["--work-tree", into, "checkout-index", "--all", `--prefix=${target}/`]);
  } catch (error) {
    throw new SourceError(
      `could not read "${dirInRepo}" at ${label}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // With the folder at the root, s3ap.yaml came with it.
  if (dirInRepo !== "") await materialiseRootFile(git, commit, CONFIG_FILE, into, label);
}

/**
 * One file at the root of `commit`, written as committed: a symlink stays a symlink and a folder
 * of that name a folder, so the reader refuses them as it does in a working tree. Absent: nothing.
 */
async function materialiseRootFile(
  git: ReturnType<typeof gitRunner>,
  commit: string,
  name: string,
  into: string,
  label: string,
): Promise<void> {
  const entry = (await git.run(["ls-tree", "-z", "--full-tree", commit, "--", name])).split(
    "\0",
  )[0];
  const match = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(entry ?? "");
  if (match === null) return;
  const [, mode, type, object] = match;
  if (type !== "blob") {
    await mkdir(join(into, name), { recursive: true });
    return;
  }
  try {
    await git.run(["read-tree", "--empty"]);
    await git.run(["update-index", "--add", "--cacheinfo", `${mode},${object},${name}`]);
    await git.run(["--work-tree", into, "checkout-index", `--prefix=${into}/`, "--", name]);
  } catch (error) {
    throw new SourceError(
      `could not read ${name} at ${label}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
