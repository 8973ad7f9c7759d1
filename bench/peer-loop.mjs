#!/usr/bin/env node
import { Agent as HttpAgent } from "node:http";
import { pathToFileURL } from "node:url";
// The peers' ways to read N access point policies, as a process of its own (so its CPU is its
// own, like the s3ap CLI's): GetAccessPointPolicy for ap-00001..N with the AWS SDK, at most
// `--concurrency` in flight (1 = a sequential loop, 10 = Terraform's default -parallelism), and
// the SDK's own retries: `--retry-mode standard` (Terraform's AWS provider: the SDK's standard
// retryer, max_retries 25 by default) or `adaptive` (the SDK's client-side rate limiter, which
// only starts limiting after the first throttle). Prints one JSON line of figures.
//
// node bench/peer-loop.mjs --client DIR --url URL --n N [--concurrency 10]
//                          [--retry-mode standard|adaptive] [--max-attempts 25]
import { parseArgs } from "node:util";
import { GetAccessPointPolicyCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ACCOUNT, generatedName } from "./reconcile-repo.mjs";

const { values } = parseArgs({
  options: {
    /** Where bench/defaults.mjs bundled src/aws/endpoint-override.ts and endpoint-cache.ts. */
    client: { type: "string" },
    url: { type: "string" },
    n: { type: "string" },
    concurrency: { type: "string", default: "10" },
    "retry-mode": { type: "string", default: "standard" },
    "max-attempts": { type: "string", default: "25" },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
// s3ap's endpoint pin (so 127.0.0.1 works) and endpoint cache; the SDK's own retries, as the
// peers use them.
const aws = (file) => import(pathToFileURL(`${values.client}/${file}.js`).href);
const { pinEndpoint } = await aws("endpoint-override");
const { cacheEndpoints } = await aws("endpoint-cache");
const client = new S3ControlClient({
  region: "us-east-1",
  maxAttempts: Number(values["max-attempts"]),
  retryMode: values["retry-mode"],
  requestHandler: new NodeHttpHandler({
    requestTimeout: 10_000,
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  }),
});
cacheEndpoints(client);
pinEndpoint(client, values.url);

let next = 0;
let failed = 0;
let retries = 0;
const started = performance.now();
async function worker() {
  while (next < n) {
    const i = next++;
    try {
      const out = await client.send(
        new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: generatedName(i) }),
      );
      retries += (out.$metadata.attempts ?? 1) - 1;
    } catch (error) {
      if (error?.name !== "NoSuchAccessPointPolicy") failed++;
      retries += (error?.$metadata?.attempts ?? 1) - 1;
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage();
client.destroy();
console.log(JSON.stringify({ seconds, failed, retries, cpuMs: (cpu.user + cpu.system) / 1000, n }));
