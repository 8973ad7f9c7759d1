import { describe, expect, test } from "vitest";
import { classifyRepo } from "../../src/source/git-url.js";

describe("classifyRepo", () => {
  test.each([
    ["https://github.com/acme/policies.git", false],
    ["http://127.0.0.1:8080/x.git", false],
    ["ssh://git@github.com/acme/policies.git", true],
    ["git+ssh://git@host/x", true],
    ["git://host/x", false],
    ["file:///srv/git/policies", false],
    ["git@github.com:acme/policies.git", true],
    ["host:path/to/repo", true],
  ])("%s is a URL (ssh: %s)", (repo, ssh) => {
    expect(classifyRepo(repo)).toEqual({ kind: "url", url: repo, ssh });
  });

  test.each([
    ["../policies-repo"],
    ["/srv/git/policies"],
    ["./a:b"],
    ["dir/with:colon"],
    ["C:\\repos\\policies"],
    ["C:/repos/policies"],
  ])("%s is a local path", (repo) => {
    expect(classifyRepo(repo)).toEqual({ kind: "path", path: repo });
  });

  test.each([
    ["ext::sh -c touch% /tmp/pwned", "remote helpers"],
    ["fd::3", "remote helpers"],
    ["ftp://example.com/x.git", "the ftp:// scheme is not supported"],
    ["--upload-pack=touch /tmp/x", "must not start with '-'"],
  ])("%s is refused", (repo, reason) => {
    const result = classifyRepo(repo);
    expect(result.kind).toBe("unsupported");
    expect(result.kind === "unsupported" && result.reason).toContain(reason);
  });
});
