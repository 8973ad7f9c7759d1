#!/usr/bin/env node
// `npm run bench [-- [--quick] [validate|semantics|scope-verdict|reconcile|defaults|accounts|side-by-side|drift-issues ...]]`: runs the benchmarks one
// after the other (they share 2 cores; in parallel they would measure each other), each as
// its own process so one bench's heap and bundles never colour the next one's figures.
// Every bench builds what it measures from the current source. Figures are printed, never
// asserted.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const BENCHES = {
  // [script, arguments for a full run, arguments for --quick]
  validate: ["bench/validate.mjs", [], ["2000", "3"]],
  semantics: ["bench/semantics.mjs", [], ["3"]],
  "scope-verdict": ["bench/scope-verdict.mjs", [], ["3"]],
  reconcile: ["bench/reconcile.mjs", [], ["--quick"]],
  defaults: ["bench/defaults.mjs", [], ["--quick"]],
  accounts: ["bench/accounts.mjs", [], ["--quick"]],
  "side-by-side": [
    "bench/side-by-side.mjs",
    [],
    ["--scale", "0.1", "--runs", "1", "--accounts", "20"],
  ],
  "drift-issues": ["bench/drift-issues.mjs", ["--per-access-point"], ["--quick"]],
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const names = args.filter((a) => !a.startsWith("--"));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(
    `unknown bench: ${unknown.join(", ")} (known: ${Object.keys(BENCHES).join(", ")})\n` +
      "usage: npm run bench -- [--quick] [validate|semantics|scope-verdict|reconcile|defaults|accounts|side-by-side|drift-issues ...]",
  );
  process.exit(1);
}
const root = join(import.meta.dirname, "..");
let failed = 0;
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const [script, full, short] = BENCHES[name];
  console.log(`\n=== ${name} (${script}${quick ? ", quick" : ""}) ===`);
  if (!existsSync(join(root, script))) {
    failed++;
    console.log(`=== ${name}: ${script} is missing ===`);
    continue;
  }
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, script), ...(quick ? short : full)], {
    cwd: root,
    stdio: "inherit",
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${name} failed (exit ${result.status}) after ${seconds} s ===`);
  } else console.log(`=== ${name} done in ${seconds} s ===`);
}
process.exit(failed > 0 ? 1 : 0);
