#!/usr/bin/env node
// `s3ap validate` on 10,000 generated access point files against the bar of issue #14: a bare
// single-thread loop of yaml.parseDocument + toJS over the same files (bench/bare-yaml-loop.mjs).
// Both run as child processes from bundles built here with the same build (scripts/build.mjs),
// alternating run by run; printed: wall and CPU time, median and min-max over the runs, and the
// ratio of the medians (validate / bare loop; the bar is at most 1.5).
//
//   node bench/validate.mjs [files] [runs] [--baseline path/to/other/cli.js]
//
// With --baseline, another s3ap bundle (e.g. built from an older commit with
// `node scripts/build.mjs .build/perf-before`) runs on the same files too, with its ratio.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundle, entries } from "../scripts/build.mjs";

const args = process.argv.slice(2);
const baselineAt = args.indexOf("--baseline");
const baseline = baselineAt >= 0 ? resolve(String(args[baselineAt + 1])) : undefined;
const positional =
  baselineAt >= 0 ? args.filter((_, i) => i !== baselineAt && i !== baselineAt + 1) : args;
const FILES = Number(positional[0] ?? 10_000);
const RUNS = Number(positional[1] ?? 7);
// Its own folder: other benchmarks build and run .build/bench-dist at the same time.
const OUT = ".build/bench-validate-dist";

function policyFile(i) {
  const account = String(111122220000 + (i % 50)).padStart(12, "0");
  const region = ["us-east-1", "eu-west-1", "ap-southeast-2"][i % 3];
  return `# yaml-language-server: $schema=../../schemas/access-point.schema.json
accountId: "${account}"
region: ${region}
name: ap-${i}
${i % 10 === 0 ? "mode: observe\n" : ""}policy:
  Version: "2012-10-17"
  Statement:
    - Sid: ReadOnly
      Effect: Allow
      Principal:
        AWS: arn:aws:iam::${account}:role/reader-${i}
      Action: [s3:GetObject, s3:ListBucket]
      Resource:
        - \${accessPointArn}
        - \${accessPointArn}/object/data/*
    - Sid: VpcOnly
      Effect: Deny
      Principal: "*"
      Action: s3:*
      Resource: \${accessPointArn}/object/*
      Condition:
        StringNotEqualsIfExists:
          aws:SourceVpc: vpc-0a1b2c3d4e5f6${String(i % 10000).padStart(4, "0")}
`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Linux: utime + stime of waited-for children (fields 16 and 17 of /proc/self/stat), which
// includes every thread of the child. Elsewhere CPU time is not reported.
const TICKS_PER_SECOND = 100;
function childrenCpuMs() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

function runOnce(argv, dir) {
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: dir, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = childrenCpuMs() - cpuBefore;
  if (result.status !== 0) {
    throw new Error(
      `${argv.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { wall, cpu, stdout: result.stdout.trim() };
}

const s = (ms) => (ms / 1000).toFixed(2);
function summary(label, runs) {
  const wall = runs.map((r) => r.wall);
  const cpu = runs.map((r) => r.cpu);
  const m = median(wall);
  return (
    `${label}: wall median ${s(m)} s (min ${s(Math.min(...wall))}, max ${s(Math.max(...wall))}), ` +
    `CPU median ${s(median(cpu))} s (min ${s(Math.min(...cpu))}, max ${s(Math.max(...cpu))}), ` +
    `${Math.round(FILES / (m / 1000))} files/s`
  );
}

await bundle(OUT, [
  ...entries.filter((e) => e.out === "cli"),
  { in: "bench/bare-yaml-loop.mjs", out: "bare-yaml-loop" },
]);
const commands = {
  "s3ap validate": [join(process.cwd(), OUT, "cli.js"), "validate"],
  "bare parseDocument + toJS loop": [join(process.cwd(), OUT, "bare-yaml-loop.js"), "policies"],
};
if (baseline !== undefined) commands[`baseline ${baseline}`] = [baseline, "validate"];
const dir = await mkdtemp(join(tmpdir(), "s3ap-bench-"));
try {
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, "policies", `acct-${i % 50}`, `batch-${Math.floor(i / 500)}`);
    if (i % 500 < 50) await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `ap-${i}.yaml`), policyFile(i));
  }
  const labels = Object.keys(commands);
  const runs = Object.fromEntries(labels.map((l) => [l, []]));
  for (let run = 0; run < RUNS; run++) {
    // Rotate which one goes first so none always runs on a warmer page cache.
    const order = labels.map((_, k) => labels[(k + run) % labels.length]);
    for (const label of order) {
      const r = runOnce(commands[label], dir);
      if (run === 0) process.stdout.write(`${label} output: ${r.stdout}\n`);
      runs[label].push(r);
    }
  }
  process.stdout.write(
    `${FILES} files, ${RUNS} runs each, alternating (node ${process.version}, load ${loadavg()}):\n`,
  );
  for (const label of labels) process.stdout.write(`${summary(label, runs[label])}\n`);
  const bare = runs[labels[1]];
  for (const label of labels.filter((l) => l !== labels[1])) {
    const ratio = (key) =>
      (median(runs[label].map((r) => r[key])) / median(bare.map((r) => r[key]))).toFixed(2);
    const perRun = runs[label].map((r, k) => r.wall / bare[k].wall);
    process.stdout.write(
      `ratio ${label} / bare loop: wall ${ratio("wall")} (per run ${Math.min(...perRun).toFixed(2)}-${Math.max(...perRun).toFixed(2)}), CPU ${ratio("cpu")}; bar: at most 1.5\n`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

function loadavg() {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}
