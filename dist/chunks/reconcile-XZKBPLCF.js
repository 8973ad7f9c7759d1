import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
} from "./chunk-46FJ5HTZ.js";
import "./chunk-S23XM77R.js";
import "./chunk-XZKYKMF5.js";
import "./chunk-3G2BUXFT.js";
import "./chunk-IKVF3RCD.js";
import "./chunk-H3ZKZ5NB.js";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
};
