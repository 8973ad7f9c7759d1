import { describe, expect, test } from "vitest";
import { redactUrl, redactUserinfo } from "../src/redact-url.js";

describe("redactUrl", () => {
  test.each([
    ["https://user:s3cret@host/x.git", "https://user:***@host/x.git"],
    ["https://ghp_abc123@github.com/x.git", "https://***@github.com/x.git"],
    [
      "fatal: unable to access 'https://x-access-token:tok@github.com/a/b.git/': 403",
      "fatal: unable to access 'https://x-access-token:***@github.com/a/b.git/': 403",
    ],
    ["ssh://git@github.com/a/b.git", "ssh://git@github.com/a/b.git"],
    ["git@github.com:a/b.git", "git@github.com:a/b.git"],
    ["https://github.com/a/b.git", "https://github.com/a/b.git"],
    ["http://user:password@127.0.0.1:4566", "http://user:***@127.0.0.1:4566"],
    ["could not reach http://user:p%20w@h:9 for X", "could not reach http://user:***@h:9 for X"],
  ])("%s → %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe("redactUserinfo", () => {
  test.each([
    ["http//user:password@host", "http//***@host"],
    ["user:password@host", "***@host"],
    ["http://user:password@host", "http://***@host"],
    ["not a url", "not a url"],
  ])("%s → %s", (input, expected) => {
    expect(redactUserinfo(input)).toBe(expected);
  });
});
