import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
} from "./chunk-BMWIOJQO.js";
import "./chunk-BQ7KTVUD.js";
import "./chunk-7GWEWPXV.js";
import "./chunk-3G2BUXFT.js";
import "./chunk-IKVF3RCD.js";
import "./chunk-H3ZKZ5NB.js";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  registerReconcile
};
