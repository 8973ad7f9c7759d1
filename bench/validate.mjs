#!/usr/bin/env node
// Times `s3ap validate` end to end on 10,000 generated access point files: wall time and the
// child's CPU time (user + system, all threads), median and min/max over several runs.
//
//   node bench/validate.mjs [files] [runs] [--baseline path/to/other/cli.js] [--yaml-package]
//
// The files are written the way policies usually are, which s3ap's own parser for the common
// YAML subset reads (src/validate/parse-common-yaml.ts). With --yaml-package every file also holds
// an escaped double-quoted string, which only the yaml package reads: the figure for trees
// written in YAML's rarer forms.
//
// With --baseline, the other bundle (e.g. one built from an older commit with
// `node scripts/build.mjs .build/perf-before`) runs on the same files, alternating with this
// tree's bundle run by run, and the after/before ratios are printed: on a shared machine only
// ratios measured side by side mean much.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundle } from "../scripts/build.mjs";

const args = process.argv.slice(2).filter((a) => a !== "--yaml-package");
const YAML_PACKAGE = process.argv.includes("--yaml-package");
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
    - Sid: ${YAML_PACKAGE ? '"Read\\x4Fnly"' : "ReadOnly"}
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

function runOnce(cli, dir) {
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, "validate"], { cwd: dir, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = childrenCpuMs() - cpuBefore;
  if (result.status !== 0) {
    throw new Error(
      `${cli} validate failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
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

await bundle(OUT);
const cli = join(process.cwd(), OUT, "cli.js");
const dir = await mkdtemp(join(tmpdir(), "s3ap-bench-"));
try {
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, "policies", `acct-${i % 50}`, `batch-${Math.floor(i / 500)}`);
    if (i % 500 < 50) await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `ap-${i}.yaml`), policyFile(i));
  }
  const after = [];
  const before = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate which one goes first so neither always runs on a warmer page cache.
    const order = run % 2 === 0 ? ["after", "before"] : ["before", "after"];
    for (const which of order) {
      if (which === "before" && baseline === undefined) continue;
      const r = runOnce(which === "after" ? cli : baseline, dir);
      if (run === 0) process.stdout.write(`${which} output: ${r.stdout}\n`);
      (which === "after" ? after : before).push(r);
    }
  }
  process.stdout.write(
    `s3ap validate, ${FILES} files${YAML_PACKAGE ? " (read by the yaml package)" : ""}, ${RUNS} runs (node ${process.version}, load ${loadavg()}):\n`,
  );
  process.stdout.write(`${summary("this tree", after)}\n`);
  if (baseline !== undefined) {
    process.stdout.write(`${summary(`baseline ${baseline}`, before)}\n`);
    const ratio = (key) =>
      (median(after.map((r) => r[key])) / median(before.map((r) => r[key]))).toFixed(2);
    process.stdout.write(`ratio this/baseline: wall ${ratio("wall")}, CPU ${ratio("cpu")}\n`);
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
