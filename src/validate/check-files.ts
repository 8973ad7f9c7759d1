import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors.js";
import type { PolicyFile } from "../source/policy-files.js";
import { checkListedFile, type ListedFileResult } from "./check-listed-file.js";

// When worker threads pay depends on how costly the files are, which shows only while checking
// them: a file in the common YAML subset costs ~0.1-0.15 ms, one the yaml package reads ~0.5 ms.
// A worker costs ~0.3 s before it helps (loading the bundle, warming up its own JIT) and two
// busy threads run each file slower than one (on the two-vCPU CI machine, 1.4-1.6x the CPU for
// the same files). Measured there with bench/validate.mjs: 10,000 subset files took 0.92-1.13x
// the single thread's wall time with one worker, so no gain; 10,000 files for the yaml package
// 0.7x (4.2 s against 5.8 s). So the main thread starts alone, measures its pace after a
// warm-up, and starts workers only when the work left would keep it busy long enough for them
// to pay.

/** The main thread warms up this long, then measures its pace over the next window. */
export const PACE_WARM_UP_MS = 200;
export const PACE_WINDOW_MS = 200;
/** Work left (at the main thread's pace) from which workers start: on two cores, and on more. */
export const TWO_CORE_MIN_WORK_MS = 2000;
export const MANY_CORE_MIN_WORK_MS = 500;
/** Sets the number of worker threads, started at once whatever the work (0: none). */
export const WORKERS_VARIABLE = "S3AP_VALIDATE_WORKERS";

/** The bundled worker's file name, next to the CLI and action bundles (scripts/build.mjs). */
export const WORKER_FILE = "validate-worker.js";

/** What the main thread hands every worker: the whole list and the shared next-file counter. */
export interface WorkerInput {
  files: readonly PolicyFile[];
  /** Int32Array over a SharedArrayBuffer; element 0 is the index of the next unclaimed file. */
  next: Int32Array;
}

/** What a worker sends back: the files it claimed, by index into the list. */
export interface WorkerOutput {
  indexes: number[];
  results: ListedFileResult[];
}

export interface CheckFilesOptions {
  /** The worker script; null checks in this thread only. Default: the bundle's, when present. */
  worker?: URL | null;
  /**
   * Worker threads to start at once. Default: S3AP_VALIDATE_WORKERS when set; else as many as
   * workersToStart() says once the main thread has measured its pace (possibly none).
   */
  workers?: number;
  /** Whether the main thread claims files too (default true; false needs `workers`). */
  mainThreadWorks?: boolean;
  /** Available cores (default: os.availableParallelism()). */
  cores?: number;
  /** Milliseconds clock (default: performance.now). */
  now?: () => number;
}

export interface CheckedFiles {
  /** One result per file, in the order of the list. */
  results: ListedFileResult[];
  /** How many of them were checked by worker threads (for tests and benchmarks). */
  inWorkers: number;
  /** How many worker threads were started. */
  workersStarted: number;
}

/**
 * Checks every listed file. The main thread claims files one at a time from a shared counter;
 * worker threads, when they start (at once when configured, else when the measured work left
 * is large), claim from the same counter, so a slow or descheduled thread never holds back a
 * fixed share. The results come back in list order whoever checked them.
 */
export async function checkFiles(
  files: readonly PolicyFile[],
  options: CheckFilesOptions = {},
): Promise<CheckedFiles> {
  const script = options.worker === undefined ? workerScriptNear(import.meta.url) : options.worker;
  const configured = options.workers ?? configuredWorkers();
  const mainThreadWorks = options.mainThreadWorks ?? true;
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const started: Promise<WorkerOutput>[] = [];
  const startWorkers = (count: number) => {
    if (script === null || script === undefined) return;
    const input: WorkerInput = { files, next };
    for (let k = 0; k < count; k++) started.push(runWorker(script, input));
  };
  if (configured !== undefined) startWorkers(Math.min(configured, files.length));
  else if (!mainThreadWorks) throw new Error("checkFiles: mainThreadWorks: false needs workers");

  const results: (ListedFileResult | undefined)[] = new Array(files.length);
  if (mainThreadWorks) {
    const pace =
      configured === undefined && script !== null && script !== undefined
        ? new PaceMeter(options.now ?? (() => performance.now()))
        : undefined;
    const cores = options.cores ?? availableParallelism();
    let checked = 0;
    try {
      for (let i = claim(next); i < files.length; i = claim(next)) {
        results[i] = checkListedFile(files[i] as PolicyFile);
        checked++;
        const msPerFile = pace?.measure(checked);
        if (msPerFile !== undefined) {
          // Files not yet claimed by anyone: the work left.
          const left = Math.max(0, files.length - Atomics.load(next, 0));
          startWorkers(workersToStart(left * msPerFile, cores));
        }
      }
    } catch (error) {
      // Stop the workers at their next claim; their outcome no longer matters.
      Atomics.store(next, 0, files.length);
      for (const running of started) running.catch(() => {});
      throw error;
    }
  }
  let inWorkers = 0;
  for (const output of await Promise.all(started)) {
    output.indexes.forEach((index, k) => {
      results[index] = output.results[k];
    });
    inWorkers += output.indexes.length;
  }
  return { results: results as ListedFileResult[], inWorkers, workersStarted: started.length };
}

/** How many workers to start for `workMs` of work left at one thread's pace. */
export function workersToStart(workMs: number, cores: number): number {
  if (cores < 2) return 0;
  const minimum = cores === 2 ? TWO_CORE_MIN_WORK_MS : MANY_CORE_MIN_WORK_MS;
  return workMs >= minimum ? cores - 1 : 0;
}

/**
 * The main thread's milliseconds per file, measured once: over PACE_WINDOW_MS after
 * PACE_WARM_UP_MS (the first files run before the JIT has optimised anything).
 */
class PaceMeter {
  private readonly now: () => number;
  private readonly startedAt: number;
  private window: { at: number; checked: number } | undefined;
  private done = false;

  constructor(now: () => number) {
    this.now = now;
    this.startedAt = now();
  }

  /** Called after each file with the count so far; a pace once, when the window closes. */
  measure(checked: number): number | undefined {
    if (this.done) return undefined;
    const at = this.now();
    if (this.window === undefined) {
      if (at - this.startedAt >= PACE_WARM_UP_MS) this.window = { at, checked };
      return undefined;
    }
    if (at - this.window.at < PACE_WINDOW_MS) return undefined;
    this.done = true;
    return (at - this.window.at) / (checked - this.window.checked);
  }
}

/** S3AP_VALIDATE_WORKERS, when set. */
export function configuredWorkers(
  value: string | undefined = process.env[WORKERS_VARIABLE],
): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,3}$/.test(value)) {
    throw new InputError(
      `${WORKERS_VARIABLE} must be a number of worker threads (0 for none), got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** Atomically takes the next file's index (the list length and beyond mean "none left"). */
export function claim(next: Int32Array): number {
  return Atomics.add(next, 0, 1);
}

function runWorker(script: URL, input: WorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    let output: WorkerOutput | undefined;
    const worker = new Worker(script, { workerData: input });
    worker.once("message", (message: WorkerOutput) => {
      output = message;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (output !== undefined) resolve(output);
      else reject(new Error(`the validate worker exited with code ${code} before reporting`));
    });
  });
}

/**
 * The worker bundle for code running at `moduleUrl`: bundled code sits in dist/ or, split into a
 * shared chunk, in dist/chunks/. Running from TypeScript sources (tests) there is none.
 */
export function workerScriptNear(moduleUrl: string): URL | undefined {
  for (const candidate of [`./${WORKER_FILE}`, `../${WORKER_FILE}`]) {
    const url = new URL(candidate, moduleUrl);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}
