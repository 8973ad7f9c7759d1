#!/usr/bin/env node
// Time and peak memory of `s3ap validate` on the worst inputs of issue 12, each in its own
// child process (bundled CLI, built here): 2,000 files declaring one access point, 50,000
// files, a file at the 256 KiB limit, the deepest file that fits in it. Peak memory is the
// child's maximum resident set size (Linux: /proc/PID/status VmHWM, read as it exits via a
// preloaded hook). Figures are printed, never asserted.
//
//   node bench/hostile.mjs [runs=3]
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle, entries } from "../scripts/build.mjs";

const RUNS = Number(process.argv[2] ?? 3);
const OUT = ".build/bench-hostile-dist";
const MAX_FILE_BYTES = 256 * 1024;

const file = (name, account = "111122223333") =>
  `accountId: "${account}"\nregion: us-east-1\nname: ${name}\npolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Principal: { AWS: "${account}" }\n      Action: s3:GetObject\n      Resource: \${accessPointArn}/object/*\n`;

const CASES = {
  "2,000 duplicates": async (dir) => {
    for (let i = 0; i < 2000; i++) await writeFile(join(dir, `d-${i}.yaml`), file("same"));
  },
  "50,000 files": async (dir) => {
    for (let i = 0; i < 50_000; i++) {
      const sub = join(dir, `b-${Math.floor(i / 1000)}`);
      if (i % 1000 === 0) await mkdir(sub);
      await writeFile(join(sub, `ap-${i}.yaml`), file(`ap-${i}`));
    }
  },
  "a file at the 256 KiB limit": async (dir) => {
    let text = `${file("big")}      Condition:\n        StringEquals:\n          aws:SourceVpc:\n`;
    const line = "            - vpc-0123456789abcdef0\n";
    while (text.length + line.length <= MAX_FILE_BYTES) text += line;
    await writeFile(join(dir, "big.yaml"), text.padEnd(MAX_FILE_BYTES, "#"));
  },
  "the deepest file (256 KiB of [)": async (dir) => {
    const head = 'accountId: "111122223333"\nregion: us-east-1\nname: deep\npolicy: ';
    const depth = Math.floor((MAX_FILE_BYTES - head.length - 1) / 2);
    await writeFile(join(dir, "deep.yaml"), `${head}${"[".repeat(depth)}${"]".repeat(depth)}\n`);
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await bundle(
  OUT,
  entries.filter((e) => e.out === "cli"),
);
const cli = join(process.cwd(), OUT, "cli.js");
// Prints the child's peak RSS on exit (VmHWM), on stderr, where the bench picks it up.
const hook = join(process.cwd(), OUT, "peak-rss.cjs");
await writeFile(
  hook,
  `process.on("exit", () => { try { const m = /VmHWM:\\s*(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8")); process.stderr.write("PEAK_RSS_KB " + (m ? m[1] : process.resourceUsage().maxRSS) + "\\n"); } catch {} });\n`,
);
console.log(`s3ap validate on the worst inputs, ${RUNS} runs each (node ${process.version}):`);
for (const [label, make] of Object.entries(CASES)) {
  const root = await mkdtemp(join(tmpdir(), "s3ap-hostile-"));
  try {
    await mkdir(join(root, "policies"));
    await make(join(root, "policies"));
    const walls = [];
    const peaks = [];
    let summary = "";
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, ["--require", hook, cli, "validate"], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 1 << 30,
      });
      walls.push(performance.now() - started);
      peaks.push(Number(/PEAK_RSS_KB (\d+)/.exec(result.stderr)?.[1] ?? Number.NaN) / 1024);
      const out = `${result.stdout}${result.stderr.replace(/PEAK_RSS_KB \d+\n/, "")}`;
      summary = `exit ${result.status}, ${out.length} bytes of output; last line: ${out.trim().split("\n").at(-1)?.slice(0, 140)}`;
    }
    console.log(
      `${label}: wall median ${(median(walls) / 1000).toFixed(2)} s (min ${(Math.min(...walls) / 1000).toFixed(2)}, max ${(Math.max(...walls) / 1000).toFixed(2)}), peak RSS median ${median(peaks).toFixed(0)} MB; ${summary}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
