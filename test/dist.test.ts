// The committed dist/ (what action.yml and the `s3ap` bin run) must be exactly what the build
// makes from the sources. Vitest's global setup builds into .build/test-dist; compare the two.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { BUILD_DIR } from "./support/global-setup.js";

const DIST = join(import.meta.dirname, "..", "dist");
const FIX = "dist/ is stale: run `npm run build` and commit dist/.";

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

test("dist/ holds exactly the files the build produces", () => {
  const built = filesUnder(BUILD_DIR);
  expect(built, "the build produced nothing").toContain("action.js");
  expect(filesUnder(DIST), FIX).toEqual(built);
});

test("every file in dist/ is byte for byte what the build produces", () => {
  const stale = filesUnder(BUILD_DIR).filter((file) => {
    const committed = join(DIST, file);
    return (
      !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(BUILD_DIR, file)))
    );
  });
  expect(stale, FIX).toEqual([]);
});
