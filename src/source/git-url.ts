// Tells a remote repository URL from a local path, the way git itself does.

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const ALLOWED_SCHEMES = new Set(["https", "http", "ssh", "git", "file", "git+ssh", "ssh+git"]);
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

export type RepoLocation =
  | { kind: "path"; path: string }
  | { kind: "url"; url: string; ssh: boolean }
  | { kind: "unsupported"; reason: string };

/**
 * `scheme://...` is a URL; `[user@]host:path` with no `/` before the first `:` is git's
 * scp-like ssh syntax; anything else is a local path.
 */
export function classifyRepo(repo: string): RepoLocation {
  if (repo.startsWith("-")) {
    return { kind: "unsupported", reason: "a repository must not start with '-'" };
  }
  const scheme = SCHEME_URL.exec(repo)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!ALLOWED_SCHEMES.has(scheme)) {
      return {
        kind: "unsupported",
        reason: `the ${scheme}:// scheme is not supported (use https://, ssh://, git@host:path or file://)`,
      };
    }
    return { kind: "url", url: repo, ssh: scheme.includes("ssh") };
  }
  // git's transport helpers (ext::, fd::) can run commands: never accept them.
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(repo)) {
    return {
      kind: "unsupported",
      reason: "remote helpers (<transport>::<address>) are not supported",
    };
  }
  const colon = repo.indexOf(":");
  const slash = repo.indexOf("/");
  if (colon > 0 && (slash === -1 || colon < slash) && !WINDOWS_DRIVE.test(repo)) {
    return { kind: "url", url: repo, ssh: true };
  }
  return { kind: "path", path: repo };
}
