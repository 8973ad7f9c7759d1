// What the bundles must (not) contain, beyond being up to date (test/dist.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { BUILD_DIR } from "./support/global-setup.js";

test("the bundled yaml parser does not read process.env once per token", () => {
  const chunks = readdirSync(join(BUILD_DIR, "chunks")).map((f) => join(BUILD_DIR, "chunks", f));
  const bundled = [...chunks, join(BUILD_DIR, "cli.js")]
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  expect(bundled).toContain("Advance the parser by the `source` of one lexical token");
  expect(bundled).not.toContain("env.LOG_TOKENS");
});
