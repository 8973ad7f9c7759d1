#!/usr/bin/env node
// Throughput of the local endpoint as a separate process (not a test: prints figures).
// Usage: node scripts/build.mjs .build/test-dist && node test/local-endpoint/throughput.mjs
//        [--runs 5] [--seconds 3] [--concurrency 64] [--latency-ms 20]
// Drives GetAccessPointPolicy over keep-alive connections and reports, per configuration,
// the median and spread of requests/s and the server's CPU use per request.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    seconds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "64" },
    "latency-ms": { type: "string", default: "20" },
    bundle: {
      type: "string",
      default: join(import.meta.dirname, "..", "..", ".build", "test-dist", "local-endpoint.js"),
    },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const N = 1000;

function start(flags) {
  const child = spawn(
    process.execPath,
    [values.bundle, "--port", "0", "--seed-access-points", String(N), ...flags],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("exit", (code) => reject(new Error(`endpoint exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: new URL(m[1]) });
    });
  });
}

/** CPU seconds (user + system) of a process, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function drive(url, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = performance.now() + ms;
  let ok = 0;
  let throttled = 0;
  let other = 0;
  const one = (i) =>
    new Promise((resolve) => {
      const name = `ap-${String((i % N) + 1).padStart(5, "0")}`;
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: `/v20180820/accesspoint/${name}/policy`,
          headers: { "x-amz-account-id": "111122223333" },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode === 200) ok++;
            else if (res.statusCode === 503) throttled++;
            else other++;
            resolve();
          });
        },
      );
      req.on("error", () => {
        other++;
        resolve();
      });
      req.end();
    });
  let counter = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await one(counter++);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok: ok / elapsed, throttled: throttled / elapsed, other };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(0).padStart(6);

const configs = [
  {
    label: `latency ${values["latency-ms"]} ms, no limit`,
    flags: ["--latency-ms", values["latency-ms"]],
  },
  {
    label: `latency ${values["latency-ms"]} ms, --rate 500`,
    flags: ["--latency-ms", values["latency-ms"], "--rate", "500"],
  },
  { label: "no latency, no limit (raw capacity)", flags: [] },
];

console.log(
  `local endpoint throughput: ${runs} runs x ${seconds} s, concurrency ${concurrency}, ${N} seeded access points`,
);
for (const config of configs) {
  const { child, url } = await start(config.flags);
  await drive(url, 500); // warm-up
  const okRates = [];
  const cpuPerReq = [];
  let throttled = 0;
  let errors = 0;
  for (let r = 0; r < runs; r++) {
    const cpuBefore = cpuSeconds(child.pid);
    const result = await drive(url, seconds * 1000);
    const cpu = cpuSeconds(child.pid) - cpuBefore;
    okRates.push(result.ok);
    cpuPerReq.push((cpu * 1e6) / ((result.ok + result.throttled) * seconds));
    throttled += result.throttled;
    errors += result.other;
  }
  console.log(
    `${config.label.padEnd(40)} answered 200: median ${fmt(median(okRates))} req/s (min ${fmt(Math.min(...okRates))}, max ${fmt(Math.max(...okRates))}); ` +
      `503/s avg ${fmt(throttled / runs)}; server CPU ${median(cpuPerReq).toFixed(0)} µs/request; errors ${errors}`,
  );
  child.removeAllListeners("exit");
  child.kill("SIGTERM");
}
