// Facts about a git checkout of s3ap itself (when the s3ap that runs is a clone, not an install):
// its HEAD when some paths are committed exactly as they are, and the GitHub repository of its
// origin. `s3ap init` pins the workflows' action to them.
import { findRepository } from "./git-repository.js";
import { gitRunner } from "./git-runner.js";

/** HEAD of the repository whose top level is `root`, when `paths` have no uncommitted change. */
export async function cleanHead(
  root: string,
  paths: readonly string[],
): Promise<string | undefined> {
  const repository = await findRepository(root).catch(() => null);
  if (repository === null || repository.bare || repository.root !== root) return undefined;
  const git = gitRunner(root);
  const status = await git.tryRun(["status", "--porcelain", "--", ...paths]);
  if (status === null || status.trim() !== "") return undefined;
  const head = (await git.tryRun(["rev-parse", "--verify", "--quiet", "HEAD"]))?.trim();
  return head !== undefined && /^[0-9a-f]{40}$/.test(head) ? head : undefined;
}

/** owner/name of the repository's `origin` remote, when it is on github.com. */
export async function gitHubOrigin(root: string): Promise<string | undefined> {
  const url = (await gitRunner(root).tryRun(["remote", "get-url", "origin"]))?.trim() ?? "";
  const match =
    /^(?:https:\/\/github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(
      url,
    );
  return match?.[1];
}
