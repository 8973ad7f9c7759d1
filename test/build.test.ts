// What the bundles must (not) contain, beyond being up to date (npm run check-dist).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { BUILD_DIR } from "./support/global-setup.js";

test("the bundled yaml parser does not read process.env once per token", () => {
  const bundled = readFileSync(join(BUILD_DIR, "cli.js"), "utf8");
  expect(bundled).toContain("Advance the parser by the `source` of one lexical token");
  expect(bundled).not.toContain("env.LOG_TOKENS");
});

test("each entry is one self-contained file: no shared or content-hashed chunks", () => {
  expect(readdirSync(BUILD_DIR, { withFileTypes: true }).filter((e) => e.isDirectory())).toEqual(
    [],
  );
  const cli = readFileSync(join(BUILD_DIR, "cli.js"), "utf8");
  expect(cli).not.toMatch(/from\s*["']\.\.?\//);
  expect(cli).not.toMatch(/import\(\s*["']\.\.?\//);
});

test("every bundle is ASCII, so V8 holds each one's source as one byte a character", () => {
  for (const file of readdirSync(BUILD_DIR).filter((f) => f.endsWith(".js"))) {
    const bundled = readFileSync(join(BUILD_DIR, file), "utf8");
    expect({ file, outside: bundled.match(/[\u0080-\u{10ffff}]/gu) ?? [] }).toEqual({
      file,
      outside: [],
    });
  }
});
