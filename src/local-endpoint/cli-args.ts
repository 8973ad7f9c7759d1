// Command-line flags of `node dist/local-endpoint.js` mapped onto LocalEndpointOptions.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { LocalEndpointOptions } from "./options.js";
import { parseSeedDocument } from "./seed.js";

export const USAGE = `Usage: node dist/local-endpoint.js [options]

A local S3 Control endpoint (access point policy subset, directory-bucket access points and
their scopes included) for s3ap, with fault knobs.

  --host HOST                 listen address (default 127.0.0.1: loopback only)
  --port N                    port (default 0: any free port)
  --region REGION             region when a request is not SigV4-signed (default us-east-1)
  --latency-ms N              fixed latency per request
  --jitter-ms N               extra random latency in [0, N)
  --rate R                    admit at most R requests/s, answer the rest 503 SlowDown
  --burst N                   token bucket size for --rate (default R/20)
  --account-rate R            admit at most R requests/s per account (each its own bucket)
  --error-rate F              fraction of requests answered 500 InternalError
  --drop-rate F               fraction of connections destroyed without an answer
  --slow-rate F               fraction of requests answered only after --slow-ms
  --slow-ms N|hang            delay of a slow response (default 30000; hang = never answer)
  --seed N                    seed of every random decision (default 1)
  --seed-access-points N      generate N access points per account (ap-00001, ...)
  --seed-accounts A,B         accounts for generated access points (default 111122223333)
  --seed-policy-fraction F    fraction of generated access points with a policy (default 1)
  --seed-file FILE            JSON { accessPoints: [{ accountId, region?, name, bucket, policy?,
                              scope?: { prefixes, permissions }, dataSource?: { type, id } }] }
                              (a name ending in --xa-s3 is a directory-bucket access point;
                              one with a dataSource is listed only with DataSourceType ALL)
  --deny NAME                 answer 403 AccessDenied for this access point (repeatable)
  -h, --help                  show this help

Admin routes (plain HTTP on the same port, never signed):
  POST /__local/reset         back to the seeded state; clears stats and fault counters
                              (also POST /moto-api/reset, as moto server answers it)
  GET  /__local/state         every access point and its policy text, as JSON
  GET  /__local/stats         request, throttle and fault counts, as JSON
  POST /__local/seed          add or replace access points: a body like --seed-file's JSON
  POST /__local/cloudtrail    replay CloudTrail records through LookupEvents (X-Amz-Target
                              CloudTrail_20131101.LookupEvents on this port, 2 requests/s per
                              region): { "events": [records], "denied": false }
`;

function number(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`--${flag} expects a number, got "${raw}"`);
  }
  return value;
}

export type ParsedArgs = { help: true } | { help: false; options: LocalEndpointOptions };

export function parseEndpointArgs(argv: string[]): ParsedArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      region: { type: "string" },
      "latency-ms": { type: "string" },
      "jitter-ms": { type: "string" },
      rate: { type: "string" },
      burst: { type: "string" },
      "account-rate": { type: "string" },
      "error-rate": { type: "string" },
      "drop-rate": { type: "string" },
      "slow-rate": { type: "string" },
      "slow-ms": { type: "string" },
      seed: { type: "string" },
      "seed-access-points": { type: "string" },
      "seed-accounts": { type: "string" },
      "seed-policy-fraction": { type: "string" },
      "seed-file": { type: "string" },
      deny: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  const options: LocalEndpointOptions = {};
  const set = <K extends keyof LocalEndpointOptions>(key: K, value: LocalEndpointOptions[K]) => {
    if (value !== undefined) options[key] = value;
  };
  set("host", values.host);
  set("port", number("port", values.port));
  set("defaultRegion", values.region);
  set("latencyMs", number("latency-ms", values["latency-ms"]));
  set("jitterMs", number("jitter-ms", values["jitter-ms"]));
  set("rate", number("rate", values.rate));
  set("burst", number("burst", values.burst));
  set("accountRate", number("account-rate", values["account-rate"]));
  set("errorRate", number("error-rate", values["error-rate"]));
  set("dropRate", number("drop-rate", values["drop-rate"]));
  set("slowRate", number("slow-rate", values["slow-rate"]));
  const slow = values["slow-ms"];
  set("slowMs", slow === "hang" ? Number.POSITIVE_INFINITY : number("slow-ms", slow));
  set("seed", number("seed", values.seed));
  const count = number("seed-access-points", values["seed-access-points"]);
  if (count !== undefined) {
    const fractionValue = number("seed-policy-fraction", values["seed-policy-fraction"]);
    options.seedAccessPoints = {
      count,
      ...(values["seed-accounts"] ? { accounts: values["seed-accounts"].split(",") } : {}),
      ...(fractionValue !== undefined ? { policyFraction: fractionValue } : {}),
    };
  }
  if (values["seed-file"]) {
    const file = values["seed-file"];
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`--seed-file ${file}: ${(error as Error).message}`);
    }
    try {
      options.seedDocument = parseSeedDocument(parsed);
    } catch (error) {
      throw new Error(`--seed-file ${file}: ${(error as Error).message}`);
    }
  }
  if (values.deny) options.denyAccessPoints = values.deny.flatMap((d) => d.split(","));
  return { help: false, options };
}
