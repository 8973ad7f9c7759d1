import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { checkOutPath, writeOutFile } from "../../src/commands/out-file.js";
import { InputError } from "../../src/errors.js";

let folder: string;

/** A document in the pieces the JSON sink hands out. */
function* pieces(...texts: string[]): Generator<string, void, undefined> {
  yield* texts;
}
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "s3ap-out-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

test("the temporary file is made next to the target, exclusively, for its owner only", async () => {
  const target = join(folder, "plan.json");
  // A symlink planted where an old s3ap put its temporary file must never be written through.
  const victim = join(folder, "victim.txt");
  await writeFile(victim, "keep me");
  await symlink(victim, join(folder, `.${process.pid}.${Date.now()}.s3ap-tmp`));
  await writeOutFile("plan.json", target, pieces('{"formatVersion":', "1}\n"));
  expect(await readFile(target, "utf8")).toBe('{"formatVersion":1}\n');
  expect((await lstat(target)).mode & 0o777).toBe(0o600);
  expect(await readFile(victim, "utf8")).toBe("keep me");
  expect(
    (await readdir(folder)).filter(
      (f) => f.endsWith(".s3ap-tmp") && !f.startsWith(`.${process.pid}.`),
    ),
  ).toEqual([]);
});

test("a failed write names the path given and leaves no temporary file", async () => {
  const error = await writeOutFile(
    "gone/plan.json",
    join(folder, "gone", "plan.json"),
    pieces("{}"),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toMatch(/^--out gone\/plan\.json: could not write the plan/);
  expect(await readdir(folder)).toEqual([]);
});

test("checkOutPath refuses a missing folder and a directory before anything runs", async () => {
  await expect(checkOutPath(folder, "nope/plan.json")).rejects.toThrow(
    "--out nope/plan.json: the folder nope does not exist; create it first",
  );
  await expect(checkOutPath(folder, ".")).rejects.toThrow(
    "--out . is a directory; name a file in it instead",
  );
  expect(await checkOutPath(folder, "plan.json")).toBe(join(folder, "plan.json"));
});

test("a document that fails while it is written leaves no file, half or whole", async () => {
  const target = join(folder, "plan.json");
  function* failing(): Generator<string, void, undefined> {
    yield '{"formatVersion":1,';
    throw new Error("the plan's parts could not be read back");
  }
  const error = await writeOutFile("plan.json", target, failing()).catch((e: unknown) => e);
  expect((error as Error).message).toBe(
    "--out plan.json: could not write the plan: the plan's parts could not be read back",
  );
  expect(await readdir(folder)).toEqual([]);
});
