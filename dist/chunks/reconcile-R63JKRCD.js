import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
} from "./chunk-YH2BM4TK.js";
import "./chunk-6L66IO3Y.js";
import "./chunk-CNSSGDZY.js";
import "./chunk-3G2BUXFT.js";
import "./chunk-IKVF3RCD.js";
import "./chunk-H3ZKZ5NB.js";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
};
