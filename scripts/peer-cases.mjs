#!/usr/bin/env node
// `npm run test:peer-cases`: checks s3ap against the cases from outside the project in
// ../shared/peer-cases/ (beside the repository in CI and on the team's machines; the
// S3AP_PEER_CASES variable names another folder). The data is read in place, never copied into
// the repository. Prints each disagreement and a closing "N passed, N failed" line; exits 1 on
// any disagreement or when the folder is missing.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const folder = resolve(process.env.S3AP_PEER_CASES ?? join(root, "..", "shared", "peer-cases"));
const realworld = join(folder, "realworld");
const equivalence = join(folder, "policy-equivalence.json");
if (!existsSync(realworld) || !existsSync(equivalence)) {
  console.error(
    `peer cases not found: ${folder} must hold realworld/ and policy-equivalence.json ` +
      "(set S3AP_PEER_CASES to the folder when it is not ../shared/peer-cases beside the repository)",
  );
  console.log("peer-cases: 0 passed, 1 failed");
  process.exit(1);
}

// The checks are TypeScript over s3ap's own sources: bundle them like the CLI is bundled.
const out = join(root, ".build", "peer-cases.mjs");
await mkdir(join(root, ".build"), { recursive: true });
await build({
  entryPoints: [join(root, "test", "peer-cases", "peer-cases.ts")],
  outfile: out,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);",
  },
});
const { checkRealWorld, checkEquivalence } = await import(pathToFileURL(out).href);

const verbose = process.argv.includes("--verbose");
const results = [...checkRealWorld(realworld), ...checkEquivalence(equivalence)];
for (const r of results) {
  if (!r.passed) console.log(`DISAGREES ${r.name}\n  ${r.detail}`);
  else if (verbose) console.log(`ok ${r.name}\n  ${r.detail}`);
}
const passed = results.filter((r) => r.passed).length;
const failed = results.length - passed;
console.log(`peer cases read from ${folder}`);
console.log(`peer-cases: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
