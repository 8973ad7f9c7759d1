// Entry of the GitHub Action (action.yml → dist/action.js): wires the clock and the process
// streams into runAction, and exits with its status.
import { setTimeout as sleep } from "node:timers/promises";
import { runAction } from "./github/run-action.js";

const code = await runAction({
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  log: (text) => process.stdout.write(text),
  sleep: (ms) => sleep(ms),
  now: Date.now,
});
process.exitCode = code;
