#!/usr/bin/env node
// Canonicalize and compare 10,000 realistic access point policies (5-10 statements each)
// against a rewritten copy (shuffled, re-wrapped, account ids as root ARNs, re-spaced), several
// runs; prints median, min and max. `node bench/semantics.mjs [runs]`
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const outdir = join(root, ".build", "bench-semantics");
await build({
  entryPoints: {
    canonicalize: join(root, "src/policy/canonicalize.ts"),
    equivalent: join(root, "src/policy/equivalent.ts"),
    diff: join(root, "src/policy/diff.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const { canonicalize } = await import(pathToFileURL(join(outdir, "canonicalize.js")).href);
const { equivalent } = await import(pathToFileURL(join(outdir, "equivalent.js")).href);
const { diffPolicies } = await import(pathToFileURL(join(outdir, "diff.js")).href);

// Deterministic data: the same policies on every run and machine.
let seed = 42;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const some = (items, min = 1) => {
  const out = items.filter(() => random() < 0.4);
  while (out.length < min) out.push(items[int(items.length)]);
  return [...new Set(out)];
};
const shuffle = (items) => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "s3:DeleteObject",
  "s3:GetObjectVersion",
  "s3:GetObjectTagging",
  "s3:PutObjectTagging",
  "s3:AbortMultipartUpload",
  "s3:Get*",
  "s3:List*",
];
function policy(i) {
  const account = String(100000000000 + (i % 5000));
  const ap = `arn:aws:s3:us-east-1:${account}:accesspoint/ap-${i}`;
  const principals = [
    account,
    ...Array.from({ length: 6 }, (_, r) => `arn:aws:iam::${account}:role/team-${r}`),
  ];
  const resources = [
    ap,
    `${ap}/object/*`,
    `${ap}/object/reports/*`,
    `${ap}/object/\${aws:username}/*`.replace("${aws:username}", `user-${i % 7}`),
  ];
  const count = 5 + int(6);
  const Statement = Array.from({ length: count }, (_, n) => {
    const s = {
      Sid: `Statement${n}`,
      Effect: random() < 0.8 ? "Allow" : "Deny",
      Principal: random() < 0.1 ? "*" : { AWS: some(principals) },
      Action: some(ACTIONS),
      Resource: some(resources),
    };
    if (random() < 0.5) {
      s.Condition = {
        StringEquals: { "aws:SourceVpc": some(["vpc-1a2b3c", "vpc-4d5e6f", "vpc-7a8b9c"]) },
        Bool: { "aws:SecureTransport": true },
      };
    }
    return s;
  });
  return { Version: "2012-10-17", Statement };
}
// What AWS or a person might return for the same policy: reordered, re-wrapped, normalized.
function rewritten(p) {
  const Statement = shuffle(p.Statement).map((s) => {
    const aws =
      s.Principal === "*"
        ? "*"
        : s.Principal.AWS.map((v) => (/^\d{12}$/.test(v) ? `arn:aws:iam::${v}:root` : v));
    const out = {
      Resource: s.Resource.length === 1 ? s.Resource[0] : shuffle(s.Resource),
      Action: shuffle(s.Action),
      Principal: aws === "*" ? { AWS: "*" } : { AWS: aws.length === 1 ? aws[0] : shuffle(aws) },
      Effect: s.Effect,
      Sid: s.Sid,
    };
    if (s.Condition) {
      out.Condition = {
        Bool: { "aws:SecureTransport": "true" },
        StringEquals: s.Condition.StringEquals,
      };
    }
    return out;
  });
  return JSON.parse(JSON.stringify({ Statement, Version: p.Version }, null, 2));
}

const N = 10_000;
const live = Array.from({ length: N }, (_, i) => policy(i));
const desired = live.map(rewritten);
// A tenth really differ: one action dropped from one statement.
for (let i = 0; i < N; i += 10) {
  const s = desired[i].Statement[0];
  s.Action = s.Action.length > 1 ? s.Action.slice(1) : ["s3:PutObject", "s3:DeleteObject"];
}

function timed(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0)} ms  (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}, ${samples.length} runs)`;
}

const runs = Number(process.argv[2] ?? 7);
const work = {
  // Reference point for this machine's speed at the time of the run.
  "JSON round trip of 10,000 policies (reference)": () =>
    live.map((p) => JSON.parse(JSON.stringify(p))),
  "canonicalize both and compare, 10,000 pairs": () => {
    let equal = 0;
    for (let i = 0; i < N; i++) {
      if (JSON.stringify(canonicalize(live[i])) === JSON.stringify(canonicalize(desired[i])))
        equal++;
    }
    return equal;
  },
  "canonicalize 10,000 policies": () => live.map((p) => canonicalize(p)),
  "equivalent() on 10,000 pairs (with notes)": () => {
    let equal = 0;
    for (let i = 0; i < N; i++) if (equivalent(live[i], desired[i]).equal) equal++;
    return equal;
  },
  "diffPolicies() on 10,000 pairs": () => {
    let changed = 0;
    for (let i = 0; i < N; i++) changed += diffPolicies(live[i], desired[i]).changed.length;
    return changed;
  },
};
const statements = live.reduce((n, p) => n + p.Statement.length, 0);
console.log(`${N} policies, ${statements} statements; node ${process.version}`);
for (const [name, fn] of Object.entries(work)) {
  fn(); // warm-up
  const samples = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const t = timed(fn);
    samples.push(t.ms);
    result = t.result;
  }
  const detail = typeof result === "number" ? ` -> ${result}` : "";
  console.log(`${name.padEnd(44)} ${stats(samples)}${detail}`);
}
