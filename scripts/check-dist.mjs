#!/usr/bin/env node
// Fails when the committed dist/ is not exactly what `npm run build` makes from the sources.
// `node scripts/check-dist.mjs [--expected DIR]`: DIR receives the expected dist/ (CI uploads it
// as an artifact, so a contributor without a working build can download and commit it).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { bundle } from "./build.mjs";

function filesUnder(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

const args = process.argv.slice(2);
const expectedAt = args[0] === "--expected" ? args[1] : undefined;
const built = await mkdtemp(join(tmpdir(), "s3ap-check-dist-"));
try {
  await bundle(built);
  const want = filesUnder(built);
  const have = filesUnder("dist");
  const stale = [
    ...want.filter(
      (f) =>
        !have.includes(f) || !readFileSync(join("dist", f)).equals(readFileSync(join(built, f))),
    ),
    ...have.filter((f) => !want.includes(f)),
  ];
  if (stale.length === 0) {
    console.log(`dist/ is up to date (${want.length} files)`);
  } else {
    console.error(`dist/ is stale: ${stale.join(", ")}`);
    console.error("Run `npm run build` and commit dist/ with the change that made it stale.");
    if (expectedAt) {
      await cp(built, expectedAt, { recursive: true });
      console.error(`The expected dist/ is in ${expectedAt}.`);
    }
    process.exitCode = 1;
  }
} finally {
  await rm(built, { recursive: true, force: true });
}
