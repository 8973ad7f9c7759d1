import fc from "fast-check";
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

  test.each([
    [
      "a quote in the password",
      "fatal: unable to access 'https://user:pa'ss@host/a.git/': 403",
      "fatal: unable to access 'https://user:***@host/a.git/': 403",
    ],
    [
      "a space in the password",
      "could not reach http://user:p w@127.0.0.1:9 (ECONNREFUSED)",
      "could not reach http://user:***@127.0.0.1:9 (ECONNREFUSED)",
    ],
    [
      "an @ in the password (the userinfo ends at the last @ of the authority)",
      "--repo https://user:p@ss@host/x.git: not found",
      "--repo https://user:***@host/x.git: not found",
    ],
    [
      "an @ in a bare token",
      "could not clone https://to@ken@host/x.git",
      "could not clone https://***@host/x.git",
    ],
    ["a colon and a quote together", "'http://u:a:b'c@h/'", "'http://u:***@h/'"],
    [
      "two URLs in one message",
      "from https://a:one@h1/x to http://b:two@h2/y",
      "from https://a:***@h1/x to http://b:***@h2/y",
    ],
  ])("hides a password with %s", (_, input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  test("no password survives in a git or SDK message, whatever characters it holds", () => {
    const password = fc
      .string({ unit: fc.constantFrom("'", " ", "@", ":", "%", "a", "Z", "0", "!", "$", '"', ")") })
      .map((middle) => `QQx${middle}ZZy`);
    const framing = fc.constantFrom(
      (url: string) =>
        `fatal: unable to access '${url}/a/b.git/': The requested URL returned error: 403`,
      (url: string) => `connect ECONNREFUSED for ${url}`,
      (url: string) => `could not clone ${url}/x.git: no answer for 60 s`,
      (url: string) => `"${url}"`,
    );
    fc.assert(
      fc.property(password, framing, fc.boolean(), (secret, frame, withUser) => {
        // Without a user name, the secret is a bare token, and what precedes its first ":" is
        // by definition a user name: only the password part must then be hidden.
        const text = redactUrl(frame(`https://${withUser ? "user:" : ""}${secret}@example.com`));
        if (withUser || !secret.includes(":")) expect(text).not.toContain("QQx");
        expect(text).not.toContain("ZZy");
      }),
    );
  });
});

describe("redactUserinfo", () => {
  test.each([
    ["http//user:password@host", "http//***@host"],
    ["user:password@host", "***@host"],
    ["http://user:password@host", "http://***@host"],
    ["http://user:pa/ss@host", "http://***@host"],
    ["http://user:p@ss@host", "http://***@host"],
    ["not a url", "not a url"],
  ])("%s → %s", (input, expected) => {
    expect(redactUserinfo(input)).toBe(expected);
  });
});
