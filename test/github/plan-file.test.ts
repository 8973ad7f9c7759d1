// The plan JSON file the Action leaves in the runner's temp folder for a later step.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { writePlanFile } from "../../src/github/step-context.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "s3ap-runner-temp-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

test("the plan is written whole into RUNNER_TEMP, and its path returned", async () => {
  function* pieces(): Generator<string, void, undefined> {
    yield '{\n  "formatVersion": 1,';
    yield '\n  "changes": []\n}\n';
  }
  const path = await writePlanFile({ RUNNER_TEMP: folder }, pieces());
  expect(path.startsWith(folder)).toBe(true);
  expect(await readFile(path, "utf8")).toBe('{\n  "formatVersion": 1,\n  "changes": []\n}\n');
});

test("a plan that fails while it is written leaves no file, half or whole", async () => {
  function* failing(): Generator<string, void, undefined> {
    yield '{\n  "formatVersion": 1,';
    throw new Error("the plan's parts could not be read back");
  }
  await expect(writePlanFile({ RUNNER_TEMP: folder }, failing())).rejects.toThrow(
    "the plan's parts could not be read back",
  );
  expect(await readdir(folder)).toEqual([]);
});
