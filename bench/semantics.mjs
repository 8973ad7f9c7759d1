#!/usr/bin/env node
// Canonicalize and compare 10,000 realistic access point policies (5-10 statements each)
// against a rewritten copy (shuffled, re-wrapped, account ids as root ARNs, re-spaced), and judge
// the access verdict of the tenth that really differ; several runs; prints median, min and max,
// and each median as a multiple of a JSON round trip of the same policies measured in the same
// run (the machine is shared: its speed varies by the minute).
//   node bench/semantics.mjs [runs] [--baseline <git ref>] [--only <text>]
// --only measures just the tasks whose name contains that text (profiling: node --cpu-prof).
// With --baseline, src/ of that commit is bundled too and each measurement alternates between
// the two, so both see the same load.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const baselineAt = args.indexOf("--baseline");
const baselineRef = baselineAt >= 0 ? args[baselineAt + 1] : undefined;
if (baselineAt >= 0 && baselineRef === undefined) throw new Error("--baseline needs a git ref");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if (onlyAt >= 0 && only === undefined) throw new Error("--only needs a task name (or part of one)");
const flagged = new Set([baselineAt, onlyAt].filter((i) => i >= 0).flatMap((i) => [i, i + 1]));
const positional = args.filter((_, i) => !flagged.has(i));

async function bundle(sourceRoot, name) {
  const outdir = join(root, ".build", `bench-semantics-${name}`);
  await build({
    entryPoints: {
      canonicalize: join(sourceRoot, "src/policy/canonicalize.ts"),
      equivalent: join(sourceRoot, "src/policy/equivalent.ts"),
      diff: join(sourceRoot, "src/policy/diff.ts"),
      verdict: join(sourceRoot, "src/policy/access-verdict.ts"),
      // IAM's data for the verdict (absent from sources older than the exact verdict).
      ...(existsSync(join(sourceRoot, "src/validate/iam-authorization.ts"))
        ? { authorization: join(sourceRoot, "src/validate/iam-authorization.ts") }
        : {}),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  const load = async (file) => import(pathToFileURL(join(outdir, file)).href);
  return {
    ...(await load("canonicalize.js")),
    ...(await load("equivalent.js")),
    ...(await load("diff.js")),
    ...(await load("verdict.js")),
    ...(existsSync(join(outdir, "authorization.js")) ? await load("authorization.js") : {}),
  };
}

const current = await bundle(root, "current");
let baseline;
if (baselineRef !== undefined) {
  const dir = mkdtempSync(join(tmpdir(), "s3ap-bench-semantics-"));
  try {
    // src/ is past execFileSync's default 1 MB buffer.
    const archive = execFileSync("git", ["-C", root, "archive", baselineRef, "src"], {
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    baseline = await bundle(dir, "baseline");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
function stats(samples, reference) {
  const sorted = [...samples].sort((a, b) => a - b);
  const m = median(samples);
  return `median ${m.toFixed(0).padStart(5)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}) = ${(m / reference).toFixed(2)}x JSON`;
}

const runs = Number(positional[0] ?? 7);
const reference = () => live.map((p) => JSON.parse(JSON.stringify(p)));
// What s3ap does per access point: plan asks equivalent() (notes only for a noop), apply's
// read-back asks equivalent().equal.
const work = (lib) => ({
  "canonicalize and compare (equivalent().equal)": () => {
    let equal = 0;
    for (let i = 0; i < N; i++) if (lib.equivalent(live[i], desired[i]).equal) equal++;
    return equal;
  },
  "equivalent() and its notes": () => {
    let notes = 0;
    for (let i = 0; i < N; i++) notes += lib.equivalent(live[i], desired[i]).notes.length;
    return notes;
  },
  "canonicalize() both, compare JSON": () => {
    let equal = 0;
    for (let i = 0; i < N; i++) {
      if (
        JSON.stringify(lib.canonicalize(live[i])) === JSON.stringify(lib.canonicalize(desired[i]))
      )
        equal++;
    }
    return equal;
  },
  "canonicalize() 10,000 policies": () => live.map((p) => lib.canonicalize(p)).length,
  "diffPolicies() on 10,000 pairs": () => {
    let changed = 0;
    for (let i = 0; i < N; i++) changed += lib.diffPolicies(live[i], desired[i]).changed.length;
    return changed;
  },
  // What plan asks for each access point that differs (a tenth here), with IAM's data where the
  // source has it (the exact verdict); older sources take the options they know.
  "accessVerdict() on the 1,000 pairs that differ": () => {
    let widens = 0;
    for (let i = 0; i < N; i += 10) {
      const arn = `arn:aws:s3:us-east-1:${String(100000000000 + (i % 5000))}:accesspoint/ap-${i}`;
      const authorization = lib.accessPointAuthorization?.(arn);
      const options = authorization === undefined ? {} : { authorization };
      if (lib.accessVerdict(live[i], desired[i], options).access !== "same") widens++;
    }
    return widens;
  },
});

const statements = live.reduce((n, p) => n + p.Statement.length, 0);
console.log(
  `${N} policies, ${statements} statements; node ${process.version}; ${runs} runs each` +
    (baselineRef === undefined ? "" : `; baseline ${baselineRef}`),
);
const refSamples = [];
reference();
const variants = [["this", work(current)]];
if (baseline !== undefined) variants.push([`baseline`, work(baseline)]);
const names = Object.keys(variants[0][1]).filter(
  (name) => only === undefined || name.includes(only),
);
if (names.length === 0) throw new Error(`--only ${only}: no task has that in its name`);
for (const name of names) {
  const samples = new Map(variants.map(([v]) => [v, []]));
  const results = new Map();
  for (const [, fns] of variants) fns[name](); // warm-up
  const localRef = [];
  for (let r = 0; r < runs; r++) {
    localRef.push(timed(reference).ms);
    for (const [v, fns] of variants) {
      const t = timed(fns[name]);
      samples.get(v).push(t.ms);
      results.set(v, t.result);
    }
  }
  refSamples.push(...localRef);
  const ref = median(localRef);
  for (const [v] of variants) {
    const label = variants.length > 1 ? `${name} [${v}]` : name;
    console.log(`${label.padEnd(58)} ${stats(samples.get(v), ref)} -> ${results.get(v)}`);
  }
}
const sortedRef = [...refSamples].sort((a, b) => a - b);
console.log(
  `${"JSON round trip of the 10,000 policies (reference)".padEnd(58)} median ${median(refSamples).toFixed(0).padStart(5)} ms (min ${sortedRef[0].toFixed(0)}, max ${sortedRef.at(-1).toFixed(0)}, ${refSamples.length} runs)`,
);
