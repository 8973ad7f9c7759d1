// Finds the git repository a folder belongs to.
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SourceError } from "../errors.js";
import { gitRunner } from "./git-runner.js";

export interface Repository {
  /** The working tree's top level, or the git dir of a bare repository. */
  root: string;
  /** Absolute git dir. */
  gitDir: string;
  bare: boolean;
}

/** The repository around `folder` (an existing, real path), or null when there is none. */
export async function findRepository(folder: string): Promise<Repository | null> {
  // rev-parse only: no filter driver can run.
  const git = gitRunner(folder, { noContent: true });
  let lines: string[];
  try {
    lines = (await git.run(["rev-parse", "--is-bare-repository", "--absolute-git-dir"])).split(
      "\n",
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not a git repository/i.test(message)) return null;
    if (/ENOENT/.test(message) && !(await hasDotGitAbove(folder))) return null;
    // Anything else (dubious ownership, a broken .git, git missing inside a repository) must
    // not silently turn into "outside git": apply would then ignore uncommitted changes.
    throw new SourceError(`git cannot read the repository around ${folder}: ${message}`);
  }
  const bare = lines[0]?.trim() === "true";
  const gitDir = lines[1]?.trim() ?? "";
  if (bare) return { root: gitDir, gitDir, bare };
  try {
    const root = (await git.run(["rev-parse", "--show-toplevel"])).trim();
    return { root, gitDir, bare };
  } catch (error) {
    throw new SourceError(
      `${folder} is not inside a working tree: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function hasDotGitAbove(folder: string): Promise<boolean> {
  for (let current = folder; ; current = dirname(current)) {
    if (await stat(join(current, ".git")).catch(() => null)) return true;
    if (dirname(current) === current) return false;
  }
}
