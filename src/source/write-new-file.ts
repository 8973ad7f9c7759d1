// Creates a file atomically and never over an existing one: the content goes to a temporary file
// next to it, which is then hard-linked to the final name (link fails when that name exists).
import { randomBytes } from "node:crypto";
import { link, mkdir, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface FileWriter {
  /** "exists" when `path` already exists: nothing is written then. */
  writeNew(path: string, content: string): Promise<"written" | "exists">;
}

export const fileSystemWriter: FileWriter = {
  async writeNew(path, content) {
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    const temporary = join(
      folder,
      `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.s3ap-tmp`,
    );
    await writeFile(temporary, content, { flag: "wx" });
    try {
      await link(temporary, path);
      return "written";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return "exists";
      throw error;
    } finally {
      await unlink(temporary);
    }
  },
};
