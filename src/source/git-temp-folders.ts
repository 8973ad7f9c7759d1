// Temporary folders of one opened source: created under os.tmpdir(), all removed by one
// idempotent call (on close, when opening fails half-way, or on SIGTERM/SIGINT).
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SourceError } from "../errors.js";
import { interrupted, onInterrupt } from "./git-interrupt.js";

export class GitTempFolders {
  private readonly folders: string[] = [];
  private removal: Promise<void> | undefined;
  private unregister: (() => void) | undefined;

  /** A new empty folder; its real path, so it compares equal to the paths git prints. */
  async create(prefix: string): Promise<string> {
    this.unregister ??= onInterrupt(() => this.removeAll());
    const folder = await realpath(await mkdtemp(join(tmpdir(), prefix)));
    this.folders.push(folder);
    // A signal that arrived while the folder was being made has already run the clean-ups.
    if (interrupted()) {
      await rm(folder, { recursive: true, force: true });
      throw new SourceError("interrupted");
    }
    return folder;
  }

  removeAll(): Promise<void> {
    this.unregister?.();
    this.removal ??= Promise.all(
      this.folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 })),
    ).then(() => undefined);
    return this.removal;
  }
}
