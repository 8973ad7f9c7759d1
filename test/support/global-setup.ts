// Builds the real CLI bundle once per test run; integration tests execute it as a subprocess.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
// @ts-expect-error -- plain .mjs build script without types
import { bundle } from "../../scripts/build.mjs";

export const BUILD_DIR = join(import.meta.dirname, "..", "..", ".build", "test-dist");

export default async function setup(): Promise<void> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(BUILD_DIR, { recursive: true });
  await bundle(BUILD_DIR);
}
