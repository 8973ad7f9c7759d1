// Whether the policies folder of a working tree differs from HEAD.
import type { GitRunner } from "./git-runner.js";

const POLICY_FILE = /\.ya?ml$/i;

/**
 * Modified, staged, deleted or untracked files under `dirInRepo` ("" = whole tree) make it
 * dirty. So do git-ignored policy files: the loader reads every *.yaml under the folder, so an
 * ignored one would be applied without ever being committed.
 */
export async function isDirty(dirInRepo: string, git: GitRunner): Promise<boolean> {
  // `literal`: a folder named `[ab]` or `*` is that folder, not a glob.
  const pathspec = dirInRepo === "" ? ":(top)" : `:(top,literal)${dirInRepo}`;
  const output = await git.run([
    "status",
    "--porcelain=v1",
    "-z",
    // The `## branch` header makes the output never empty: simple-git waits 50 ms after a
    // command that printed nothing, which a clean tree (the usual case) always was.
    "--branch",
    // Explicit, so status.showUntrackedFiles=no in the user's config cannot hide new files.
    "--untracked-files=all",
    "--ignored=traditional",
    "--",
    pathspec,
  ]);
  const entries = output.split("\0");
  // The first entry is the branch header; a path entry starts with two status letters instead.
  if (entries[0]?.startsWith("## ")) entries.shift();
  for (const entry of entries) {
    if (entry === "") continue;
    if (!entry.startsWith("!! ")) return true;
    if (POLICY_FILE.test(entry)) return true;
  }
  return false;
}
