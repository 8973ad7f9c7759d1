// kill -9 of apply halfway through its writes, then apply again: converges, and no access point
// that is meant to keep a policy is ever seen without one (a Put replaces a policy atomically).
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import {
  CLI_ENV,
  cliArgs,
  divergence,
  endpointState,
  endpointStats,
  spawnCli,
  useFaultRig,
} from "./fault-kit.js";

const COUNT = 60;
const DELETE_EVERY = 10;

const rig = useFaultRig({
  count: COUNT,
  deleteEvery: DELETE_EVERY,
  endpointFlags: ["--seed-policy-fraction", "0.6", "--latency-ms", "20"],
});

/** Polls live state until stopped; records every access point ever seen without a policy. */
function watchPolicies(url: string) {
  const seenWithout = new Set<string>();
  let polls = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [name, policy] of await endpointState(url)) {
        if (policy === null) seenWithout.add(name);
      }
      polls++;
      await sleep(10);
    }
  })();
  return {
    seenWithout,
    get polls() {
      return polls;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

test("apply killed with SIGKILL mid-run, then re-run: converges and never strips a policy", async () => {
  const initial = await endpointState(rig.endpoint.url);
  // Access points that have a policy now and must keep one: their updates must never pass
  // through "no policy".
  const mustKeep = [...initial]
    .filter(([, policy], i) => policy !== null && (i + 1) % DELETE_EVERY !== 0)
    .map(([name]) => name);
  const createTargets = [...initial]
    .filter(([, policy], i) => policy === null && (i + 1) % DELETE_EVERY !== 0)
    .map(([name]) => name);
  expect(mustKeep.length).toBeGreaterThan(20);
  const watcher = watchPolicies(rig.endpoint.url);

  // Slow enough (40 requests/s, 2 at a time) that the kill lands in the middle of the writes.
  const args = cliArgs("apply", rig.endpoint.url, ["--concurrency", "2", "--rate", "40"]);
  const run = spawnCli(args, rig.repo.root);
  let puts = 0;
  const deadline = Date.now() + 20_000;
  while (puts < 5 && Date.now() < deadline) {
    await sleep(20);
    puts = (await endpointStats(rig.endpoint.url)).requests.PutAccessPointPolicy ?? 0;
  }
  expect(puts).toBeGreaterThanOrEqual(5);
  process.kill(run.pid, "SIGKILL");
  const killed = await run.done;
  expect(killed.code).toBe(128);
  const halfway = divergence(await endpointState(rig.endpoint.url), COUNT, DELETE_EVERY);
  expect(halfway.length).toBeGreaterThan(0); // the kill really interrupted the run

  const rerun = await runCli(
    cliArgs("apply", rig.endpoint.url, ["--concurrency", "16", "--rate", "200"]),
    {
      cwd: rig.repo.root,
      env: CLI_ENV,
      timeoutMs: 30_000,
    },
  );
  await watcher.stop();
  expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
  expect(divergence(await endpointState(rig.endpoint.url), COUNT, DELETE_EVERY)).toEqual([]);
  expect(watcher.polls).toBeGreaterThan(10);
  expect(mustKeep.filter((name) => watcher.seenWithout.has(name))).toEqual([]);
  // The watcher does see missing policies: the create targets start without one.
  expect(createTargets.filter((name) => watcher.seenWithout.has(name))).toEqual(createTargets);
}, 60_000);
