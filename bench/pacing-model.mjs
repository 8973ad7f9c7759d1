#!/usr/bin/env node
// The rate limiter alone, in virtual time, in issue #23's limited regime: apply reads N access
// points (32 in flight), waits for the plan (`--gap-ms`), then puts and reads back each one;
// every throttled request is retried after full-jitter backoff (200 ms base), as s3ap does. The
// server is the local endpoint's model: a token bucket of `--rate`/s holding `--burst`, refusing
// without spending a token, answering after 20 ms. `--late-ms` makes every timer and answer up to
// that much late (uniform; a busy event loop), `--stall PERIOD,MS` stops the clock's callbacks
// for MS once per PERIOD (GC pauses). Seconds of the whole model in well under a second, so a
// change of the limiter can be weighed before the minutes of `bench/side-by-side.mjs`.
// Figures only; nothing is asserted.
//
// node bench/pacing-model.mjs [--n 10000] [--rate 200] [--burst 20] [--late-ms 3] [--seeds 3]
//   [--gap-ms 250] [--feed 0] [--stall 0,0] [--job apply|plan] [--concurrency 32] [--trace]
//   [--limiter src/aws/rate-limiter.ts] [--baseline OTHER/rate-limiter.ts]
//
// --feed R: the first 2 s of reads are released at R/s (reads fed by validation of the tree).
// --baseline adds another limiter source (e.g. main's, from `git show main:src/aws/rate-limiter.ts`).
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as flush } from "node:timers/promises";
import { parseArgs } from "node:util";
import { buildSync } from "esbuild";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "10000" },
    rate: { type: "string", default: "200" },
    burst: { type: "string", default: "20" },
    "late-ms": { type: "string", default: "3" },
    seeds: { type: "string", default: "3" },
    "gap-ms": { type: "string", default: "250" },
    feed: { type: "string", default: "0" },
    stall: { type: "string", default: "0,0" },
    job: { type: "string", default: "apply" },
    concurrency: { type: "string", default: "32" },
    trace: { type: "boolean", default: false },
    limiter: { type: "string", default: join(import.meta.dirname, "../src/aws/rate-limiter.ts") },
    baseline: { type: "string" },
  },
});
const N = Number(values.n);
const RATE = Number(values.rate);
const BURST = Number(values.burst);
const LATE = Number(values["late-ms"]);
const CONCURRENCY = Number(values.concurrency);
const LATENCY_MS = 20;
const [STALL_EVERY, STALL_MS] = values.stall.split(",").map(Number);

async function loadLimiter(source) {
  const out = join(tmpdir(), `s3ap-pacing-model-${process.pid}-${Math.random()}.mjs`);
  buildSync({ entryPoints: [source], bundle: true, format: "esm", platform: "node", outfile: out });
  try {
    return (await import(out)).RateLimiter;
  } finally {
    rmSync(out, { force: true });
  }
}

/** Timers in virtual time: a binary heap of (at, seq, fire). */
function clock() {
  const heap = [];
  let seq = 0;
  const less = (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const swap = (i, j) => {
    [heap[i], heap[j]] = [heap[j], heap[i]];
  };
  const push = (at, fire) => {
    heap.push({ at, seq: seq++, fire });
    let i = heap.length - 1;
    while (i > 0 && less(heap[i], heap[(i - 1) >> 1])) {
      swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== top) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (l + 1 < heap.length && less(heap[l + 1], heap[m])) m = l + 1;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
    return top;
  };
  return { push, pop, size: () => heap.length };
}

async function model(RateLimiter, seed) {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const timers = clock();
  let now = 0;
  const at = (ms) => new Promise((resolve) => timers.push(ms, resolve));
  const sleep = (ms) => at(now + Math.max(0, ms) + (ms > 0 ? random() * LATE : 0));
  const changes = [];
  const limiter = new RateLimiter({
    now: () => now,
    sleep,
    onRateChange: (rate, reason) => changes.push([now, rate, reason]),
  });
  let tokens = BURST;
  let refilledAt = 0;
  let requests = 0;
  let throttles = 0;
  let firstAt;
  let lastAt = 0;
  const marks = {};
  async function call() {
    for (let attempt = 0; ; attempt++) {
      const ticket = await limiter.acquire();
      const sentAt = now;
      requests++;
      firstAt ??= sentAt;
      tokens = Math.min(BURST, tokens + ((sentAt - refilledAt) * RATE) / 1000);
      refilledAt = sentAt;
      const admitted = tokens >= 1 - 1e-9;
      if (admitted) tokens = Math.max(0, tokens - 1);
      await at(now + LATENCY_MS + random() * LATE);
      if (admitted) {
        limiter.onSuccess(ticket);
        lastAt = now;
        return;
      }
      throttles++;
      limiter.onThrottle(ticket, "SlowDown");
      await sleep(Math.floor(random() * 200 * 2 ** attempt));
    }
  }
  async function pool(count, task) {
    let next = 0;
    const worker = async () => {
      while (next < count) await task(next++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  const feed = Number(values.feed);
  let finished = false;
  void (async () => {
    await pool(N, async (i) => {
      if (feed > 0 && i < 2 * feed && (i * 1000) / feed > now) await at((i * 1000) / feed);
      await call();
    });
    marks.readsEnd = now;
    if (values.job === "apply") {
      await sleep(Number(values["gap-ms"]));
      marks.writesStart = now;
      await pool(N, async () => {
        await call();
        await call();
      });
    }
    finished = true;
  })();
  await flush();
  while (!finished) {
    const timer = timers.pop();
    if (timer === undefined) {
      await flush();
      if (timers.size() === 0) break;
      continue;
    }
    if (STALL_EVERY > 0) {
      const stallAt = Math.floor(timer.at / STALL_EVERY) * STALL_EVERY + STALL_EVERY / 2;
      if (timer.at >= stallAt && timer.at < stallAt + STALL_MS) {
        timers.push(stallAt + STALL_MS, timer.fire);
        continue;
      }
    }
    now = timer.at;
    timer.fire();
    await flush();
  }
  const admitted = requests - throttles;
  return {
    phase: (lastAt - firstAt) / 1000,
    share: admitted / ((RATE * (lastAt - firstAt)) / 1000 + BURST),
    throttled: throttles / requests,
    readsEnd: marks.readsEnd / 1000,
    writes: marks.writesStart === undefined ? undefined : (lastAt - marks.writesStart) / 1000,
    changes,
  };
}

const sources = {
  limiter: values.limiter,
  ...(values.baseline ? { baseline: values.baseline } : {}),
};
const ideal = ((values.job === "apply" ? 3 : 1) * N - BURST) / RATE;
console.log(
  `# pacing model: ${values.job} of ${N.toLocaleString("en")} at ${RATE}/s (burst ${BURST}), ${CONCURRENCY} in flight, ${LATENCY_MS} ms + up to ${LATE} ms late; the server alone needs ${ideal.toFixed(2)} s (without the gap)`,
);
for (const [name, source] of Object.entries(sources)) {
  const RateLimiter = await loadLimiter(source);
  for (let i = 0; i < Number(values.seeds); i++) {
    const r = await model(RateLimiter, 7 + i * 1000);
    console.log(
      `${name.padEnd(8)} seed ${i}: request phase ${r.phase.toFixed(2)} s, ${(r.share * 100).toFixed(2)} % of ${RATE}/s, ${(r.throttled * 100).toFixed(2)} % throttled; reads end ${r.readsEnd.toFixed(2)} s${r.writes !== undefined ? `, writes and read-backs ${r.writes.toFixed(2)} s` : ""}`,
    );
    if (values.trace && i === 0) {
      for (const [t, rate, reason] of r.changes) {
        console.log(`  ${(t / 1000).toFixed(3)} s  ${rate.toFixed(1)}/s  ${reason}`);
      }
    }
  }
}
