// Builds the real bundles once per test run; integration tests execute them as subprocesses.
// Each run builds into its own folder, so test runs in parallel never see a half-written bundle.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
// @ts-expect-error -- plain .mjs build script without types
import { bundle } from "../../scripts/build.mjs";

const BUILD_ROOT = join(import.meta.dirname, "..", "..", ".build");

/** Where this test run's bundles are (set by setup() below, inherited by the test workers). */
export const BUILD_DIR = process.env.S3AP_TEST_BUILD_DIR ?? join(BUILD_ROOT, "test-dist");

export default async function setup(): Promise<() => Promise<void>> {
  const dir = join(BUILD_ROOT, `test-dist-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await bundle(dir);
  process.env.S3AP_TEST_BUILD_DIR = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
