// Worker thread entry (bundled as dist/validate-worker.js): claims files from the shared counter
// until none are left, checks each like the main thread does, and sends the results back once.
import { parentPort, workerData } from "node:worker_threads";
import type { PolicyFile } from "../source/policy-files.js";
import { claim, type WorkerInput, type WorkerOutput } from "./check-files.js";
import { checkListedFile } from "./check-listed-file.js";

const { files, next } = workerData as WorkerInput;
const output: WorkerOutput = { indexes: [], results: [] };
for (let i = claim(next); i < files.length; i = claim(next)) {
  output.indexes.push(i);
  output.results.push(checkListedFile(files[i] as PolicyFile));
}
parentPort?.postMessage(output);
