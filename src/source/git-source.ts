// Where the desired state is read from: the working tree around --dir, a revision of a local
// repository (--ref, --repo PATH) or a shallow clone of a remote one (--repo URL).
//
// `root` is what report paths are relative to:
// - inside a git working tree: the repository's top level;
// - a revision or a clone: the temporary folder holding that revision's files;
// - outside any git repository: the current directory when the policies folder is inside it
//   (paths read `policies/a.yaml`, as in a repository), otherwise the policies folder itself.
import { realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { SourceError } from "../errors.js";
import type { SourceInfo } from "../model.js";
import { redactUrl } from "../redact-url.js";
import { materialiseFolder } from "./git-materialise.js";
import { findRepository, type Repository } from "./git-repository.js";
import { GitCommandError, gitRunner } from "./git-runner.js";
import { GitTempFolders } from "./git-temp-folders.js";
import { classifyRepo } from "./git-url.js";
import { isDirty } from "./git-working-tree.js";

export interface OpenSourceOptions {
  cwd: string;
  dir: string;
  repo?: string;
  ref?: string;
}

export interface OpenedSource extends SourceInfo {
  /** Removes every temporary folder; safe to call more than once. */
  close(): Promise<void>;
}

// A stalled network fetch is killed after this much silence (progress output resets it).
const FETCH_SILENCE_TIMEOUT_MS = 60_000;

export async function openSource(options: OpenSourceOptions): Promise<OpenedSource> {
  const temps = new GitTempFolders();
  const close = () => temps.removeAll();
  try {
    const info = await open(options, temps);
    return { ...info, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function open(options: OpenSourceOptions, temps: GitTempFolders): Promise<SourceInfo> {
  const { cwd, dir, repo, ref } = options;
  if (ref !== undefined) checkRef(ref);
  if (repo === undefined) {
    return ref === undefined ? readAround(cwd, dir) : readRefAround(cwd, dir, ref, temps);
  }
  const location = classifyRepo(repo);
  switch (location.kind) {
    case "unsupported":
      throw new SourceError((name) => `${name("repo")} ${redactUrl(repo)}: ${location.reason}`);
    case "url":
      return readUrl(location.url, location.ssh, dir, ref, temps);
    case "path":
      return readLocalRepo(resolve(cwd, location.path), repo, dir, ref, temps);
  }
}

function checkRef(ref: string): void {
  if (ref === "" || ref.startsWith("-") || /[\s:]/.test(ref)) {
    throw new SourceError((name) => `${name("ref")} "${ref}" is not a valid git revision`);
  }
}

/** No --repo, no --ref: the working tree (or plain folder) around --dir. */
async function readAround(cwd: string, dir: string): Promise<SourceInfo> {
  const policiesDir = await existingDirectory(resolve(cwd, dir), dir);
  // Two independent questions to git, asked at once: each is a few git processes in a row, and
  // they come before the first policy file is read.
  const around = findRepository(policiesDir);
  // Not awaited when the check below throws: its failure is the one reported.
  around.catch(() => {});
  await refuseEscape(cwd, dir, policiesDir);
  const repository = await around;
  if (repository === null) {
    const realCwd = await realPathOrSelf(cwd);
    const root = isInside(realCwd, policiesDir) ? realCwd : policiesDir;
    return { root, policiesDir, commit: null, dirty: true, noCommit: "not a git repository" };
  }
  if (repository.bare) {
    throw new SourceError(
      (name) =>
        `${policiesDir} is inside a bare repository; use ${name("repo")} with ${name("ref")}`,
    );
  }
  return readWorkingTree(repository, policiesDir);
}

/** --ref without --repo: that revision of the repository around --dir (or the current folder). */
async function readRefAround(
  cwd: string,
  dir: string,
  ref: string,
  temps: GitTempFolders,
): Promise<SourceInfo> {
  // The folder may not exist in the working tree (yet, or any more): anchor on what exists.
  const wanted = resolve(cwd, dir);
  const anchor = await nearestExisting(wanted);
  const repository = await findRepository(anchor.real);
  if (repository === null) {
    throw new SourceError(
      (name) =>
        `${name("ref")} ${ref} needs a git repository, but ${anchor.path} is not inside one ` +
        `(use ${name("repo")})`,
    );
  }
  const dirInRepo = inside(repository.root, join(anchor.real, anchor.rest), dir);
  return readRevision(repository.gitDir, repository.root, dirInRepo, ref, temps);
}

/** --repo PATH: its working tree, or a revision of it with --ref (always a revision when bare). */
async function readLocalRepo(
  path: string,
  shown: string,
  dir: string,
  ref: string | undefined,
  temps: GitTempFolders,
): Promise<SourceInfo> {
  const folder = await existingDirectory(path, shown, "repo");
  const repository = await findRepository(folder);
  if (repository === null) {
    throw new SourceError((name) => `${name("repo")} ${shown} is not a git repository`);
  }
  const dirInRepo = inside(repository.root, resolve(repository.root, dir), dir);
  if (ref !== undefined || repository.bare) {
    return readRevision(repository.gitDir, shown, dirInRepo, ref ?? "HEAD", temps);
  }
  const policiesDir = await existingDirectory(join(repository.root, dirInRepo), dir);
  inside(repository.root, policiesDir, dir);
  return readWorkingTree(repository, policiesDir);
}

async function readWorkingTree(repository: Repository, policiesDir: string): Promise<SourceInfo> {
  const dirInRepo = posixRelative(repository.root, policiesDir);
  // HEAD and the folder's status at once: both come before the first policy file is read.
  const dirty = isDirty(dirInRepo, gitRunner(repository.root));
  // Not awaited in a repository with no commit yet: its status is not needed there.
  dirty.catch(() => {});
  const head = await gitRunner(repository.root, { noContent: true }).tryRun([
    "rev-parse",
    "--verify",
    "--quiet",
    "HEAD^{commit}",
  ]);
  const commit = head?.trim() || null;
  if (commit === null) {
    return { root: repository.root, policiesDir, commit, dirty: true, noCommit: "no commit yet" };
  }
  return { root: repository.root, policiesDir, commit, dirty: await dirty };
}

async function readRevision(
  gitDir: string,
  shownRepo: string,
  dirInRepo: string,
  ref: string,
  temps: GitTempFolders,
): Promise<SourceInfo> {
  const git = gitRunner(gitDir);
  const commit = (
    await git.tryRun(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])
  )?.trim();
  if (!commit) throw new SourceError(`unknown ref "${ref}" in ${shownRepo}`);
  const folder = await temps.create("s3ap-ref-");
  const root = join(folder, "tree");
  await materialiseFolder({
    repoDir: gitDir,
    commit,
    dirInRepo,
    into: root,
    indexFile: join(folder, "index"),
    label: `${ref} (${commit.slice(0, 12)})`,
  });
  return { root, policiesDir: joinPosix(root, dirInRepo), commit, dirty: false };
}

/** --repo URL: a depth-1 fetch of REF (or the remote HEAD) into a temporary repository. */
async function readUrl(
  url: string,
  ssh: boolean,
  dir: string,
  ref: string | undefined,
  temps: GitTempFolders,
): Promise<SourceInfo> {
  const shown = redactUrl(url);
  const root = await temps.create("s3ap-clone-");
  const dirInRepo = inside(root, resolve(root, dir), dir);
  const local = gitRunner(root);
  // An empty template: no hooks from the user's init.templateDir in this throw-away repository.
  await local.run(["init", "--quiet", "--template=", "."]);
  const remote = gitRunner(root, {
    silenceTimeoutMs: FETCH_SILENCE_TIMEOUT_MS,
    env: ssh ? await batchSsh(local) : {},
  });
  // init + fetch rather than `clone --branch`: one path for branches, tags, full refs and
  // commit SHAs (`clone --branch` takes no SHA), and nothing but FETCH_HEAD is written.
  const wanted = ref ?? "HEAD";
  try {
    await remote.run([
      "fetch",
      "--progress",
      "--depth=1",
      "--no-tags",
      "--no-recurse-submodules",
      url,
      wanted,
    ]);
  } catch (error) {
    throw fetchError(error, shown, ref);
  }
  const commit = (await local.run(["rev-parse", "--verify", "FETCH_HEAD^{commit}"])).trim();
  await materialiseFolder({
    repoDir: root,
    commit,
    dirInRepo,
    into: root,
    indexFile: join(root, ".git", "s3ap-index"),
    label: `${shown} ${wanted} (${commit.slice(0, 12)})`,
  });
  return { root, policiesDir: joinPosix(root, dirInRepo), commit, dirty: false };
}

function fetchError(error: unknown, shownUrl: string, ref: string | undefined): SourceError {
  const message = redactUrl(error instanceof Error ? error.message : String(error));
  if (ref !== undefined && /couldn't find remote ref/i.test(message)) {
    const shortSha = /^[0-9a-f]{4,39}$/i.test(ref)
      ? "; a commit must be given as its full SHA when reading from a URL"
      : "";
    return new SourceError(`unknown ref "${ref}" in ${shownUrl}${shortSha}`);
  }
  if (error instanceof GitCommandError && /timeout|killed/i.test(message)) {
    return new SourceError(`could not clone ${shownUrl}: no answer for 60 s`);
  }
  return new SourceError(`could not clone ${shownUrl}: ${message}`);
}

/**
 * ssh must not ask for a password or a host key confirmation: s3ap runs in CI. Only when the
 * user has not chosen an ssh command of their own.
 */
async function batchSsh(git: ReturnType<typeof gitRunner>): Promise<Record<string, string>> {
  if (process.env.GIT_SSH_COMMAND || process.env.GIT_SSH) return {};
  const configured = await git.tryRun(["config", "--get", "core.sshCommand"]);
  if (configured?.trim()) return {};
  return { GIT_SSH_COMMAND: "ssh -o BatchMode=yes -o ConnectTimeout=30" };
}

/** The path `dir` names, as a path inside `root` with POSIX separators ("" = root itself). */
function inside(root: string, path: string, dir: string): string {
  if (!isInside(root, path)) {
    throw new SourceError((name) => `${name("dir")} ${dir} is outside the repository (${root})`);
  }
  return posixRelative(root, path);
}

/**
 * A --dir written inside the current folder must stay inside it, and inside its repository,
 * once symlinks are resolved: a committed `policies -> /elsewhere` would otherwise make s3ap
 * read files nobody reviewed (and, with no repository there, apply unguarded). Nor may it lead
 * into `.git`.
 */
async function refuseEscape(cwd: string, dir: string, policiesDir: string): Promise<void> {
  const realCwd = await realPathOrSelf(cwd);
  const lexical = resolve(realCwd, dir);
  const around = await findRepository(realCwd);
  const root = around !== null && !around.bare ? around.root : realCwd;
  if (!isInside(root, lexical)) return;
  if (!isInside(root, policiesDir)) {
    throw new SourceError(
      (name) =>
        `${name("dir")} ${dir} leads through a symlink to ${policiesDir}, outside ${root}; ` +
        "s3ap reads only files inside the repository",
    );
  }
  if (isInside(join(root, ".git"), policiesDir)) {
    throw new SourceError(
      (name) => `${name("dir")} ${dir} leads into ${join(root, ".git")}; policies never live there`,
    );
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function posixRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}

function joinPosix(root: string, posixPath: string): string {
  return posixPath === "" ? root : join(root, posixPath);
}

/** `option`: the option that named the folder (`dir`, `repo`). */
async function existingDirectory(path: string, shown: string, option = "dir"): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    throw new SourceError((name) => `${name(option)} ${shown}: no such directory (${path})`);
  }
  if (!info.isDirectory()) {
    throw new SourceError((name) => `${name(option)} ${shown} is not a directory (${path})`);
  }
  return realPathOrSelf(path);
}

async function realPathOrSelf(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/** The deepest existing folder on the way to `path`, resolved, and the part below it. */
async function nearestExisting(
  path: string,
): Promise<{ path: string; real: string; rest: string }> {
  let current = path;
  for (;;) {
    const info = await stat(current).catch(() => null);
    if (info?.isDirectory()) {
      return { path: current, real: await realPathOrSelf(current), rest: relative(current, path) };
    }
    const parent = dirname(current);
    if (parent === current) return { path: current, real: current, rest: relative(current, path) };
    current = parent;
  }
}
