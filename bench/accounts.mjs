#!/usr/bin/env node
// Many accounts in one job: 10 accounts x 1,000 access points against the local endpoint, which
// limits each account to R requests/s on its own bucket (--account-rate), as AWS limits each
// account. Prints the wall time of one `s3ap plan` over all accounts against the time of each
// account alone (`plan --account ID`): one job must come close to the slowest account, not to
// the sum. Median of several runs, with the spread.
//
// Choose R so that accounts x R stays under what this machine can serve and send at once: s3ap
// and the endpoint share its cores, and one s3ap process spends about a millisecond of CPU per
// request (mostly the SDK's middleware, signing and XML), so on 2 cores about 1,000 requests/s
// in all. Above that, one job is bound by the machine, not by AWS's per-account limits.
//
//   node bench/accounts.mjs [--accounts 10] [--per-account 1000] [--rate 50] [--runs 3]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle } from "../scripts/build.mjs";
import { startEndpoint } from "./reconcile-endpoint.mjs";
import { AWS_ENV } from "./reconcile-naive.mjs";
import { generatedName } from "./reconcile-repo.mjs";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "10" },
    "per-account": { type: "string", default: "1000" },
    rate: { type: "string", default: "50" },
    runs: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
  },
});
const quick = values.quick;
const ACCOUNTS = Number(quick ? "4" : values.accounts);
const PER_ACCOUNT = Number(quick ? "200" : values["per-account"]);
const RATE = Number(values.rate);
const RUNS = Number(quick ? "1" : values.runs);
const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i * 111));

const root = join(import.meta.dirname, "..");
const dist = join(root, ".build", "bench-dist");
await bundle(dist);

// The policy each generated access point is seeded with ("SeedRead" for role seed-reader), so
// the plan reads every access point and finds no drift: the read phase is what is measured.
const repo = mkdtempSync(join(tmpdir(), "s3ap-bench-accounts-"));
const git = (...args) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
git("init", "-q", "-b", "main");
git("config", "user.email", "bench@example.com");
git("config", "user.name", "Bench");
for (const account of accountIds) {
  mkdirSync(join(repo, "policies", account), { recursive: true });
  for (let i = 0; i < PER_ACCOUNT; i++) {
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
  "--latency-ms",
  "5",
  "--account-rate",
  String(RATE),
  "--seed-access-points",
  String(PER_ACCOUNT),
  "--seed-accounts",
  accountIds.join(","),
]);

function plan(extra) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [join(dist, "cli.js"), "plan", "--endpoint-url", endpoint.url, "--format", "json", ...extra],
    {
      cwd: repo,
      env: { ...process.env, ...AWS_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      encoding: "utf8",
      maxBuffer: 1 << 30,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `plan ${extra.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 2000)}`,
    );
  }
  const summary = JSON.parse(result.stdout).summary;
  return { seconds, summary };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const spread = (xs, digits = 1) =>
  `${median(xs).toFixed(digits)} (min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)})`;

const oneJob = [];
const sums = [];
const slowest = [];
try {
  for (let run = 0; run < RUNS; run++) {
    await endpoint.reset();
    const all = plan([]);
    if (all.summary.noop !== ACCOUNTS * PER_ACCOUNT) {
      throw new Error(
        `expected ${ACCOUNTS * PER_ACCOUNT} in sync, got ${JSON.stringify(all.summary)}`,
      );
    }
    oneJob.push(all.seconds);
    const alone = [];
    for (const account of accountIds) {
      await endpoint.reset();
      alone.push(plan(["--account", account]).seconds);
    }
    sums.push(alone.reduce((a, b) => a + b, 0));
    slowest.push(Math.max(...alone));
    console.log(
      `run ${run + 1}: one job ${all.seconds.toFixed(1)} s; accounts alone: sum ${sums.at(-1).toFixed(1)} s, slowest ${slowest.at(-1).toFixed(1)} s`,
    );
  }
} finally {
  await endpoint.stop();
  rmSync(repo, { recursive: true, force: true });
}

const ideal = PER_ACCOUNT / RATE;
console.log(
  `\n${ACCOUNTS} accounts x ${PER_ACCOUNT} access points, each account limited to ${RATE} req/s ` +
    `(so at least ${ideal.toFixed(1)} s per account), ${RUNS} run(s), median (min, max):`,
);
console.log(`  one job, all accounts          ${spread(oneJob)} s`);
console.log(`  sum of the accounts alone      ${spread(sums)} s`);
console.log(`  slowest account alone          ${spread(slowest)} s`);
console.log(
  `  one job / sum                  ${spread(
    oneJob.map((t, i) => t / sums[i]),
    2,
  )}` +
    `\n  one job / slowest account      ${spread(
      oneJob.map((t, i) => t / slowest[i]),
      2,
    )}`,
);
