import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors.js";
import type { PolicyFile } from "../source/policy-files.js";
import { checkListedFile, type ListedFileResult } from "./check-listed-file.js";

// When worker threads pay. A worker costs about 0.5 s of CPU before it is any help (loading the
// bundle, warming up its own JIT, sending its results back) and a file about 0.1-0.15 ms, so
// below a few thousand files one thread is as fast. On two cores it never paid: with the main
// thread and one worker, 10,000 files took 0.92-1.13x the single thread's wall time for 1.4-1.6x
// its CPU (bench/validate.mjs A/B runs on the two-vCPU CI machine), so workers start only where
// at least two of them can.

/** Below this many files the files are checked in one thread. */
export const PARALLEL_MIN_FILES = 2000;
/** Fewer available cores than this: one thread. */
export const PARALLEL_MIN_CORES = 3;
/** Sets the number of worker threads whatever the file count and cores (0: none). */
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
   * Worker threads to start. Default: S3AP_VALIDATE_WORKERS when set; else, from
   * PARALLEL_MIN_FILES files on a machine with PARALLEL_MIN_CORES cores, one per core but one
   * (the main thread works too); else none.
   */
  workers?: number;
  /** Whether the main thread claims files too (default true). */
  mainThreadWorks?: boolean;
}

export interface CheckedFiles {
  /** One result per file, in the order of the list. */
  results: ListedFileResult[];
  /** How many of them were checked by worker threads (for tests and benchmarks). */
  inWorkers: number;
}

/**
 * Checks every listed file. With many files and the worker bundle at hand, worker threads and the
 * main thread claim files one at a time from a shared counter, so a slow or descheduled thread
 * never holds back a fixed share; the results come back in list order whoever checked them.
 */
export async function checkFiles(
  files: readonly PolicyFile[],
  options: CheckFilesOptions = {},
): Promise<CheckedFiles> {
  const workers = options.workers ?? workersFor(files.length);
  const worker = options.worker === undefined ? workerScriptNear(import.meta.url) : options.worker;
  if (worker === null || worker === undefined || workers < 1) {
    return { results: files.map(checkListedFile), inWorkers: 0 };
  }

  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const input: WorkerInput = { files, next };
  const started = Array.from({ length: workers }, () => runWorker(worker, input));
  // Started before the main thread's share: workers boot while it already checks files.
  const results: (ListedFileResult | undefined)[] = new Array(files.length);
  if (options.mainThreadWorks ?? true) {
    try {
      for (let i = claim(next); i < files.length; i = claim(next)) {
        results[i] = checkListedFile(files[i] as PolicyFile);
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
  return { results: results as ListedFileResult[], inWorkers };
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

/** How many worker threads to start for `files` files (the defaults of CheckFilesOptions). */
export function workersFor(
  files: number,
  configured: string | undefined = process.env[WORKERS_VARIABLE],
  cores: number = availableParallelism(),
): number {
  if (configured !== undefined && configured !== "") {
    if (!/^\d{1,3}$/.test(configured)) {
      throw new InputError(
        `${WORKERS_VARIABLE} must be a number of worker threads (0 for none), got ${JSON.stringify(configured)}`,
      );
    }
    return Math.min(Number(configured), files);
  }
  return files >= PARALLEL_MIN_FILES && cores >= PARALLEL_MIN_CORES ? cores - 1 : 0;
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
