// The local S3 Control endpoint as a separate process, and a poller of its request counters
// that finds when the requests of a run started and ended (the request phase, without the
// CLI's start-up, git and validation time).
import { spawn } from "node:child_process";
import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export function startEndpoint(bundleDir, flags) {
  const child = spawn(
    process.execPath,
    [`${bundleDir}/local-endpoint.js`, "--port", "0", "--host", "127.0.0.1", ...flags],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const onExit = (code) => reject(new Error(`local endpoint exited with ${code}`));
    child.on("exit", onExit);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      child.off("exit", onExit);
      const url = match[1];
      resolve({
        url,
        port: Number(new URL(url).port),
        pid: child.pid,
        stats: async () => JSON.parse(await admin(`${url}/__local/stats`, "GET")),
        state: async () => JSON.parse(await admin(`${url}/__local/state`, "GET")),
        reset: () => admin(`${url}/__local/reset`, "POST"),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** Samples the endpoint's counters every `intervalMs` until stop(), which returns them. */
export function pollStats(endpoint, intervalMs = 20) {
  const samples = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push({ t: performance.now(), stats: await endpoint.stats() });
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      samples.push({ t: performance.now(), stats: await endpoint.stats() });
      return samples;
    },
  };
}

const writesOf = (stats) =>
  (stats.requests.PutAccessPointPolicy ?? 0) + (stats.requests.DeleteAccessPointPolicy ?? 0);

/** Middle of the gap before the first sample that satisfies `reached` (one interval of error). */
function crossing(samples, reached) {
  const i = samples.findIndex((s) => reached(s.stats));
  if (i < 0) return undefined;
  return i === 0 ? samples[0].t : (samples[i - 1].t + samples[i].t) / 2;
}

/**
 * The run's request phase: from its first request to its last answer, with the requests
 * answered in it (all of them, and the admitted ones that were not throttled).
 */
export function requestPhase(samples) {
  const final = samples.at(-1).stats;
  const start = crossing(samples, (s) => s.total > 0);
  const end = crossing(samples, (s) => s.total >= final.total);
  return {
    seconds: (end - start) / 1000,
    requests: final.total,
    admitted: final.total - final.throttled,
    final,
  };
}

/** From the first write to the last answer (writes and their read-backs). */
export function writePhase(samples) {
  const final = samples.at(-1).stats;
  const i = samples.findIndex((s) => writesOf(s.stats) > 0);
  const before = i <= 0 ? samples[0].stats : samples[i - 1].stats;
  const start = crossing(samples, (s) => writesOf(s) > 0);
  const end = crossing(samples, (s) => s.total >= final.total);
  const requests = final.total - before.total;
  const admitted = requests - (final.throttled - before.throttled);
  return { seconds: (end - start) / 1000, requests, admitted, writes: writesOf(final) };
}

// A fresh connection per admin call: a run of s3ap between two calls outlasts the server's
// keep-alive timeout, and a pooled fetch connection closed at that moment fails the bench
// ("other side closed") although the endpoint is fine.
function admin(url, method) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        response.statusCode === 200
          ? resolve(body)
          : reject(new Error(`${method} ${url}: HTTP ${response.statusCode} ${body}`)),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
