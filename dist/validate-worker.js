import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  checkListedFile,
  claim
} from "./chunks/chunk-CNSSGDZY.js";
import "./chunks/chunk-3G2BUXFT.js";
import "./chunks/chunk-H3ZKZ5NB.js";

// src/validate/validate-worker.ts
import { parentPort, workerData } from "node:worker_threads";
var { files, next } = workerData;
var output = { indexes: [], results: [] };
for (let i = claim(next); i < files.length; i = claim(next)) {
  output.indexes.push(i);
  output.results.push(checkListedFile(files[i]));
}
parentPort?.postMessage(output);
