// Entry of the GitHub Action (action.yml → dist/action.js): wires the clock and the process
// streams into runAction, and exits with its status.
import { setTimeout as sleep } from "node:timers/promises";
import { runAction } from "./github/run-action.js";
import { registerWorkerEntry } from "./run/worker-entry.js";
import { cleanUpOnSignals } from "./source/git-interrupt.js";

// The worker threads that spread S3 Control calls over the cores start from the bundle beside.
registerWorkerEntry(new URL("./store-worker.js", import.meta.url).href);
// A cancelled workflow run sends SIGINT, then SIGTERM: leave no clone and no git behind.
cleanUpOnSignals((code) => process.exit(code));

const code = await runAction({
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  log: (text) => process.stdout.write(text),
  sleep: (ms) => sleep(ms),
  now: Date.now,
});
process.exitCode = code;
