// Entry of the worker threads that spread S3 Control calls over the cores when one job holds many
// accounts (run/worker-store.ts starts them from this bundle, beside cli.js and action.js): only
// the S3 Control store and the AWS SDK, so a thread starts quickly and holds little.
import { serveStoreWorker } from "./run/store-worker.js";

serveStoreWorker();
