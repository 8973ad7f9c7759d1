#!/usr/bin/env node
// Issue #23's whole table in one run, side by side on one machine: s3ap with its defaults
// against a Terraform-like driver (the AWS SDK, 10 access points in flight, standard retries x25)
// and the SDK's adaptive mode (16 in flight), on the local S3 Control endpoint at 20 ms latency:
// plan and apply of 10,000 without a server limit, plan of 1,000 and apply of 10,000 against a
// server admitting 200/s, the same at 2,000, the peak RSS of apply, and one job over 100 accounts
// x 100 access points (each account limited to 100 req/s) against the slowest account alone
// (`plan --account`, what a fan-out shard runs), and the bare SDK paced by an oracle as the floor
// of that regime for any SDK-based client. Every figure is a whole process: wall time from
// spawn to exit, CPU, peak RSS; the endpoint counts requests, throttles and the request phase.
// The ways alternate within each run (order rotated run by run); medians with min-max, ratios
// pair by pair, the load average before and after each regime. For s3ap it also prints where the
// time before its first request went (bench/reconcile-usage-probe.mjs reads its phase marks).
// Figures only; nothing is asserted.
//
// node bench/side-by-side.mjs [--runs 3] [--regimes plan-10k,apply-10k,...] [--latency-ms 20]
//   [--limited-rate 200] [--accounts 100] [--per-account 100] [--account-rate 100] [--alone 10]
//   [--scale 0.1] [--cpus 0 | 0,1] [--json FILE] [--baseline OTHER/cli.js]
//   [--ways terraform,sdk adaptive]
//
// --scale multiplies every size (a quick look: --scale 0.1 --runs 1). --cpus pins s3ap and the
// peers with taskset (the endpoint and the bench stay unpinned). --baseline adds another s3ap
// bundle as a fourth way (e.g. the cli.js of main built into another folder). --ways runs only
// the peers named by the start of their name, beside s3ap (and the baseline): `--ways terraform`
// leaves out the SDK's adaptive mode, minutes per limited 10,000 run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle } from "../scripts/build.mjs";
import { buildPeerClient } from "./peer-client.mjs";
import { pollStats, requestPhase, startEndpoint } from "./reconcile-endpoint.mjs";
import { AWS_ENV } from "./reconcile-naive.mjs";
import { createRepo, generatedName } from "./reconcile-repo.mjs";
import { load, median, spread } from "./stats.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    regimes: { type: "string" },
    "latency-ms": { type: "string", default: "20" },
    "limited-rate": { type: "string", default: "200" },
    accounts: { type: "string", default: "100" },
    "per-account": { type: "string", default: "100" },
    "account-rate": { type: "string", default: "100" },
    alone: { type: "string", default: "10" },
    scale: { type: "string", default: "1" },
    cpus: { type: "string" },
    json: { type: "string" },
    baseline: { type: "string" },
    ways: { type: "string" },
  },
});
const RUNS = Number(values.runs);
const LATENCY = values["latency-ms"];
const LIMITED = Number(values["limited-rate"]);
const SCALE = Number(values.scale);
const size = (n) => Math.max(10, Math.round(n * SCALE));

const REGIMES = [
  { id: "plan-10k", title: "plan, no server limit", job: "plan", n: size(10_000) },
  { id: "apply-10k", title: "apply, no server limit", job: "apply", n: size(10_000) },
  {
    id: "plan-1k-limited",
    title: "plan, server admits",
    job: "plan",
    n: size(1_000),
    rate: LIMITED,
  },
  {
    id: "apply-10k-limited",
    title: "apply, server admits",
    job: "apply",
    n: size(10_000),
    rate: LIMITED,
  },
  { id: "plan-2k", title: "plan, no server limit", job: "plan", n: size(2_000) },
  { id: "apply-2k", title: "apply, no server limit", job: "apply", n: size(2_000) },
  {
    id: "plan-2k-limited",
    title: "plan, server admits",
    job: "plan",
    n: size(2_000),
    rate: LIMITED,
  },
  {
    id: "apply-2k-limited",
    title: "apply, server admits",
    job: "apply",
    n: size(2_000),
    rate: LIMITED,
  },
  { id: "accounts", title: "one job over many accounts" },
];
const chosen = values.regimes?.split(",") ?? REGIMES.map((r) => r.id);
const unknown = chosen.filter((id) => !REGIMES.some((r) => r.id === id));
if (unknown.length > 0) {
  console.error(
    `unknown regime: ${unknown.join(", ")} (known: ${REGIMES.map((r) => r.id).join(", ")})`,
  );
  process.exit(1);
}

const root = join(import.meta.dirname, "..");
const dist = join(root, ".build", "bench-dist");
await bundle(dist);
const peers = await buildPeerClient(root);
const probe = join(import.meta.dirname, "reconcile-usage-probe.mjs");
const scratch = mkdtempSync(join(tmpdir(), "s3ap-side-by-side-"));
const burstOf = (rate) => Math.max(1, Math.round(rate / 10));

let processes = 0;
/** One whole process with the usage probe preloaded (pinned with --cpus): output, wall, usage. */
function runProcess(args, cwd) {
  const usageFile = join(scratch, `usage-${processes++}.json`);
  const command = [process.execPath, "--import", `file://${probe}`, ...args];
  const [file, ...rest] = values.cpus ? ["taskset", "-c", values.cpus, ...command] : command;
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = spawn(file, rest, {
      cwd,
      env: {
        ...process.env,
        ...AWS_ENV,
        NO_COLOR: "1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        S3AP_BENCH_USAGE_FILE: usageFile,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout = (stdout + chunk).slice(-20_000);
    });
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = (performance.now() - started) / 1000;
      let usage = {};
      try {
        usage = JSON.parse(readFileSync(usageFile, "utf8"));
      } catch {
        // The process died before its exit handler ran; the error below says how.
      }
      resolve({ code, stdout, stderr, wall, usage, spawnedAt });
    });
  });
}

function fail(what, result) {
  throw new Error(
    `${what} (exit ${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr}`,
  );
}

/** The ways of one regime: each runs one whole process and says how many access points failed. */
function ways(endpoint, repo, regime) {
  const s3ap = (cli) => async () => {
    const result = await runProcess(
      [cli, regime.job, "--dir", "policies", "--endpoint-url", endpoint.url],
      repo.root,
    );
    if (regime.job === "plan") {
      if (result.code !== 0) fail("s3ap plan of in-sync access points", result);
      return { result, failed: 0 };
    }
    const m = /Apply: (\d+) applied and verified, (\d+) failed/.exec(result.stdout);
    if (m === null) fail("s3ap apply", result);
    return { result, failed: regime.n - Number(m[1]) };
  };
  const peer = (concurrency, retryMode, maxAttempts) => async () => {
    const result = await runProcess(
      [
        join(import.meta.dirname, "peer-loop.mjs"),
        ...["--client", peers, "--url", endpoint.url, "--n", String(regime.n)],
        ...["--concurrency", String(concurrency), "--retry-mode", retryMode],
        ...["--max-attempts", String(maxAttempts), "--job", regime.job],
      ],
      root,
    );
    if (result.code !== 0) fail("peer loop", result);
    return { result, failed: JSON.parse(result.stdout.trim().split("\n").at(-1)).failed };
  };
  const all = {
    "s3ap, defaults": s3ap(join(dist, "cli.js")),
    "Terraform-like: 10 in flight, standard retries x25": peer(10, "standard", 25),
    "SDK adaptive: 16 in flight": peer(16, "adaptive", 3),
    ...(values.baseline ? { "s3ap baseline bundle": s3ap(values.baseline) } : {}),
  };
  // --ways: only the peers whose name starts with one of these words (s3ap itself, and the
  // --baseline bundle when one is given, always run).
  const only = values.ways?.split(",").map((w) => w.trim().toLowerCase());
  if (only === undefined) return all;
  return Object.fromEntries(
    Object.entries(all).filter(
      ([name]) => name.startsWith("s3ap") || only.some((w) => name.toLowerCase().startsWith(w)),
    ),
  );
}

/** Ms since spawn of each phase mark of an s3ap run, in the order they happened. */
function timeline({ usage, spawnedAt }) {
  if (usage.timeOrigin === undefined) return [];
  const offset = usage.timeOrigin - spawnedAt;
  const events = [
    ["node ready (exec, V8, bootstrap)", usage.bootstrapMs],
    ["bundle loaded (probe and cli.js evaluated)", usage.marks?.["s3ap:main"]],
    ["commands ready (plan/apply chunk, AWS SDK)", usage.marks?.["s3ap:commands-loaded"]],
    ["git: source opened", usage.marks?.["s3ap:source-opened"]],
    ["policy files listed", usage.marks?.["s3ap:listed"]],
    ["tree validated", usage.marks?.["s3ap:validated"]],
    ["reader opened (checks, store, limiters)", usage.marks?.["s3ap:reader-opened"]],
    ["first request created (credentials, SDK middleware)", usage.firstRequestMs],
    ["last read answered", usage.marks?.["s3ap:read-done"]],
    ["apply started (plan made, refusal checks)", usage.marks?.["s3ap:apply-start"]],
    ["last write read back", usage.marks?.["s3ap:apply-done"]],
    ["process exit (report written)", usage.exitMs],
  ];
  return events
    .filter(([, at]) => at !== undefined)
    .map(([name, at]) => [name, at + offset])
    .sort((a, b) => a[1] - b[1]);
}

function printTimeline(runs) {
  const lines = runs.map(timeline).filter((t) => t.length > 0);
  if (lines.length === 0) return;
  console.log(
    "  s3ap, where the time went (ms since spawn, median (min-max) of the runs; delta to the event before):",
  );
  let previous = 0;
  for (const [name] of lines[0]) {
    const at = lines.map((t) => t.find(([n]) => n === name)?.[1]).filter((x) => x !== undefined);
    const m = median(at);
    console.log(
      `    ${spread(at, 0).padEnd(22)} +${(m - previous).toFixed(0).padStart(6)}  ${name}`,
    );
    previous = m;
  }
}

const figures = { machine: {}, regimes: {} };

async function requestRegime(regime) {
  const repo = createRepo(regime.n, regime.job === "plan" ? "same" : "differs");
  const limited = regime.rate !== undefined;
  const endpoint = await startEndpoint(dist, [
    ...["--latency-ms", LATENCY, "--seed-access-points", String(regime.n)],
    ...(limited ? ["--rate", String(regime.rate), "--burst", String(burstOf(regime.rate))] : []),
  ]);
  const loadBefore = load();
  const rows = {};
  try {
    const all = ways(endpoint, repo, regime);
    const names = Object.keys(all);
    for (let run = 0; run < RUNS; run++) {
      // Rotated run by run, so no way always runs first on a fresh endpoint or after another.
      const order = names.map((_, i) => names[(i + run) % names.length]);
      for (const name of order) {
        await endpoint.reset();
        const poller = pollStats(endpoint, 25);
        const { result, failed } = await all[name]();
        const samples = await poller.stop();
        const phase = requestPhase(samples);
        rows[name] ??= {
          wall: [],
          cpu: [],
          rss: [],
          requestPhase: [],
          throttledShare: [],
          admittedShare: [],
          failed: [],
          writeGap: [],
          runs: [],
        };
        const row = rows[name];
        row.wall.push(result.wall);
        row.cpu.push((result.usage.cpuMs ?? Number.NaN) / 1000);
        row.rss.push(result.usage.maxRssMb ?? Number.NaN);
        row.requestPhase.push(phase.seconds);
        row.throttledShare.push(phase.final.throttled / Math.max(1, phase.requests));
        if (limited) {
          row.admittedShare.push(
            phase.admitted / (regime.rate * phase.seconds + burstOf(regime.rate)),
          );
        }
        row.failed.push(failed);
        if (regime.job === "apply") {
          // From the last read before the first write to the first write, at the endpoint.
          row.writeGap.push(readToWriteGap(samples));
        }
        if (name.startsWith("s3ap"))
          row.runs.push({ usage: result.usage, spawnedAt: result.spawnedAt });
      }
    }
  } finally {
    await endpoint.stop();
    repo.remove();
  }
  const loadAfter = load();
  const base = rows["s3ap, defaults"];
  console.log(
    `\n## ${regime.id}: ${regime.title}${limited ? ` ${regime.rate}/s (burst ${burstOf(regime.rate)})` : ""}, N = ${regime.n.toLocaleString("en")}, ${LATENCY} ms; load ${loadBefore} -> ${loadAfter}`,
  );
  console.log(
    `  | way | wall s | x s3ap (pairs) | CPU s | peak RSS MB | request phase s | throttled % |${limited ? " admitted % of rate |" : ""}${regime.job === "apply" ? " read->write gap s |" : ""} failed |`,
  );
  console.log(
    `  |---|---|---|---|---|---|---|${limited ? "---|" : ""}${regime.job === "apply" ? "---|" : ""}---|`,
  );
  for (const [name, row] of Object.entries(rows)) {
    const pairs = row.wall.map((w, i) => w / base.wall[i]);
    console.log(
      `  | ${name} | ${spread(row.wall, 2)} | ${(median(row.wall) / median(base.wall)).toFixed(2)} (${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}) | ${spread(row.cpu, 2)} | ${spread(row.rss, 0)} | ${spread(row.requestPhase, 2)} | ${spread(
        row.throttledShare.map((x) => x * 100),
        1,
      )} |${
        limited
          ? ` ${spread(
              row.admittedShare.map((x) => x * 100),
              1,
            )} |`
          : ""
      }${regime.job === "apply" ? ` ${spread(row.writeGap, 2)} |` : ""} ${spread(row.failed, 0)} |`,
    );
  }
  printTimeline(base.runs);
  figures.regimes[regime.id] = { ...regime, loadBefore, loadAfter, rows };
}

/** Seconds between the last sample before any write and the first sample with one. */
function readToWriteGap(samples) {
  const writes = (s) =>
    (s.requests.PutAccessPointPolicy ?? 0) + (s.requests.DeleteAccessPointPolicy ?? 0);
  const first = samples.findIndex((s) => writes(s.stats) > 0);
  if (first <= 0) return Number.NaN;
  // The last read before the first write: the last sample whose total still grew with reads only.
  let lastRead = first - 1;
  while (lastRead > 0 && samples[lastRead - 1].stats.total === samples[lastRead].stats.total) {
    lastRead--;
  }
  return (samples[first].t - samples[lastRead].t) / 1000;
}

async function accountsRegime() {
  const accounts = Number(values.accounts);
  const perAccount = size(Number(values["per-account"]));
  const rate = Number(values["account-rate"]);
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i * 111));
  const aloneCount = Math.min(accounts, Number(values.alone));
  // Spread over the tree: the first, the last and evenly in between.
  const alone = Array.from(
    { length: aloneCount },
    (_, i) => ids[Math.round((i * (accounts - 1)) / Math.max(1, aloneCount - 1))],
  );
  const repo = mkdtempSync(join(tmpdir(), "s3ap-side-by-side-accounts-"));
  const git = (...args) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "bench@example.com");
  git("config", "user.name", "Bench");
  for (const account of ids) {
    mkdirSync(join(repo, "policies", account), { recursive: true });
    for (let i = 0; i < perAccount; i++) {
      const name = generatedName(i);
      writeFileSync(
        join(repo, "policies", account, `${name}.yaml`),
        `accountId: "${account}"\nregion: us-east-1\nname: ${name}\npolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Sid: SeedRead\n      Effect: Allow\n      Principal: { AWS: "arn:aws:iam::${account}:role/seed-reader" }\n      Action: s3:GetObject\n      Resource: \${accessPointArn}/object/*\n`,
      );
    }
  }
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  const endpoint = await startEndpoint(dist, [
    ...["--latency-ms", LATENCY, "--account-rate", String(rate)],
    ...["--seed-access-points", String(perAccount), "--seed-accounts", ids.join(",")],
  ]);
  const loadBefore = load();
  const oneJob = [];
  const slowest = [];
  const aloneAll = [];
  const cpu = [];
  const runs = [];
  /** Per way, the share of its requests the endpoint throttled, run by run. */
  const throttled = { oneJob: [], alone: [], floorOneJob: [], floorAlone: [] };
  const countThrottles = async (into) => {
    const stats = await endpoint.stats();
    throttled[into].push((100 * stats.throttled) / Math.max(1, stats.total));
  };
  const plan = async (extra) => {
    await endpoint.reset();
    const result = await runProcess(
      [join(dist, "cli.js"), "plan", "--dir", "policies", "--endpoint-url", endpoint.url, ...extra],
      repo,
    );
    if (result.code !== 0) fail(`s3ap plan ${extra.join(" ")}`, result);
    await countThrottles(extra.length === 0 ? "oneJob" : "alone");
    return result;
  };
  // The floor for any client built on the AWS SDK: the bare SDK with an oracle that paces every
  // account exactly at its server limit (no client knows it), enough in flight for all of them.
  const floorOneJob = [];
  const floorCpu = [];
  const floorSlowest = [];
  const floor = async (ids) => {
    await endpoint.reset();
    const result = await runProcess(
      [
        join(import.meta.dirname, "peer-loop.mjs"),
        ...["--client", peers, "--url", endpoint.url, "--n", String(perAccount)],
        ...["--accounts", ids.join(","), "--pace", String(rate), "--job", "plan"],
        ...["--concurrency", String(Math.max(16, ids.length * 4)), "--max-attempts", "25"],
      ],
      root,
    );
    if (result.code !== 0) fail("bare SDK floor", result);
    if (JSON.parse(result.stdout.trim().split("\n").at(-1)).failed > 0) {
      fail("bare SDK floor: some reads failed", result);
    }
    await countThrottles(ids.length > 1 ? "floorOneJob" : "floorAlone");
    return result;
  };
  try {
    for (let run = 0; run < RUNS; run++) {
      const all = await plan([]);
      oneJob.push(all.wall);
      cpu.push(all.usage.cpuMs / 1000);
      runs.push(all);
      const walls = [];
      for (const account of alone) walls.push((await plan(["--account", account])).wall);
      aloneAll.push(...walls);
      slowest.push(Math.max(...walls));
      const bare = await floor(ids);
      floorOneJob.push(bare.wall);
      floorCpu.push(bare.usage.cpuMs / 1000);
      const bareWalls = [];
      for (const account of alone) bareWalls.push((await floor([account])).wall);
      floorSlowest.push(Math.max(...bareWalls));
    }
  } finally {
    await endpoint.stop();
    rmSync(repo, { recursive: true, force: true });
  }
  const loadAfter = load();
  const ratios = oneJob.map((t, i) => t / slowest[i]);
  console.log(
    `\n## accounts: ${accounts} accounts x ${perAccount} access points, each account admitted ${rate} req/s, ${LATENCY} ms; ${aloneCount} accounts alone per run; load ${loadBefore} -> ${loadAfter}`,
  );
  console.log(
    `  one job, all accounts        ${spread(oneJob, 2)} s wall, ${spread(cpu, 2)} s CPU`,
  );
  console.log(`  one account alone (--account) ${spread(aloneAll, 2)} s wall`);
  console.log(`  slowest account alone        ${spread(slowest, 2)} s wall`);
  console.log(`  one job / slowest account    ${spread(ratios, 2)}`);
  console.log(
    `  throttled % of requests: one job ${spread(throttled.oneJob, 1)}, one account alone ${spread(throttled.alone, 1)}; bare SDK floor ${spread(throttled.floorOneJob, 1)} and ${spread(throttled.floorAlone, 1)}`,
  );
  console.log(
    `  bare SDK floor (oracle pacing, ${rate} req/s per account): one job ${spread(floorOneJob, 2)} s wall, ${spread(floorCpu, 2)} s CPU; slowest account alone ${spread(floorSlowest, 2)} s`,
  );
  console.log(
    `  floor one job / s3ap's slowest account alone ${spread(
      floorOneJob.map((t, i) => t / slowest[i]),
      2,
    )}; s3ap one job / floor one job ${spread(
      oneJob.map((t, i) => t / floorOneJob[i]),
      2,
    )}`,
  );
  printTimeline(runs);
  figures.regimes.accounts = {
    accounts,
    perAccount,
    rate,
    alone,
    loadBefore,
    loadAfter,
    oneJob,
    cpu,
    slowest,
    aloneAll,
    floorOneJob,
    floorCpu,
    floorSlowest,
    throttled,
  };
}

const commit = (() => {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root })
      .toString()
      .trim();
    const dirty =
      execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: root }).length > 0;
    return `${sha}${dirty ? " + uncommitted src changes" : ""}`;
  } catch {
    return "unknown";
  }
})();
figures.machine = {
  node: process.version,
  cpus: availableParallelism(),
  pinned: values.cpus ?? null,
  commit,
  loadAtStart: load(),
  runs: RUNS,
  latencyMs: Number(LATENCY),
};
console.log(
  `# s3ap side by side: ${commit}, node ${process.version}, ${availableParallelism()} CPUs${values.cpus ? ` (s3ap and peers pinned to ${values.cpus})` : ""}, ${RUNS} runs per figure, endpoint at ${LATENCY} ms; load ${load()} (1, 5, 15 min)`,
);
try {
  // In the order --regimes names them (a long regime last, say, when time is short).
  for (const regime of chosen.map((id) => REGIMES.find((r) => r.id === id))) {
    if (regime.id === "accounts") await accountsRegime();
    else await requestRegime(regime);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// The issue's table: wall-time medians, each peer as a multiple of s3ap (> 1: s3ap is faster).
console.log(
  "\n## Summary (wall time, median; peers as a multiple of s3ap's: above 1 = s3ap faster)",
);
console.log("| regime | s3ap | Terraform-like | SDK adaptive |\n|---|---|---|---|");
for (const [id, r] of Object.entries(figures.regimes)) {
  if (id === "accounts") {
    console.log(
      `| ${r.accounts} accounts x ${r.perAccount}, ${r.rate} req/s each, one job | ${median(r.oneJob).toFixed(2)} s = ${median(r.oneJob.map((t, i) => t / r.slowest[i])).toFixed(2)}x the slowest account alone (${median(r.slowest).toFixed(2)} s) | bare SDK floor, one job: ${median(r.floorOneJob).toFixed(2)} s = ${median(r.floorOneJob.map((t, i) => t / r.slowest[i])).toFixed(2)}x s3ap's slowest account | |`,
    );
    continue;
  }
  const way = (start) => Object.entries(r.rows).find(([name]) => name.startsWith(start))?.[1];
  const [s3ap, terraform, adaptive] = ["s3ap, defaults", "Terraform-like", "SDK adaptive"].map(way);
  // A way left out by --ways has no figure.
  const ratio = (row) =>
    row === undefined ? "-" : (median(row.wall) / median(s3ap.wall)).toFixed(2);
  const admitted = (row) =>
    r.rate !== undefined && row !== undefined
      ? `, ${median(row.admittedShare.map((x) => x * 100)).toFixed(1)} % of ${r.rate}/s`
      : "";
  console.log(
    `| ${r.n.toLocaleString("en")} ${r.title}${r.rate !== undefined ? ` ${r.rate}/s` : ""} | ${median(s3ap.wall).toFixed(2)} s${admitted(s3ap)} | ${ratio(terraform)}x${admitted(terraform)} | ${ratio(adaptive)}x${admitted(adaptive)} |`,
  );
  if (
    r.job === "apply" &&
    r.rate === undefined &&
    terraform !== undefined &&
    adaptive !== undefined
  ) {
    console.log(
      `| ${r.n.toLocaleString("en")} apply, peak RSS | ${median(s3ap.rss).toFixed(0)} MB | ${median(terraform.rss).toFixed(0)} MB (s3ap ${(median(s3ap.rss) / median(terraform.rss)).toFixed(2)}x) | ${median(adaptive.rss).toFixed(0)} MB |`,
    );
  }
}
console.log(`\nload at end: ${load()}`);
figures.machine.loadAtEnd = load();
if (values.json) writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
