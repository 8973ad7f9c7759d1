// `--out FILE`: the plan JSON written atomically next to FILE, checked before the run starts.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { JsonChunks } from "../report/sinks/json.js";

/** Where `--out shown` goes; throws InputError naming `shown` when it cannot be written there. */
export async function checkOutPath(cwd: string, shown: string): Promise<string> {
  const path = resolve(cwd, shown);
  const folder = await stat(dirname(path)).catch(() => null);
  if (folder === null) {
    throw new InputError(
      `--out ${shown}: the folder ${dirname(shown)} does not exist; create it first`,
    );
  }
  if (!folder.isDirectory()) {
    throw new InputError(`--out ${shown}: ${dirname(shown)} is not a folder`);
  }
  if ((await stat(path).catch(() => null))?.isDirectory()) {
    throw new InputError(`--out ${shown} is a directory; name a file in it instead`);
  }
  return path;
}

/**
 * Writes via a temporary file and rename, so a reader never sees half a plan. The temporary
 * file sits next to the target (a rename never crosses file systems, and nothing is left in a
 * shared temp folder), has a random name, is created exclusively (a planted file or symlink
 * makes it fail instead of being followed) and is readable by its owner only.
 */
export async function writeOutFile(
  shown: string,
  path: string,
  content: JsonChunks,
): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(8).toString("hex")}.s3ap-tmp`,
  );
  try {
    const handle = await open(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    try {
      // Piece by piece: the plan of 10,000 changes is never one string.
      for (const chunk of content) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`--out ${shown}: could not write the plan: ${reason}`);
  }
}
