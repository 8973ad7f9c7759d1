// Temporary folders of one opened source: created under os.tmpdir(), all removed by one
// idempotent call (on close, or when opening fails half-way).
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class GitTempFolders {
  private readonly folders: string[] = [];
  private removal: Promise<void> | undefined;

  /** A new empty folder; its real path, so it compares equal to the paths git prints. */
  async create(prefix: string): Promise<string> {
    const folder = await realpath(await mkdtemp(join(tmpdir(), prefix)));
    this.folders.push(folder);
    return folder;
  }

  removeAll(): Promise<void> {
    this.removal ??= Promise.all(
      this.folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 })),
    ).then(() => undefined);
    return this.removal;
  }
}
