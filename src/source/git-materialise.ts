// Writes one folder of a commit to disk without touching the repository's HEAD, index,
// working tree or refs. Plumbing only (read-tree + checkout-index against a throw-away index):
// unlike `git checkout`, it runs no hooks; unlike `git worktree add`, it leaves nothing in
// .git/worktrees; unlike `git archive`, it needs no tar and ignores `export-ignore`.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { SourceError } from "../errors.js";
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
    throw new SourceError(`the policies directory "${dirInRepo}" does not exist at ${label}`);
  }
  if (type !== "tree") {
    throw new SourceError(`"${dirInRepo}" is not a directory at ${label}`);
  }
  const target = dirInRepo === "" ? into : join(into, ...dirInRepo.split("/"));
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
}
