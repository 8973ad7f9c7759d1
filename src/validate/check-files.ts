import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PolicyFile } from "../source/policy-files.js";
import { checkListedFile, type ListedFileResult } from "./check-listed-file.js";

/** Below this many files a worker's start-up (bundle load, schema compile) costs more than it saves. */
export const PARALLEL_MIN_FILES = 200;

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
  /** Worker threads to start (default: available cores - 1, as the main thread works too). */
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
  const worker = options.worker === undefined ? defaultWorker(files.length) : options.worker;
  const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
  if (worker === null || workers < 1) return { results: files.map(checkListedFile), inWorkers: 0 };

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

function defaultWorker(files: number): URL | null {
  if (files <= PARALLEL_MIN_FILES) return null;
  return workerScriptNear(import.meta.url) ?? null;
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
