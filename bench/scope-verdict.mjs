#!/usr/bin/env node
// What the verdict over policy ∩ scope costs per directory-bucket access point, beside the
// policy's own verdict: a policy change under an unchanged scope, and a scope change, with and
// without a policy that tests s3express:SessionMode. Several runs; prints the median time per
// verdict with min and max, and the machine's load (it is shared).
//   node bench/scope-verdict.mjs [runs]
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { load, spread } from "./stats.mjs";

const root = join(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 7);
const outdir = join(root, ".build", "bench-scope-verdict");
await build({
  entryPoints: {
    scope: join(root, "src/policy/scope-access.ts"),
    verdict: join(root, "src/policy/access-verdict.ts"),
    options: join(root, "src/reconcile/verdict-options.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const load_ = async (file) => import(pathToFileURL(join(outdir, file)).href);
const { scopedAccessVerdict } = await load_("scope.js");
const { accessVerdict } = await load_("verdict.js");
const { verdictOptions } = await load_("options.js");

const ARN = "arn:aws:s3express:us-east-1:111122223333:accesspoint/data--use1-az4--xa-s3";
const OPTIONS = verdictOptions(ARN, "aws");
const sessions = (readOnly, ...principals) => ({
  Version: "2012-10-17",
  Statement: principals.map((principal, i) => ({
    Sid: `S${i}`,
    Effect: "Allow",
    Principal: { AWS: principal },
    Action: "s3express:CreateSession",
    Resource: ARN,
    ...(readOnly ? { Condition: { StringEquals: { "s3express:SessionMode": "ReadOnly" } } } : {}),
  })),
});
const OWN = "arn:aws:iam::111122223333:role/reader";
const PARTNER = "arn:aws:iam::444455556666:role/partner";
const narrow = { prefixes: ["logs/2026/*"], permissions: ["GetObject"] };
const wide = { prefixes: ["logs/*", "tmp/"], permissions: ["GetObject", "PutObject"] };
const same = { prefixes: ["logs/*"], permissions: ["GetObject", "ListBucket"] };

const cases = [];
for (const readOnly of [false, true]) {
  const mode = readOnly ? "SessionMode tested" : "no SessionMode";
  const before = sessions(readOnly, OWN);
  const after = sessions(readOnly, OWN, PARTNER);
  cases.push(
    [`${mode}: policy alone (accessVerdict)`, () => accessVerdict(before, after, OPTIONS)],
    [
      `${mode}: policy change, same scope`,
      () => scopedAccessVerdict({ before, after }, { before: same, after: same }, OPTIONS),
    ],
    [
      `${mode}: scope change, same policy`,
      () =>
        scopedAccessVerdict({ before, after: before }, { before: wide, after: narrow }, OPTIONS),
    ],
  );
}

const PER_RUN = 200;
console.log(
  `verdict per directory-bucket access point; ${runs} runs of ${PER_RUN}; node ${process.version}; load ${load()}`,
);
for (const [name, verdict] of cases) {
  for (let i = 0; i < 50; i++) verdict();
  const times = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < PER_RUN; i++) verdict();
    times.push((performance.now() - start) / PER_RUN);
  }
  console.log(`${name.padEnd(52)} median ${spread(times, 2)} ms`);
}
console.log(`load after: ${load()}`);
