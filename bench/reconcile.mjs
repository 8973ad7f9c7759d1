#!/usr/bin/env node
// How fast s3ap plans and applies against an endpoint that admits R requests/s, at 20 ms
// latency, for N = 1,000 and 10,000 access points; its CPU time and peak RSS; and the naive
// ways (a sequential SDK loop, a shell loop of the AWS CLI) for comparison. Figures only.
//
// node bench/reconcile.mjs [--quick] [--runs 3] [--sizes 1000,10000] [--rate 500]
//                          [--concurrency 64] [--latency-ms 20]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle } from "../scripts/build.mjs";
import { pollStats, requestPhase, startEndpoint, writePhase } from "./reconcile-endpoint.mjs";
import { AWS_ENV, awsCliLoop, sdkLoop } from "./reconcile-naive.mjs";
import { createRepo } from "./reconcile-repo.mjs";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    sizes: { type: "string" },
    rate: { type: "string", default: "500" },
    "overload-rate": { type: "string", default: "200" },
    concurrency: { type: "string", default: "64" },
    "latency-ms": { type: "string", default: "20" },
  },
});
const quick = values.quick;
const RUNS = Number(values.runs ?? 3);
const SIZES = (values.sizes ?? (quick ? "1000" : "1000,10000")).split(",").map(Number);
const R = Number(values.rate);
const OVERLOAD_R = Number(values["overload-rate"]);
// 100 ms of requests: the endpoint process itself can be descheduled for tens of ms on a
// shared 2-core machine, and requests that queue in its socket meanwhile would otherwise be
// throttled for the server's pause, not the client's pace.
const burstOf = (rate) => Math.max(1, Math.round(rate / 10));
/**
 * Admitted requests as a fraction of the most the server could admit in `seconds`: R·T plus
 * the burst (the bucket starts full), so a burst can never make a figure exceed 100 %.
 */
const fractionOf = (admitted, seconds, rate) => admitted / (rate * seconds + burstOf(rate));
const OVERLOAD_N = quick ? 400 : 1000;
const CONCURRENCY = Number(values.concurrency);
const LATENCY = values["latency-ms"];
const SDK_SAMPLE = quick ? 100 : 300;
const CLI_SAMPLE = quick ? 10 : 20;

const root = join(import.meta.dirname, "..");
const dist = join(root, ".build", "bench-dist");
await bundle(dist);
const probe = join(import.meta.dirname, "reconcile-usage-probe.mjs");
const scratch = mkdtempSync(join(tmpdir(), "s3ap-bench-usage-"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const spread = (xs, digits = 0, unit = "") =>
  `${median(xs).toFixed(digits)}${unit} (min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)})`;
const pct = (xs) =>
  spread(
    xs.map((x) => x * 100),
    1,
    " %",
  );

let usageCounter = 0;
/** Runs the bundled CLI with the usage probe preloaded; resolves with its output and usage. */
function runCli(args, cwd) {
  const usageFile = join(scratch, `usage-${usageCounter++}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["--import", `file://${probe}`, join(dist, "cli.js"), ...args],
      {
        cwd,
        env: { ...process.env, ...AWS_ENV, NO_COLOR: "1", S3AP_BENCH_USAGE_FILE: usageFile },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const usage = JSON.parse(readFileSync(usageFile, "utf8"));
      resolve({ code, stdout, stderr, wallSeconds, ...usage });
    });
  });
}

function applySummary(stdout) {
  const m = /Apply: (\d+) applied and verified, (\d+) failed.*; (\d+) retr/.exec(stdout);
  if (!m) return undefined;
  return { applied: Number(m[1]), failed: Number(m[2]), retries: Number(m[3]) };
}

function cliFlags(url, rate) {
  return [
    "--dir",
    "policies",
    "--endpoint-url",
    url,
    "--concurrency",
    String(CONCURRENCY),
    "--rate",
    String(rate),
  ];
}

/** One measured run: reset the endpoint, poll its counters while the CLI runs. */
async function measured(endpoint, args, cwd) {
  await endpoint.reset();
  const poller = pollStats(endpoint);
  const result = await runCli(args, cwd);
  const samples = await poller.stop();
  return { result, samples };
}

function fail(what, result) {
  throw new Error(
    `${what} failed (exit ${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr}`,
  );
}

console.log(
  `s3ap reconcile bench: node ${process.version}, ${RUNS} runs per figure, endpoint at ${LATENCY} ms latency ` +
    `admitting R = ${R}/s (burst ${burstOf(R)}), s3ap --concurrency ${CONCURRENCY} --rate ${R}${quick ? " (quick)" : ""}`,
);

// The machine is shared: say how busy it was, so a slow figure can be told from a slow s3ap.
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");
console.log(`load average at start: ${load()} (1, 5, 15 min)`);

const figures = {};
for (const n of SIZES) {
  const same = createRepo(n, "same");
  const differs = createRepo(n, "differs");
  const endpoint = await startEndpoint(dist, [
    "--latency-ms",
    LATENCY,
    "--rate",
    String(R),
    "--burst",
    String(burstOf(R)),
    "--seed-access-points",
    String(n),
  ]);
  try {
    const plan = { fraction: [], wall: [], cpuPerAp: [], rss: [], heap: [], throttled: [] };
    for (let r = 0; r < RUNS; r++) {
      const { result, samples } = await measured(
        endpoint,
        ["plan", ...cliFlags(endpoint.url, R)],
        same.root,
      );
      if (result.code !== 0) fail(`plan of ${n} in-sync access points`, result);
      const phase = requestPhase(samples);
      plan.fraction.push(fractionOf(phase.admitted, phase.seconds, R));
      plan.wall.push(result.wallSeconds);
      plan.cpuPerAp.push(result.cpuMs / n);
      plan.rss.push(result.maxRssMb);
      plan.heap.push(result.maxHeapMb);
      plan.throttled.push(phase.final.throttled);
    }
    const apply = { fraction: [], all: [], wall: [], cpuPerAp: [], rss: [], heap: [], retries: [] };
    for (let r = 0; r < RUNS; r++) {
      const { result, samples } = await measured(
        endpoint,
        ["apply", ...cliFlags(endpoint.url, R)],
        differs.root,
      );
      const summary = applySummary(result.stdout);
      if (result.code !== 0 || summary?.applied !== n) fail(`apply of ${n} changes`, result);
      const writes = writePhase(samples);
      const all = requestPhase(samples);
      apply.fraction.push(fractionOf(writes.admitted, writes.seconds, R));
      apply.all.push(fractionOf(all.admitted, all.seconds, R));
      apply.wall.push(result.wallSeconds);
      apply.cpuPerAp.push(result.cpuMs / n);
      apply.rss.push(result.maxRssMb);
      apply.heap.push(result.maxHeapMb);
      apply.retries.push(summary.retries);
    }
    figures[n] = { plan, apply };
    console.log(`\nN = ${n.toLocaleString("en")} access points`);
    console.log(
      `  plan  (N reads, no drift)        throughput ${pct(plan.fraction)} of R; wall ${spread(plan.wall, 2, " s")}`,
    );
    console.log(
      `        client CPU ${spread(plan.cpuPerAp, 3, " ms")}/access point; peak RSS ${spread(plan.rss, 0, " MB")} (JS heap ${spread(plan.heap, 0, " MB")}); throttled ${spread(plan.throttled)}`,
    );
    console.log(
      `  apply (N writes + N read-backs)  throughput ${pct(apply.fraction)} of R; whole run incl. reads ${pct(apply.all)}; wall ${spread(apply.wall, 2, " s")}`,
    );
    console.log(
      `        client CPU ${spread(apply.cpuPerAp, 3, " ms")}/access point; peak RSS ${spread(apply.rss, 0, " MB")} (JS heap ${spread(apply.heap, 0, " MB")}); retries ${spread(apply.retries)}`,
    );
  } finally {
    await endpoint.stop();
    same.remove();
    differs.remove();
  }
}

// A server that admits less than s3ap is told: the adaptive limiter has to find the rate.
{
  const n = OVERLOAD_N;
  const told = 1000;
  const differs = createRepo(n, "differs");
  const endpoint = await startEndpoint(dist, [
    "--latency-ms",
    LATENCY,
    "--rate",
    String(OVERLOAD_R),
    "--burst",
    String(burstOf(OVERLOAD_R)),
    "--seed-access-points",
    String(n),
  ]);
  try {
    const fraction = [];
    const failed = [];
    const throttledShare = [];
    for (let r = 0; r < RUNS; r++) {
      const { result, samples } = await measured(
        endpoint,
        ["apply", ...cliFlags(endpoint.url, told)],
        differs.root,
      );
      const summary = applySummary(result.stdout);
      if (summary === undefined) fail(`apply against the ${OVERLOAD_R}/s server`, result);
      const phase = requestPhase(samples);
      fraction.push(fractionOf(phase.admitted, phase.seconds, OVERLOAD_R));
      failed.push(summary.failed + (n - summary.applied - summary.failed));
      throttledShare.push(phase.final.throttled / phase.requests);
    }
    console.log(
      `\nOverload: server admits ${OVERLOAD_R}/s, s3ap --rate ${told}, apply of ${n} changes (3 requests each)`,
    );
    console.log(
      `  admitted throughput ${pct(fraction)} of ${OVERLOAD_R}/s; failed access points ${spread(failed)}; ` +
        `requests throttled ${pct(throttledShare)}`,
    );
  } finally {
    await endpoint.stop();
    differs.remove();
  }
}

// The naive ways, against the same endpoint (no rate limit: they never come close to it).
{
  const endpoint = await startEndpoint(dist, [
    "--latency-ms",
    LATENCY,
    "--seed-access-points",
    String(Math.max(SDK_SAMPLE, CLI_SAMPLE)),
  ]);
  try {
    const sdk = [];
    for (let r = 0; r < RUNS; r++) sdk.push(await sdkLoop(root, endpoint.url, SDK_SAMPLE));
    const cli = await awsCliLoop(endpoint.port, CLI_SAMPLE);
    console.log(`\nNaive ways (sequential, GetAccessPointPolicy only), scaled from a sample:`);
    console.log(
      `  SDK loop:     ${spread(sdk, 1, " ms")}/call (${SDK_SAMPLE} calls x ${RUNS} runs)`,
    );
    if ("skipped" in cli) console.log(`  aws CLI loop: skipped: ${cli.skipped}`);
    else
      console.log(
        `  aws CLI loop: ${cli.perCallMs.toFixed(0)} ms/call (${CLI_SAMPLE} calls, ${cli.version})`,
      );
    for (const size of SIZES) {
      const planWall = median(figures[size].plan.wall);
      const sdkSeconds = (median(sdk) * size) / 1000;
      let line = `  N = ${size.toLocaleString("en")}: s3ap plan ${planWall.toFixed(1)} s; SDK loop ~${sdkSeconds.toFixed(0)} s (${(sdkSeconds / planWall).toFixed(1)}x slower)`;
      if (!("skipped" in cli)) {
        const cliSeconds = (cli.perCallMs * size) / 1000;
        line += `; aws CLI loop ~${cliSeconds.toFixed(0)} s (${(cliSeconds / planWall).toFixed(0)}x slower)`;
      }
      console.log(line);
    }
  } finally {
    await endpoint.stop();
  }
}
console.log(`\nload average at end: ${load()} (1, 5, 15 min)`);
rmSync(scratch, { recursive: true, force: true });
