// A planned change's report parts (policies, diffs, verdict reasons), kept out of the V8 heap.
//
// NOTE (measured, issue #23): a plan of 10,000 updates held ~50 MB of these parts in the heap
// from the read phase to the end of apply (~5 KB a change), and V8 lets the old generation grow
// a quarter past that, so they decided the run's peak memory. Apply needs none of them but the
// policy it writes; the reports read them one change at a time. So each change is cut in two as
// it is planned: the fields every stage decides on stay an object (`PlannedChange`, with the
// desired policy apply writes, which the desired state holds anyway), the parts
// become one JSON text in a PartsStore, read back through `partsOf` (the one accessor: the type
// of a stored change has no such fields, so no report can read them any other way). A store
// keeps its texts in memory up to `spillAt` bytes, then in a temporary file that is unlinked the
// moment it is opened (nothing is left behind on any exit path, a crash or a kill included;
// where the system cannot unlink an open file, it goes when the process exits). Without a
// usable temporary folder the texts stay in memory: more memory, the same run.
// The texts are read back as untrusted JSON is: objects without a prototype.
import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChangeDocument, PlannedChange } from "./types.js";

/** A plan, or a merged plan, as held between stages: its changes' parts in a store. */
type Stored<T extends { changes: readonly ChangeDocument[] }> = Omit<T, "changes"> & {
  changes: PlannedChange[];
};

/** A plan document (read from a file) with its changes' parts moved to `store`. */
export function storePlan<T extends { changes: readonly ChangeDocument[] }>(
  document: T,
  store: PartsStore = new PartsStore(),
): Stored<T> {
  return { ...document, changes: document.changes.map((change) => storeChange(change, store)) };
}

/** The fields of a change kept in its store, not in the heap. */
export const PART_KEYS = [
  "before",
  "diff",
  "accessReasons",
  "changeAccessReasons",
  "changeDiff",
  "driftAccessReasons",
  "driftDiff",
] as const;

export type PartKey = (typeof PART_KEYS)[number];

/** What `partsOf` reads back: the change's policies, diffs and verdict reasons. */
export type ChangeParts = Pick<ChangeDocument, PartKey>;

const IS_PART: ReadonlySet<string> = new Set(PART_KEYS);

/** A plan of a few hundred changes never touches the disk (tests, most runs). */
const DEFAULT_SPILL_AT = 8 * 1024 * 1024;

export interface PartsStoreOptions {
  /** Bytes of JSON held in memory before the store moves to a temporary file. */
  spillAt?: number;
  /** Where the temporary file is made (default: the OS temp directory). */
  tempDir?: string;
}

/** Closes a store's file once nothing refers to the store (the process's exit closes it too). */
const files = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed with the process's other handles: nothing is left to release.
  }
});

/** The JSON texts of many changes' parts: in memory, then in an unlinked temporary file. */
export class PartsStore {
  #spillAt: number;
  readonly #tempDir: string;
  /** The texts while in memory; undefined once they moved to the file. */
  #texts: string[] | undefined = [];
  #bytes = 0;
  #fd: number | undefined;
  /** Byte offset of each text in the file, and the end of the last one. */
  #starts: number[] = [];
  #end = 0;

  constructor(options: PartsStoreOptions = {}) {
    this.#spillAt = options.spillAt ?? DEFAULT_SPILL_AT;
    this.#tempDir = options.tempDir ?? tmpdir();
  }

  /** Keeps `text` and says where: the index to read it back with. */
  put(text: string): number {
    if (this.#texts !== undefined) {
      this.#bytes += text.length;
      const index = this.#texts.push(text) - 1;
      if (this.#bytes > this.#spillAt) this.#spill();
      return index;
    }
    return this.#append(text);
  }

  read(index: number): string {
    if (this.#texts !== undefined) {
      const text = this.#texts[index];
      if (text === undefined) throw new Error(`no change parts at ${index}`);
      return text;
    }
    const start = this.#starts[index];
    const end = this.#starts[index + 1] ?? this.#end;
    if (start === undefined || this.#fd === undefined) {
      throw new Error(`no change parts at ${index}`);
    }
    const bytes = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.#fd, bytes, done, bytes.length - done, start + done);
      if (n === 0) throw new Error(`the plan's temporary file ended at ${start + done} bytes`);
      done += n;
    }
    return bytes.toString("utf8");
  }

  /** Whether the texts are in the temporary file (for tests and benchmarks). */
  get spilled(): boolean {
    return this.#texts === undefined;
  }

  #spill(): void {
    const fd = openUnlinked(this.#tempDir);
    if (fd === undefined) {
      // No usable temporary folder (read-only, full, missing): keep the texts in memory, as
      // before this store existed. The run needs more memory, but it runs.
      this.#spillAt = Number.POSITIVE_INFINITY;
      return;
    }
    this.#fd = fd;
    files.register(this, fd);
    const texts = this.#texts ?? [];
    this.#texts = undefined;
    for (const text of texts) this.#append(text);
  }

  #append(text: string): number {
    const fd = this.#fd as number;
    const bytes = Buffer.from(text, "utf8");
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(fd, bytes, done, bytes.length - done, this.#end + done);
    }
    const index = this.#starts.push(this.#end) - 1;
    this.#end += bytes.length;
    return index;
  }
}

/**
 * Where a stored change's parts are, and the order of the change's fields when it was stored
 * (so that its plan JSON reads exactly as before). Never serialised: a report that writes a
 * change writes `changeDocument(change)`.
 */
export class ChangePartsRef {
  readonly store: PartsStore;
  readonly index: number;
  readonly keys: readonly string[];

  constructor(store: PartsStore, index: number, keys: readonly string[]) {
    this.store = store;
    this.index = index;
    this.keys = keys;
  }

  /** The parts, read back (a fresh copy each time): what `partsOf` returns. */
  read(): ChangeParts {
    return withoutPrototypes(JSON.parse(this.store.read(this.index))) as ChangeParts;
  }

  /** `change` (whose parts these are) whole, its fields in the order the plan made them. */
  document(change: PlannedChange): ChangeDocument {
    const parts = this.read() as unknown as Record<string, unknown>;
    const kept = change as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of this.keys) {
      if (!IS_PART.has(key)) out[key] = kept[key];
      else if (parts[key] !== undefined) out[key] = parts[key];
    }
    // Fields added after the change was stored (s3ap.yaml's rules, attribution) come last, as
    // they did when stages added them to the whole change.
    for (const key of Object.keys(kept)) {
      if (key !== "parts" && !(key in out)) out[key] = kept[key];
    }
    return out as unknown as ChangeDocument;
  }

  toJSON(): never {
    throw new Error("a stored change was serialised without its parts: use changeDocument()");
  }
}

/**
 * A new file in a new folder under `tempDir`, opened for reading and writing and unlinked at
 * once (the open handle keeps the data, and no exit path can leave it behind). Where an open file
 * cannot be unlinked (Windows), it is removed when the process exits instead. Undefined when no
 * file can be made there.
 */
function openUnlinked(tempDir: string): number | undefined {
  let dir: string;
  try {
    dir = mkdtempSync(join(tempDir, "s3ap-plan-"));
  } catch {
    return undefined;
  }
  const file = join(dir, "parts");
  let fd: number;
  try {
    fd = openSync(file, "wx+", 0o600);
  } catch {
    removeQuietly(file, dir);
    return undefined;
  }
  if (!removeQuietly(file, dir)) {
    process.once("exit", () => {
      try {
        closeSync(fd);
      } catch {
        // Already closed: only the file is left to remove.
      }
      removeQuietly(file, dir);
    });
  }
  return fd;
}

/** Removes `file` and its folder; false when either is still there. */
function removeQuietly(file: string, dir: string): boolean {
  try {
    unlinkSync(file);
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" && rmdirQuietly(dir);
  }
}

function rmdirQuietly(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** One array of field names per shape of change (there are a few dozen), shared by all. */
const shapes = new Map<string, readonly string[]>();

function shapeOf(keys: string[]): readonly string[] {
  const id = keys.join(",");
  const known = shapes.get(id);
  if (known !== undefined) return known;
  shapes.set(id, keys);
  return keys;
}

/** The change with its parts moved to `store`. */
export function storeChange(change: ChangeDocument, store: PartsStore): PlannedChange {
  const keys = Object.keys(change);
  const parts: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (change as unknown as Record<string, unknown>)[key];
    if (IS_PART.has(key)) parts[key] = value;
    else kept[key] = value;
  }
  kept.parts = new ChangePartsRef(store, store.put(JSON.stringify(parts)), shapeOf(keys));
  return kept as unknown as PlannedChange;
}

/** Every object of a parsed JSON value without a prototype, as untrusted data is read. */
function withoutPrototypes(value: unknown): unknown {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== "object" || item === null) continue;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === "object") stack.push(element);
      continue;
    }
    Object.setPrototypeOf(item, null);
    for (const key in item) {
      const element = (item as Record<string, unknown>)[key];
      if (typeof element === "object") stack.push(element);
    }
  }
  return value;
}
