#!/usr/bin/env node
// s3ap with its defaults against the ways a user could do the same job, on the same endpoint in
// the same run: a sequential SDK loop, Terraform-style parallelism 10 (the SDK's standard
// retries, 25 attempts as Terraform's AWS provider sets them), and the SDK's own
// `retryMode: "adaptive"` at s3ap's default concurrency. The job: read N access point policies
// (s3ap plan of N in-sync files, whose wall time also holds its start-up, git and validation;
// its request phase — first request to last answer at the endpoint — is what the loops time).
// Behind 20 ms with no server limit at N = 1,000 and 10,000, and against a server admitting
// 200/s. Figures only: median (min-max) of --runs runs, variants alternating within a run.
//
// node bench/defaults.mjs [--quick] [--runs 3] [--sizes 1000,10000] [--latency-ms 20]
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle } from "../scripts/build.mjs";
import { buildPeerClient } from "./peer-client.mjs";
import { pollStats, requestPhase, startEndpoint } from "./reconcile-endpoint.mjs";
import { AWS_ENV } from "./reconcile-naive.mjs";
import { createRepo } from "./reconcile-repo.mjs";
import { load, median, spread } from "./stats.mjs";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    sizes: { type: "string" },
    "latency-ms": { type: "string", default: "20" },
    "limited-rate": { type: "string", default: "200" },
  },
});
const quick = values.quick;
const RUNS = Number(values.runs ?? (quick ? 2 : 3));
const SIZES = (values.sizes ?? (quick ? "1000" : "1000,10000")).split(",").map(Number);
const LATENCY = values["latency-ms"];
const LIMITED = Number(values["limited-rate"]);
const SEQUENTIAL_SAMPLE = quick ? 100 : 300;

const root = join(import.meta.dirname, "..");
const dist = join(root, ".build", "bench-dist");
await bundle(dist);
const peers = await buildPeerClient(root);

function run(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...AWS_ENV, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr = (stderr + c).slice(-3000);
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, wall: (performance.now() - started) / 1000 }),
    );
  });
}

/** The variants of one scenario: each returns { seconds, failed } for n reads. */
function variants(endpoint, repo, n, { withOldDefault }) {
  const s3ap = (extra) => async () => {
    const poller = pollStats(endpoint);
    const r = await run(
      [join(dist, "cli.js"), "plan", "--dir", "policies", "--endpoint-url", endpoint.url, ...extra],
      repo.root,
    );
    const summary = /(\d+) error/.exec(r.stdout);
    if (r.code !== 0 && r.code !== 1) throw new Error(`s3ap plan exit ${r.code}\n${r.stderr}`);
    return {
      seconds: r.wall,
      requestSeconds: requestPhase(await poller.stop()).seconds,
      failed: r.code === 0 ? 0 : Number(summary?.[1] ?? n),
    };
  };
  const loop =
    (concurrency, retryMode, maxAttempts, sample = n) =>
    async () => {
      const r = await run(
        [
          join(import.meta.dirname, "peer-loop.mjs"),
          "--client",
          peers,
          "--url",
          endpoint.url,
          "--n",
          String(sample),
          "--concurrency",
          String(concurrency),
          "--retry-mode",
          retryMode,
          "--max-attempts",
          String(maxAttempts),
        ],
        root,
      );
      if (r.code !== 0) throw new Error(`peer loop exit ${r.code}\n${r.stderr}`);
      const figures = JSON.parse(r.stdout.trim().split("\n").at(-1));
      const seconds = (figures.seconds * n) / sample;
      return {
        seconds,
        requestSeconds: seconds,
        failed: figures.failed,
        scaled: sample < n,
      };
    };
  return {
    "s3ap plan, defaults": s3ap([]),
    // The same without listing the (account, region) for unmanaged access points, which the
    // loops do not do: one ListAccessPoints of N entries, whose XML costs CPU on both sides.
    "s3ap plan, defaults, --no-discover": s3ap(["--no-discover"]),
    ...(withOldDefault ? { "s3ap plan, v1 default --rate 50": s3ap(["--rate", "50"]) } : {}),
    "sequential SDK loop": loop(1, "standard", 3, Math.min(n, SEQUENTIAL_SAMPLE)),
    "Terraform-like: 10 in parallel, standard retries x25": loop(10, "standard", 25),
    'SDK retryMode "adaptive", 16 in parallel': loop(16, "adaptive", 3),
  };
}

async function scenario(title, endpointFlags, n, options) {
  const repo = createRepo(n, "same");
  const endpoint = await startEndpoint(dist, [
    "--latency-ms",
    LATENCY,
    "--seed-access-points",
    String(n),
    ...endpointFlags,
  ]);
  const figures = {};
  try {
    const all = variants(endpoint, repo, n, options);
    for (let r = 0; r < RUNS; r++) {
      for (const [name, measure] of Object.entries(all)) {
        await endpoint.reset();
        const result = await measure();
        const stats = await endpoint.stats();
        figures[name] ??= { seconds: [], requests: [], failed: [], throttled: [] };
        figures[name].scaled = result.scaled;
        figures[name].seconds.push(result.seconds);
        figures[name].requests.push(result.requestSeconds);
        figures[name].failed.push(result.failed);
        figures[name].throttled.push(stats.throttled / Math.max(1, stats.total));
      }
    }
  } finally {
    await endpoint.stop();
    rmSync(repo.root, { recursive: true, force: true });
  }
  const base = median(figures["s3ap plan, defaults"].requests);
  console.log(`\n${title}, N = ${n.toLocaleString("en")}`);
  console.log(
    "  | way | wall s | request phase s | x s3ap defaults (request phase) | failed access points | requests throttled |\n  |---|---|---|---|---|---|",
  );
  for (const [name, f] of Object.entries(figures)) {
    console.log(
      `  | ${name}${f.scaled ? " (scaled from a sample)" : ""} | ${spread(f.seconds)} | ${spread(f.requests)} | ${(median(f.requests) / base).toFixed(2)}x | ${spread(f.failed, 0)} | ${spread(
        f.throttled.map((x) => x * 100),
        1,
      )} % |`,
    );
  }
}

console.log(
  `s3ap defaults bench: node ${process.version}, ${RUNS} runs, endpoint at ${LATENCY} ms latency; load ${load()}`,
);
for (const n of SIZES) {
  await scenario(`Behind ${LATENCY} ms, no server limit`, [], n, { withOldDefault: n <= 1000 });
}
await scenario(
  `Server admitting ${LIMITED}/s (burst ${LIMITED / 10}), ${LATENCY} ms`,
  ["--rate", String(LIMITED), "--burst", String(LIMITED / 10)],
  quick ? 400 : 1000,
  { withOldDefault: false },
);
console.log(`\nload at end: ${load()}`);
