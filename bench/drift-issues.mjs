#!/usr/bin/env node
// Drift issues of a scheduled run: N drifted access points, two scheduled runs in a row against
// the fake GitHub REST API of the tests (test/github/fake-github.ts, on loopback). Each run is the
// bundled action's `drift-issues` step as a runner starts it (`node action.js`, INPUT_* and
// GITHUB_* variables), so GitHub's pacing is the client's own: a second between writes, three
// between writes that notify (issues, comments). Prints the time and the write requests of each
// run: the second must write nothing. Median of several runs, with the spread.
//
// Per access point (--threshold N or more) the first run opens N issues, 3 s apart: that is
// GitHub's pacing, not s3ap, so it is counted, not waited for (`--per-access-point` runs it with
// the waits scaled down 1,000 times and prints s3ap's own time beside the count).
//
//   node bench/drift-issues.mjs [--access-points 500] [--accounts 5] [--threshold 20] [--runs 3]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { bundle } from "../scripts/build.mjs";
import { load, spread } from "./stats.mjs";

const { values } = parseArgs({
  options: {
    "access-points": { type: "string", default: "500" },
    accounts: { type: "string", default: "5" },
    threshold: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    "per-access-point": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
  },
});
const N = Number(values["access-points"]);
const ACCOUNTS = Number(values.accounts);
const THRESHOLD = Number(values.threshold);
const RUNS = Number(values.quick ? "1" : values.runs);

const root = join(import.meta.dirname, "..");
const dist = join(root, ".build", "bench-dist");
await bundle(dist, [{ in: "src/action.ts", out: "action" }]);

// The fake GitHub and the planner, from the sources. The fake's vitest hooks are not used here.
const helpers = join(dist, "drift-issues-helpers.mjs");
await build({
  stdin: {
    contents: [
      'export { FakeGitHub } from "./test/github/fake-github.ts";',
      'export { plan } from "./src/reconcile/plan.ts";',
      'export { withBase } from "./src/reconcile/origin.ts";',
      'export { renderPlanJson } from "./src/report/plan-json.ts";',
      'export { runAction } from "./src/github/run-action.ts";',
    ].join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: helpers,
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [
    {
      name: "no-vitest",
      setup(b) {
        b.onResolve({ filter: /^vitest$/ }, () => ({ path: "vitest", namespace: "stub" }));
        b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
          contents: "export const beforeAll = () => {}; export const afterAll = () => {};",
        }));
      },
    },
  ],
});
const { FakeGitHub, plan, withBase, renderPlanJson, runAction } = await import(
  pathToFileURL(helpers).href
);

/** N access points over ACCOUNTS accounts, each granted s3:DeleteObject in live by hand. */
function driftedPlan() {
  const desired = [];
  const live = new Map();
  for (let i = 0; i < N; i++) {
    const accountId = String(100000000000 + (i % ACCOUNTS) * 111);
    const name = `ap-${String(i).padStart(4, "0")}`;
    const arn = `arn:aws:s3:us-east-1:${accountId}:accesspoint/${name}`;
    const statement = (actions) => ({
      Sid: "Read",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:role/reader` },
      Action: actions,
      Resource: `${arn}/object/*`,
    });
    desired.push({
      accountId,
      region: "us-east-1",
      name,
      file: `policies/${accountId}/us-east-1/${name}.yaml`,
      position: { line: 4, col: 1 },
      arn,
      partition: "aws",
      mode: "enforce",
      allowPublic: false,
      policy: { Version: "2012-10-17", Statement: [statement(["s3:GetObject"])] },
    });
    const edited = {
      Version: "2012-10-17",
      Statement: [statement(["s3:GetObject", "s3:DeleteObject"])],
    };
    live.set(`${accountId}/us-east-1/${name}`, {
      kind: "policy",
      policy: edited,
      raw: JSON.stringify(edited),
    });
  }
  const planned = plan(desired, live, "a".repeat(40));
  return withBase(planned, desired, {
    ref: "HEAD",
    commit: planned.commit,
    desired,
    invalidFiles: new Set(),
    warnings: [],
  });
}

const folder = mkdtempSync(join(tmpdir(), "s3ap-bench-issues-"));
const planPath = join(folder, "plan.json");
writeFileSync(planPath, renderPlanJson(driftedPlan()));

function envFor(github, runId, threshold) {
  return {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: String(runId),
    GITHUB_WORKSPACE: folder,
    RUNNER_TEMP: folder,
    INPUT_COMMAND: "drift-issues",
    "INPUT_PLAN-PATH": planPath,
    "INPUT_GITHUB-TOKEN": github.token,
    "INPUT_DRIFT-ISSUE-THRESHOLD": String(threshold),
  };
}

/**
 * One scheduled run of the bundled action; its seconds and the writes GitHub saw. Asynchronous:
 * the fake GitHub answers from this process's event loop.
 */
async function scheduledRun(github, runId) {
  const before = github.writeRequests().length;
  const started = performance.now();
  const child = spawn(process.execPath, [join(dist, "action.js")], {
    cwd: folder,
    env: envFor(github, runId, THRESHOLD),
  });
  let log = "";
  child.stdout.on("data", (chunk) => {
    log += chunk;
  });
  const code = await new Promise((resolve) => child.on("close", resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`drift-issues exited ${code}: ${log}`);
  return { seconds, writes: github.writeRequests().slice(before) };
}

const kinds = (writes) => {
  const byKind = new Map();
  for (const w of writes) {
    const kind = w.replace(/\/\d+/g, "/N");
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [...byKind].map(([k, n]) => `${n} x ${k}`).join(", ") || "none";
};

console.log(`load average at start: ${load()}`);
const firsts = [];
const seconds = [];
let firstWrites = [];
let secondWrites = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const github = new FakeGitHub();
    github.pageSize = 100;
    await github.start();
    try {
      const first = await scheduledRun(github, 1);
      const second = await scheduledRun(github, 2);
      firsts.push(first.seconds);
      seconds.push(second.seconds);
      firstWrites = first.writes;
      secondWrites = second.writes;
      console.log(
        `run ${run + 1}: first ${first.seconds.toFixed(2)} s, ${first.writes.length} writes; ` +
          `second ${second.seconds.toFixed(2)} s, ${second.writes.length} writes`,
      );
    } finally {
      await github.stop();
    }
  }

  console.log(
    `\n${N} drifted access points in ${ACCOUNTS} accounts, drift-issue-threshold ${THRESHOLD}, ` +
      `GitHub's pacing as the client keeps it, ${RUNS} run(s), median (min-max):`,
  );
  console.log(`  first scheduled run   ${spread(firsts, 2)} s; writes: ${kinds(firstWrites)}`);
  console.log(`  second scheduled run  ${spread(seconds, 2)} s; writes: ${kinds(secondWrites)}`);

  if (values["per-access-point"]) {
    // One issue each: the first run opens N issues. In process, GitHub's waits 1,000x shorter.
    const github = new FakeGitHub();
    github.pageSize = 100;
    await github.start();
    try {
      const timed = async (runId) => {
        const started = performance.now();
        const code = await runAction({
          env: envFor(github, runId, N),
          cwd: folder,
          log: () => {},
          sleep: async () => {},
          now: () => Date.now(),
          gitHubMsPerSecond: 1,
        });
        if (code !== 0) throw new Error(`drift-issues failed (${code})`);
        return (performance.now() - started) / 1000;
      };
      const firstSeconds = await timed(3);
      const writes = github.writeRequests().length;
      const secondSeconds = await timed(4);
      const secondWritten = github.writeRequests().length - writes;
      const issues = github.issues.length;
      console.log(
        `\nOne issue per access point (threshold ${N}): first run ${writes} writes ` +
          `(${issues} issues, 3 s apart by GitHub's pacing: at least ${((issues * 3) / 60).toFixed(0)} min), ` +
          `s3ap's own time with the waits scaled down 1,000x ${firstSeconds.toFixed(2)} s; ` +
          `second run ${secondWritten} writes, ${secondSeconds.toFixed(2)} s.`,
      );
    } finally {
      await github.stop();
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
  console.log(`load average at end: ${load()}`);
}
