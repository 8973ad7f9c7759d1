#!/usr/bin/env node
import { Agent as HttpAgent } from "node:http";
import { pathToFileURL } from "node:url";
// The peers' ways to plan or apply N access point policies, as a process of its own (so its CPU
// and memory are its own, like the s3ap CLI's), with the AWS SDK and at most `--concurrency`
// access points in flight (1 = a sequential loop, 10 = Terraform's default -parallelism), and
// the SDK's own retries: `--retry-mode standard` (Terraform's AWS provider: the SDK's standard
// retryer, max_retries 25 by default) or `adaptive` (the SDK's client-side rate limiter, which
// only starts limiting after the first throttle).
// --job plan: GetAccessPointPolicy of ap-00001..N. --job apply: per access point, read it,
// compare it with the desired policy (the "differs" variant of reconcile-repo.mjs), put it when
// it differs and read it back, as Terraform's refresh, apply and post-apply read do (here all
// three for one access point in a row, which keeps every request slot busy). Prints one JSON
// line of figures.
// --accounts A,B,...: N access points in each of these accounts, taken round robin (default: the
// one bench account). --pace R: send each account's k-th request at k/R s after the start, an
// oracle that knows every account's server limit (no client does); with --concurrency high
// enough this is the floor of one job over many rate-limited accounts for any SDK-based client.
//
// node bench/peer-loop.mjs --client DIR --url URL --n N [--concurrency 10]
//                          [--retry-mode standard|adaptive] [--max-attempts 25] [--job plan|apply]
//                          [--accounts A,B,...] [--pace R]
import { parseArgs } from "node:util";
import {
  GetAccessPointPolicyCommand,
  PutAccessPointPolicyCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ACCOUNT, desiredPolicy, generatedName } from "./reconcile-repo.mjs";

const { values } = parseArgs({
  options: {
    /** Where bench/peer-client.mjs bundled src/aws/endpoint-override.ts and endpoint-cache.ts. */
    client: { type: "string" },
    url: { type: "string" },
    n: { type: "string" },
    concurrency: { type: "string", default: "10" },
    "retry-mode": { type: "string", default: "standard" },
    "max-attempts": { type: "string", default: "25" },
    job: { type: "string", default: "plan" },
    accounts: { type: "string" },
    pace: { type: "string" },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const apply = values.job === "apply";
const accounts = values.accounts?.split(",") ?? [ACCOUNT];
const total = n * accounts.length;
const pace = values.pace === undefined ? undefined : Number(values.pace);
/** Per account, how many requests it has been given a send time for. */
const sent = new Map(accounts.map((a) => [a, 0]));
/** With --pace, wait for this account's next send time. */
async function slot(account) {
  if (pace === undefined) return;
  const k = sent.get(account);
  sent.set(account, k + 1);
  const wait = started + (k * 1000) / pace - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
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
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: Math.max(64, concurrency) }),
  }),
});
pinEndpoint(client, values.url);
cacheEndpoints(client);

let next = 0;
let failed = 0;
let retries = 0;
let written = 0;
const count = (metadata) => {
  retries += (metadata?.attempts ?? 1) - 1;
};

/** The live policy as compact JSON, null when there is none. */
async function read(account, name) {
  await slot(account);
  try {
    const out = await client.send(
      new GetAccessPointPolicyCommand({ AccountId: account, Name: name }),
    );
    count(out.$metadata);
    return JSON.stringify(JSON.parse(out.Policy));
  } catch (error) {
    count(error?.$metadata);
    if (error?.name === "NoSuchAccessPointPolicy") return null;
    throw error;
  }
}

async function one(item) {
  const account = accounts[item % accounts.length];
  const name = generatedName(Math.floor(item / accounts.length));
  const live = await read(account, name);
  if (!apply) return;
  const desired = JSON.stringify(desiredPolicy(account, name, "differs"));
  if (live === desired) return;
  await slot(account);
  const out = await client.send(
    new PutAccessPointPolicyCommand({ AccountId: account, Name: name, Policy: desired }),
  );
  count(out.$metadata);
  if ((await read(account, name)) !== desired) throw new Error(`${name}: read-back differs`);
  written++;
}

const started = performance.now();
async function worker() {
  while (next < total) {
    const i = next++;
    try {
      await one(i);
    } catch {
      failed++;
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage();
client.destroy();
console.log(
  JSON.stringify({
    seconds,
    failed,
    retries,
    written,
    cpuMs: (cpu.user + cpu.system) / 1000,
    n: total,
  }),
);
