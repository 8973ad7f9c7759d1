#!/usr/bin/env node
// Times `s3ap validate` end to end on 10,000 generated access point files.
// `node bench/validate.mjs [files] [runs]` — prints median, min and max wall time and files/s.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../scripts/build.mjs";

const FILES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);
const OUT = ".build/bench-dist";

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

await bundle(OUT);
const dir = await mkdtemp(join(tmpdir(), "s3ap-bench-"));
try {
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, "policies", `acct-${i % 50}`, `batch-${Math.floor(i / 500)}`);
    if (i % 500 < 50) await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `ap-${i}.yaml`), policyFile(i));
  }
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [join(process.cwd(), OUT, "cli.js"), "validate"], {
      cwd: dir,
      encoding: "utf8",
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      throw new Error(
        `validate failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    if (run === 0) process.stdout.write(`output: ${result.stdout.trim()}\n`);
    times.push(ms);
  }
  const m = median(times);
  process.stdout.write(
    `s3ap validate, ${FILES} files, ${RUNS} runs (node ${process.version}): ` +
      `median ${(m / 1000).toFixed(2)} s, min ${(Math.min(...times) / 1000).toFixed(2)} s, ` +
      `max ${(Math.max(...times) / 1000).toFixed(2)} s, ${Math.round(FILES / (m / 1000))} files/s\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
