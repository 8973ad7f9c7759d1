import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { VERSION } from "../src/version.js";
import { runCli } from "./support/cli.js";

test("VERSION matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
  expect(VERSION).toBe(pkg.version);
});

test("the bundled CLI prints help and exits 0", async () => {
  const result = await runCli(["--help"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Usage: s3ap");
});

test("an unknown command exits 1 and says so", async () => {
  const result = await runCli(["frobnicate"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("unknown command");
});
