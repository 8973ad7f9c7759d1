import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);

// src/local-endpoint/cli-args.ts
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

// src/access-point/account-id.ts
var ACCOUNT_ID_PATTERN = "\\d{12}";
var ACCOUNT_ID = new RegExp(`^${ACCOUNT_ID_PATTERN}$`);
function isAccountId(value) {
  return typeof value === "string" && ACCOUNT_ID.test(value);
}

// src/access-point/kind.ts
var MULTI_REGION = "multi-region";
var DIRECTORY_SUFFIX = "--xa-s3";
function kindOf(ref) {
  if (ref.outpostId !== void 0) return "outposts";
  if (ref.region === MULTI_REGION) return "multi-region";
  if (ref.name.endsWith(DIRECTORY_SUFFIX)) return "directory";
  return "general";
}

// src/access-point/arn.ts
function partitionOf(region) {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}
function accessPointArn(ref) {
  const partition = partitionOf(ref.region);
  switch (kindOf(ref)) {
    case "outposts":
      return arnOf(
        partition,
        "s3-outposts",
        ref.region,
        ref.accountId,
        `outpost/${ref.outpostId}/accesspoint/${ref.name}`
      );
    case "multi-region":
      if (ref.alias === void 0) {
        throw new Error(`the Multi-Region Access Point ${ref.name} has no alias to name its ARN`);
      }
      return arnOf(partition, "s3", "", ref.accountId, `accesspoint/${ref.alias}`);
    case "directory":
      return arnOf(partition, "s3express", ref.region, ref.accountId, `accesspoint/${ref.name}`);
    case "general":
      return arnOf(partition, "s3", ref.region, ref.accountId, `accesspoint/${ref.name}`);
  }
}
function arnOf(partition, service, region, accountId, resource) {
  return ["arn", partition, service, region, accountId, resource].join(":");
}

// src/local-endpoint/prng.ts
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function hash32(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

// src/local-endpoint/seed.ts
var DEFAULT_SEED_ACCOUNT = "111122223333";
function generatedName(index) {
  return `ap-${String(index + 1).padStart(5, "0")}`;
}
function generatedPolicy(accountId, region, name) {
  const arn = accessPointArn({ accountId, region, name });
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SeedRead",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:role/seed-reader` },
        Action: "s3:GetObject",
        Resource: `${arn}/object/*`
      }
    ]
  });
}
function loadGenerated(store, spec, defaultRegion, seed) {
  const region = spec.region ?? defaultRegion;
  const fraction2 = spec.policyFraction ?? 1;
  for (const accountId of spec.accounts ?? [DEFAULT_SEED_ACCOUNT]) {
    for (let i = 0; i < spec.count; i++) {
      const name = generatedName(i);
      const draw = mulberry32(hash32(`${seed}|seed|${accountId}|${name}`))();
      const policy = draw < fraction2 ? generatedPolicy(accountId, region, name) : null;
      store.put({ accountId, region }, name, `seed-bucket-${accountId}`, { policy });
    }
  }
}
function policyText(policy) {
  if (policy === void 0 || policy === null) return null;
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}
function loadDocument(store, doc, defaultRegion) {
  for (const ap of doc.accessPoints) {
    const ns = {
      accountId: ap.accountId,
      region: ap.region ?? defaultRegion,
      ...ap.outpostId !== void 0 ? { outpostId: ap.outpostId } : {}
    };
    store.put(ns, ap.name, ap.bucket, {
      policy: policyText(ap.policy),
      scope: ap.scope ?? null,
      dataSource: ap.dataSource
    });
  }
  return doc.accessPoints.length;
}
function parseSeedDocument(value) {
  const list = value?.accessPoints;
  if (!Array.isArray(list)) throw new Error("seed must be an object with an accessPoints array");
  list.forEach((item, i) => {
    const ap = item;
    const where = `accessPoints[${i}]`;
    if (ap === null || typeof ap !== "object") throw new Error(`${where} must be an object`);
    if (!isAccountId(ap.accountId)) {
      throw new Error(`${where}.accountId must be a string of 12 digits`);
    }
    for (const key of ["name", "bucket"]) {
      if (typeof ap[key] !== "string" || ap[key] === "") {
        throw new Error(`${where}.${key} must be a non-empty string`);
      }
    }
    for (const key of ["region", "outpostId"]) {
      if (ap[key] !== void 0 && typeof ap[key] !== "string") {
        throw new Error(`${where}.${key} must be a string`);
      }
    }
    if (ap.scope !== void 0 && ap.scope !== null) {
      const scope = ap.scope;
      for (const key of ["prefixes", "permissions"]) {
        const list2 = scope[key];
        if (!Array.isArray(list2) || list2.some((item2) => typeof item2 !== "string")) {
          throw new Error(`${where}.scope.${key} must be an array of strings`);
        }
      }
    }
    if (ap.dataSource !== void 0) {
      const source = ap.dataSource;
      if (typeof source?.type !== "string" || typeof source.id !== "string") {
        throw new Error(`${where}.dataSource must be { type, id } with string values`);
      }
    }
    const p = ap.policy;
    if (p !== void 0 && p !== null && typeof p !== "string" && typeof p !== "object") {
      throw new Error(`${where}.policy must be a string, an object or null`);
    }
  });
  return value;
}

// src/local-endpoint/cli-args.ts
var USAGE = `Usage: node dist/local-endpoint.js [options]

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
function number(flag, raw) {
  if (raw === void 0) return void 0;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`--${flag} expects a number, got "${raw}"`);
  }
  return value;
}
function parseEndpointArgs(argv) {
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
      help: { type: "boolean", short: "h" }
    }
  });
  if (values.help) return { help: true };
  const options = {};
  const set = (key, value) => {
    if (value !== void 0) options[key] = value;
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
  if (count !== void 0) {
    const fractionValue = number("seed-policy-fraction", values["seed-policy-fraction"]);
    options.seedAccessPoints = {
      count,
      ...values["seed-accounts"] ? { accounts: values["seed-accounts"].split(",") } : {},
      ...fractionValue !== void 0 ? { policyFraction: fractionValue } : {}
    };
  }
  if (values["seed-file"]) {
    const file = values["seed-file"];
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`--seed-file ${file}: ${error.message}`);
    }
    try {
      options.seedDocument = parseSeedDocument(parsed);
    } catch (error) {
      throw new Error(`--seed-file ${file}: ${error.message}`);
    }
  }
  if (values.deny) options.denyAccessPoints = values.deny.flatMap((d) => d.split(","));
  return { help: false, options };
}

// src/local-endpoint/server.ts
import { createServer } from "node:http";

// src/local-endpoint/service-error.ts
var ServiceError = class extends Error {
  constructor(code, status, message, extra = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
  code;
  status;
  extra;
};
var noSuchAccessPoint = (name) => new ServiceError("NoSuchAccessPoint", 404, "The specified accesspoint does not exist", {
  AccessPointName: name
});
var noSuchAccessPointPolicy = (name) => new ServiceError(
  "NoSuchAccessPointPolicy",
  404,
  "The specified accesspoint policy does not exist",
  { AccessPointName: name }
);

// src/local-endpoint/xml.ts
var S3_CONTROL_XMLNS = "http://awss3control.amazonaws.com/doc/2018-08-20/";
var ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;"
};
function escapeXml(text) {
  return text.replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? ch);
}
var NAMED_ENTITIES = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'"
};
function unescapeXml(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? whole;
  });
}
function elementText(xml, tag) {
  const open = new RegExp(`<${tag}(\\s[^>]*)?(/?)>`);
  const match = open.exec(xml);
  if (!match) return void 0;
  if (match[2] === "/") return "";
  const start = match.index + match[0].length;
  const end = xml.indexOf(`</${tag}>`, start);
  if (end < 0) return void 0;
  const inner = xml.slice(start, end);
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(inner);
  return cdata ? cdata[1] ?? "" : unescapeXml(inner);
}
function elementTexts(xml, tag) {
  const texts = [];
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([^<]*)</${tag}>)`, "g");
  for (const match of xml.matchAll(pattern)) texts.push(unescapeXml(match[1] ?? ""));
  return texts;
}
function el(tag, value) {
  if (value === void 0) return "";
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}
function responseDocument(root, inner) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${S3_CONTROL_XMLNS}">${inner}</${root}>`;
}
function errorDocument(code, message, requestId, extra = {}) {
  const type = code === "InternalError" || code === "SlowDown" ? "Receiver" : "Sender";
  const extras = Object.entries(extra).map(([k, v]) => el(k, v)).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="${S3_CONTROL_XMLNS}"><Error>${el("Type", type)}${el("Code", code)}${el("Message", message)}${extras}</Error>${el("RequestId", requestId)}${el("HostId", requestId)}</ErrorResponse>`;
}

// src/local-endpoint/http-io.ts
var MAX_BODY_BYTES = 1024 * 1024;
function signedRegion(req) {
  const auth = req.headers.authorization;
  if (typeof auth !== "string") return void 0;
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1];
}
function signedService(req) {
  const auth = req.headers.authorization;
  if (typeof auth !== "string") return void 0;
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1];
}
function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError("MaxMessageLengthExceeded", 400, "Your request was too big."));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
function sendXml(res, status, body, requestId) {
  if (res.destroyed || res.writableEnded) return;
  const headers = {
    "x-amz-request-id": requestId,
    "x-amz-id-2": Buffer.from(requestId).toString("base64"),
    server: "AmazonS3",
    "content-length": Buffer.byteLength(body)
  };
  if (body !== "") headers["content-type"] = "application/xml";
  res.writeHead(status, headers);
  res.end(body);
}
function sendError(res, error, requestId) {
  sendXml(
    res,
    error.status,
    errorDocument(error.code, error.message, requestId, error.extra),
    requestId
  );
}
function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body)
  });
  res.end(body);
}
var DelayedAnswers = class {
  timers = /* @__PURE__ */ new Set();
  later(ms, res, fn) {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    res.once("close", () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }
  cancelAll() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
};

// src/local-endpoint/admin-routes.ts
function isAdminPath(path) {
  return path.startsWith("/__local/") || path.startsWith("/moto-api/");
}
async function handleAdmin(state, req, res, path) {
  const method = req.method ?? "GET";
  if ((path === "/__local/reset" || path === "/moto-api/reset") && method === "POST") {
    await readBody(req);
    state.reset();
    sendJson(res, 200, { status: "ok" });
  } else if (path === "/__local/stats" && method === "GET") {
    sendJson(res, 200, state.stats());
  } else if (path === "/__local/state" && method === "GET") {
    sendJson(res, 200, state.state());
  } else if (path === "/__local/seed" && method === "POST") {
    try {
      const doc = parseSeedDocument(JSON.parse(await readBody(req)));
      sendJson(res, 200, { seeded: state.seed(doc) });
    } catch (error) {
      sendJson(res, 400, { error: error.message });
    }
  } else if (path === "/__local/cloudtrail" && method === "POST") {
    try {
      const doc = JSON.parse(await readBody(req));
      if (!Array.isArray(doc.events)) throw new Error('the body needs "events": a list of records');
      if (typeof doc.denied === "boolean") state.cloudTrail.denied = doc.denied;
      sendJson(res, 200, { replayed: state.cloudTrail.replay(doc.events) });
    } catch (error) {
      sendJson(res, 400, { error: error.message });
    }
  } else {
    sendJson(res, 404, { error: `no admin endpoint ${method} ${path}` });
  }
}

// src/local-endpoint/token-bucket.ts
var TokenBucket = class {
  constructor(rate, burst, now = () => performance.now()) {
    this.rate = rate;
    this.burst = burst;
    this.now = now;
    this.tokens = burst;
    this.last = now();
  }
  rate;
  burst;
  now;
  tokens;
  last;
  /** Takes one token if there is one; false means the request should be throttled. */
  tryTake() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.rate / 1e3);
    this.last = t;
    if (this.tokens >= 1 - 1e-9) {
      this.tokens = Math.max(0, this.tokens - 1);
      return true;
    }
    return false;
  }
};

// src/local-endpoint/cloudtrail.ts
var CLOUDTRAIL_TARGET_PREFIX = "CloudTrail_20131101.";
var LOOKUP_EVENTS_PER_SECOND = 2;
var ATTRIBUTE_KEYS = /* @__PURE__ */ new Set([
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId"
]);
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var LookupError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  code;
};
var CloudTrailStandIn = class {
  events = [];
  limiters = /* @__PURE__ */ new Map();
  denied = false;
  stats = { requests: 0, throttled: 0 };
  reset() {
    this.events = [];
    this.limiters.clear();
    this.denied = false;
    this.stats = { requests: 0, throttled: 0 };
  }
  /** Adds recorded events (CloudTrail records as a trail delivers them); returns how many. */
  replay(records) {
    for (const record of records) {
      if (!isObject(record)) throw new Error("each event must be a CloudTrail record (an object)");
      const time = Date.parse(String(record.eventTime));
      if (Number.isNaN(time)) throw new Error(`event ${String(record.eventID)} has no eventTime`);
      const region = typeof record.awsRegion === "string" ? record.awsRegion : "us-east-1";
      this.events.push({ record, time, region });
    }
    return records.length;
  }
  async handle(req, res) {
    const body = await readBody(req);
    this.stats.requests++;
    const target = header(req, "x-amz-target") ?? "";
    const region = signedRegion(req) ?? "us-east-1";
    const send = (status, payload) => {
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        "content-type": "application/x-amz-json-1.1",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": `ct-${this.stats.requests}`
      });
      res.end(text);
    };
    const fail = (status, code, message) => send(status, { __type: code, message });
    if (target !== `${CLOUDTRAIL_TARGET_PREFIX}LookupEvents`) {
      fail(
        400,
        "UnknownOperationException",
        `this stand-in serves LookupEvents only, not ${target}`
      );
      return;
    }
    let limiter = this.limiters.get(region);
    if (limiter === void 0) {
      limiter = new TokenBucket(LOOKUP_EVENTS_PER_SECOND, LOOKUP_EVENTS_PER_SECOND);
      this.limiters.set(region, limiter);
    }
    if (!limiter.tryTake()) {
      this.stats.throttled++;
      fail(400, "ThrottlingException", "Rate exceeded");
      return;
    }
    if (this.denied) {
      fail(
        400,
        "AccessDeniedException",
        "User is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action"
      );
      return;
    }
    try {
      send(200, this.lookup(region, JSON.parse(body === "" ? "{}" : body)));
    } catch (error) {
      if (error instanceof LookupError) fail(400, error.code, error.message);
      else fail(400, "SerializationException", error.message);
    }
  }
  lookup(region, request) {
    const attributes = Array.isArray(request.LookupAttributes) ? request.LookupAttributes : [];
    if (attributes.length > 1) {
      throw new LookupError(
        "InvalidLookupAttributesException",
        "You cannot specify more than one lookup attribute"
      );
    }
    const attribute = attributes[0];
    if (attribute !== void 0 && !(isObject(attribute) && ATTRIBUTE_KEYS.has(String(attribute.AttributeKey)))) {
      throw new LookupError("InvalidLookupAttributesException", "Invalid AttributeKey");
    }
    const max = request.MaxResults === void 0 ? 50 : Number(request.MaxResults);
    if (!(Number.isInteger(max) && max >= 1 && max <= 50)) {
      throw new LookupError("InvalidMaxResultsException", "MaxResults must be between 1 and 50");
    }
    const start = request.StartTime === void 0 ? -Infinity : Number(request.StartTime) * 1e3;
    const end = request.EndTime === void 0 ? Infinity : Number(request.EndTime) * 1e3;
    if (start > end) {
      throw new LookupError("InvalidTimeRangeException", "StartTime is after EndTime");
    }
    const matching = this.events.filter((e) => e.region === region && e.time >= start && e.time <= end).map((e) => lookupEvent(e)).filter((e) => attribute === void 0 || matches(e, attribute)).sort((a, b) => Number(b.EventTime) - Number(a.EventTime));
    const query = JSON.stringify([attribute ?? null, start, end, region]);
    const offset = request.NextToken === void 0 ? 0 : tokenOffset(String(request.NextToken), query);
    const page = matching.slice(offset, offset + max);
    const next = offset + max < matching.length ? makeToken(offset + max, query) : void 0;
    return { Events: page, ...next !== void 0 ? { NextToken: next } : {} };
  }
};
function makeToken(offset, query) {
  return Buffer.from(JSON.stringify([offset, query])).toString("base64");
}
function tokenOffset(token, query) {
  try {
    const [offset, of] = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    if (typeof offset === "number" && of === query) return offset;
  } catch {
  }
  throw new LookupError("InvalidNextTokenException", "Invalid NextToken");
}
function lookupEvent(e) {
  const r = e.record;
  const identity = isObject(r.userIdentity) ? r.userIdentity : {};
  const arn = typeof identity.arn === "string" ? identity.arn : "";
  const username = typeof identity.userName === "string" ? identity.userName : arn.split("/").pop() ?? "";
  const resources = Array.isArray(r.resources) ? r.resources.filter(isObject) : [];
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly === true),
    ...typeof identity.accessKeyId === "string" ? { AccessKeyId: identity.accessKeyId } : {},
    EventTime: e.time / 1e3,
    EventSource: r.eventSource,
    ...username !== "" ? { Username: username } : {},
    Resources: resources.map((res) => ({ ResourceType: res.type, ResourceName: res.ARN })),
    CloudTrailEvent: JSON.stringify(r)
  };
}
function matches(event, attribute) {
  const value = String(attribute.AttributeValue);
  switch (attribute.AttributeKey) {
    case "ResourceName":
      return event.Resources.some((r) => r.ResourceName === value);
    case "ResourceType":
      return event.Resources.some((r) => r.ResourceType === value);
    default:
      return String(event[String(attribute.AttributeKey)]) === value;
  }
}

// src/local-endpoint/faults.ts
var FaultPlanner = class {
  constructor(settings) {
    this.settings = settings;
  }
  settings;
  seen = /* @__PURE__ */ new Map();
  decide(identity) {
    const n = this.seen.get(identity) ?? 0;
    this.seen.set(identity, n + 1);
    const s = this.settings;
    const random = mulberry32(hash32(`${s.seed}|${identity}|${n}`));
    const faultDraw = random();
    const jitter = s.jitterMs > 0 ? random() * s.jitterMs : 0;
    const delayMs = s.latencyMs + jitter;
    let fault = "none";
    if (faultDraw < s.dropRate) fault = "drop";
    else if (faultDraw < s.dropRate + s.slowRate) fault = "slow";
    else if (faultDraw < s.dropRate + s.slowRate + s.errorRate) fault = "error";
    return { fault, delayMs };
  }
  reset() {
    this.seen.clear();
  }
};

// src/local-endpoint/store.ts
import { createHash } from "node:crypto";
function namespaceKey(ns) {
  return `${ns.accountId}|${ns.region}|${ns.outpostId ?? ""}`;
}
function aliasFor(ns, name) {
  const digest = createHash("sha256").update(`${namespaceKey(ns)}|${name}`).digest("hex").slice(0, 34);
  return `${name}-${digest}-s3alias`;
}
var Bucketed = class {
  byName = /* @__PURE__ */ new Map();
  sorted;
  sortedList() {
    this.sorted ??= [...this.byName.values()].sort(
      (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    return this.sorted;
  }
  invalidate() {
    this.sorted = void 0;
  }
};
var AccessPointStore = class {
  namespaces = /* @__PURE__ */ new Map();
  policyCount = 0;
  space(ns, create) {
    const key = namespaceKey(ns);
    let space = this.namespaces.get(key);
    if (!space && create) {
      space = new Bucketed();
      this.namespaces.set(key, space);
    }
    return space;
  }
  get(ns, name) {
    return this.space(ns, false)?.byName.get(name);
  }
  /** Creates (or, for seeding, replaces) an access point; returns the stored record. */
  put(ns, name, bucket, details = {}) {
    const { policy = null, vpcId, scope = null, dataSource } = details;
    const space = this.space(ns, true);
    const previous = space.byName.get(name);
    if (previous?.policy != null) this.policyCount--;
    const ref = { accountId: ns.accountId, region: ns.region, name };
    const record = {
      accountId: ns.accountId,
      region: ns.region,
      ...ns.outpostId !== void 0 ? { outpostId: ns.outpostId } : {},
      name,
      bucket,
      arn: accessPointArn(ns.outpostId !== void 0 ? { ...ref, outpostId: ns.outpostId } : ref),
      alias: aliasFor(ns, name),
      ...vpcId !== void 0 ? { vpcId } : {},
      createdAt: (/* @__PURE__ */ new Date()).toISOString(),
      policy,
      scope,
      ...dataSource !== void 0 ? { dataSource } : {}
    };
    if (policy !== null) this.policyCount++;
    space.byName.set(name, record);
    space.invalidate();
    return record;
  }
  delete(ns, name) {
    const space = this.space(ns, false);
    const record = space?.byName.get(name);
    if (!space || !record) return false;
    if (record.policy !== null) this.policyCount--;
    space.byName.delete(name);
    space.invalidate();
    return true;
  }
  setPolicy(record, policy) {
    if (record.policy !== null) this.policyCount--;
    if (policy !== null) this.policyCount++;
    record.policy = policy;
  }
  /** Access points of a namespace in name order (AWS pages in a stable order). */
  list(ns) {
    return this.space(ns, false)?.sortedList() ?? [];
  }
  clear() {
    this.namespaces.clear();
    this.policyCount = 0;
  }
  get accessPoints() {
    let n = 0;
    for (const space of this.namespaces.values()) n += space.byName.size;
    return n;
  }
  get policies() {
    return this.policyCount;
  }
  snapshot() {
    const out = [];
    for (const space of this.namespaces.values()) {
      for (const ap of space.sortedList()) {
        out.push({
          accountId: ap.accountId,
          region: ap.region,
          ...ap.outpostId !== void 0 ? { outpostId: ap.outpostId } : {},
          name: ap.name,
          bucket: ap.bucket,
          arn: ap.arn,
          policy: ap.policy,
          ...ap.scope !== null ? { scope: ap.scope } : {},
          ...ap.dataSource !== void 0 ? { dataSource: ap.dataSource } : {}
        });
      }
    }
    return out;
  }
};

// src/local-endpoint/endpoint-state.ts
var DEFAULT_REGION = "us-east-1";
function fraction(value, flag) {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`${flag} must be between 0 and 1, got ${value}`);
  return v;
}
function emptyCounters() {
  return {
    total: 0,
    requests: {},
    throttled: 0,
    faults: { error: 0, drop: 0, slow: 0, denied: 0 }
  };
}
var EndpointState = class {
  constructor(options) {
    this.options = options;
    this.defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
    this.rate = options.rate ?? 0;
    if (!(this.rate >= 0)) throw new Error(`rate must be >= 0, got ${this.rate}`);
    this.burst = options.burst ?? Math.max(1, Math.ceil(this.rate / 20));
    this.accountRate = options.accountRate ?? 0;
    if (!(this.accountRate >= 0)) {
      throw new Error(`accountRate must be >= 0, got ${this.accountRate}`);
    }
    this.slowMs = options.slowMs ?? 3e4;
    this.fixedLatencyMs = options.latencyMs ?? 0;
    this.denied = new Set(options.denyAccessPoints ?? []);
    this.planner = new FaultPlanner({
      seed: options.seed ?? 1,
      latencyMs: options.latencyMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
      errorRate: fraction(options.errorRate, "errorRate"),
      dropRate: fraction(options.dropRate, "dropRate"),
      slowRate: fraction(options.slowRate, "slowRate")
    });
    this.reset();
  }
  options;
  store = new AccessPointStore();
  cloudTrail = new CloudTrailStandIn();
  planner;
  defaultRegion;
  fixedLatencyMs;
  slowMs;
  denied;
  counters = emptyCounters();
  limiter;
  accountLimiters = /* @__PURE__ */ new Map();
  accountRate;
  rate;
  burst;
  requestCounter = 0;
  requestIdBase = Date.now() * 1e3 % 1099511627775;
  /** Back to the seeded state; clears stats, the rate limit and the fault replay counters. */
  reset() {
    this.store.clear();
    this.cloudTrail.reset();
    this.planner.reset();
    this.counters = emptyCounters();
    this.limiter = this.rate > 0 ? new TokenBucket(this.rate, this.burst) : void 0;
    this.accountLimiters = /* @__PURE__ */ new Map();
    const { seedAccessPoints, seedDocument } = this.options;
    if (seedAccessPoints) {
      loadGenerated(this.store, seedAccessPoints, this.defaultRegion, this.options.seed ?? 1);
    }
    if (seedDocument) loadDocument(this.store, seedDocument, this.defaultRegion);
  }
  /** Whether the account's own bucket (accountRate) admits one more request; true without one. */
  admitsAccount(accountId) {
    if (this.accountRate <= 0) return true;
    let bucket = this.accountLimiters.get(accountId);
    if (bucket === void 0) {
      bucket = new TokenBucket(this.accountRate, Math.max(1, Math.ceil(this.accountRate / 20)));
      this.accountLimiters.set(accountId, bucket);
    }
    return bucket.tryTake();
  }
  seed(doc) {
    return loadDocument(this.store, doc, this.defaultRegion);
  }
  stats() {
    return {
      ...this.counters,
      requests: { ...this.counters.requests },
      faults: { ...this.counters.faults },
      accessPoints: this.store.accessPoints,
      policies: this.store.policies,
      cloudTrail: { ...this.cloudTrail.stats }
    };
  }
  state() {
    return { accessPoints: this.store.snapshot() };
  }
  /** Counts a request and gives it an S3-style request id. */
  admit(operation) {
    this.requestCounter++;
    this.counters.total++;
    this.counters.requests[operation] = (this.counters.requests[operation] ?? 0) + 1;
    return (this.requestIdBase + this.requestCounter).toString(16).toUpperCase().padStart(16, "0");
  }
};

// src/model.ts
var SCOPE_PERMISSIONS = [
  "GetObject",
  "GetObjectAttributes",
  "ListMultipartUploadParts",
  "ListBucket",
  "ListBucketMultipartUploads",
  "PutObject",
  "DeleteObject",
  "AbortMultipartUpload"
];

// src/local-endpoint/policy-rules.ts
var MAX_POLICY_BYTES = 20 * 1024;
function malformedPolicyReason(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "Policies must be valid JSON and the first byte must be '{'";
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "Policies must be valid JSON and the first byte must be '{'";
  }
  const size = Buffer.byteLength(JSON.stringify(parsed), "utf8");
  if (size > MAX_POLICY_BYTES) {
    return `Policy document is ${size} bytes, larger than the maximum of ${MAX_POLICY_BYTES} bytes`;
  }
  const statement = parsed.Statement;
  if (statement === void 0) return "Missing required field Statement";
  if (Array.isArray(statement) && statement.length === 0) return "Missing required field Statement";
  return void 0;
}
function grantsEveryone(principal) {
  if (principal === "*") return true;
  if (principal !== null && typeof principal === "object" && !Array.isArray(principal)) {
    const aws = principal.AWS;
    return aws === "*" || Array.isArray(aws) && aws.includes("*");
  }
  return false;
}
function isPublicPolicy(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  const raw = parsed?.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((s) => {
    if (s === null || typeof s !== "object") return false;
    const st = s;
    const noCondition = st.Condition === void 0 || typeof st.Condition === "object" && st.Condition !== null && Object.keys(st.Condition).length === 0;
    return st.Effect === "Allow" && grantsEveryone(st.Principal) && noCondition;
  });
}

// src/local-endpoint/operations.ts
var DEFAULT_MAX_RESULTS = 1e3;
var OK_EMPTY = { status: 200, body: "" };
var MAX_SCOPE_PREFIX_BYTES = 256;
var DIRECTORY_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?--[a-z0-9]+-[a-z0-9-]+--xa-s3$/;
function invalidNameReason(name) {
  if (name.endsWith(DIRECTORY_SUFFIX)) {
    return DIRECTORY_NAME.test(name) ? void 0 : "of a directory bucket must look like <name>--<zone-id>--xa-s3";
  }
  if (name.length < 3 || name.length > 50) return "must be between 3 and 50 characters long";
  if (!/^[a-z0-9-]+$/.test(name)) return "may contain only lowercase letters, numbers and hyphens";
  if (name.startsWith("-") || name.endsWith("-"))
    return "must begin and end with a letter or number";
  if (name.endsWith("-s3alias")) return "must not end with the suffix -s3alias";
  return void 0;
}
function publicAccessBlockXml() {
  const flags = [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets"
  ];
  return `<PublicAccessBlockConfiguration>${flags.map((f) => el(f, true)).join("")}</PublicAccessBlockConfiguration>`;
}
function vpcXml(ap) {
  return ap.vpcId !== void 0 ? `<VpcConfiguration>${el("VpcId", ap.vpcId)}</VpcConfiguration>` : "";
}
function endpointsXml(ap) {
  if (ap.outpostId !== void 0) return "";
  const r = ap.region;
  const entries = [
    ["ipv4", `s3-accesspoint.${r}.amazonaws.com`],
    ["fips", `s3-accesspoint-fips.${r}.amazonaws.com`],
    ["fips_dualstack", `s3-accesspoint-fips.dualstack.${r}.amazonaws.com`],
    ["dualstack", `s3-accesspoint.dualstack.${r}.amazonaws.com`]
  ];
  const inner = entries.map(([k, v]) => `<entry>${el("key", k)}${el("value", v)}</entry>`).join("");
  return `<Endpoints>${inner}</Endpoints>`;
}
function networkOrigin(ap) {
  return ap.vpcId !== void 0 ? "VPC" : "Internet";
}
function existing(store, ns, name) {
  const ap = store.get(ns, name);
  if (!ap) throw noSuchAccessPoint(name);
  return ap;
}
function encodeToken(afterName) {
  return Buffer.from(JSON.stringify({ after: afterName }), "utf8").toString("base64");
}
function decodeToken(token) {
  try {
    const after = JSON.parse(Buffer.from(token, "base64").toString("utf8")).after;
    if (typeof after === "string") return after;
  } catch {
  }
  throw new ServiceError("InvalidRequest", 400, "The continuation token provided is incorrect");
}
var isDirectory = (ap) => ap.name.endsWith(DIRECTORY_SUFFIX);
function listPage(store, req, root, selects) {
  const rawMax = req.query.get("maxResults");
  let max = DEFAULT_MAX_RESULTS;
  if (rawMax !== null && rawMax !== "") {
    const parsed = Number(rawMax);
    if (!Number.isInteger(parsed) || parsed < 0) {
      throw new ServiceError("InvalidRequest", 400, "maxResults must be a non-negative integer");
    }
    max = parsed === 0 ? DEFAULT_MAX_RESULTS : Math.min(parsed, DEFAULT_MAX_RESULTS);
  }
  const token = req.query.get("nextToken");
  const after = token ? decodeToken(token) : void 0;
  const all = store.list(req.ns);
  let start = 0;
  if (after !== void 0) {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = lo + hi >>> 1;
      if (all[mid].name <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = [];
  let i = start;
  for (; i < all.length && page.length < max; i++) {
    const ap = all[i];
    if (selects(ap)) page.push(ap);
  }
  let more = false;
  for (let j = i; j < all.length; j++) {
    if (selects(all[j])) {
      more = true;
      break;
    }
  }
  const items = page.map(
    (ap) => `<AccessPoint>${el("Name", ap.name)}${el("NetworkOrigin", networkOrigin(ap))}${vpcXml(ap)}${el("Bucket", ap.bucket)}${el("AccessPointArn", ap.arn)}${el("Alias", ap.alias)}${el("BucketAccountId", ap.accountId)}${el("DataSourceId", ap.dataSource?.id)}${el("DataSourceType", ap.dataSource?.type)}</AccessPoint>`
  ).join("");
  const last = page[page.length - 1];
  const next = more && last ? el("NextToken", encodeToken(last.name)) : "";
  return {
    status: 200,
    body: responseDocument(root, `<AccessPointList>${items}</AccessPointList>${next}`)
  };
}
function listAccessPoints(store, req) {
  const bucket = req.query.get("bucket");
  const everySource = req.query.get("dataSourceType") === "ALL";
  return listPage(
    store,
    req,
    "ListAccessPointsResult",
    (ap) => !isDirectory(ap) && (everySource || ap.dataSource === void 0) && (bucket === null || bucket === "" || ap.bucket === bucket)
  );
}
function listDirectoryAccessPoints(store, req) {
  const bucket = req.query.get("directoryBucket");
  return listPage(
    store,
    req,
    "ListAccessPointsForDirectoryBucketsResult",
    (ap) => isDirectory(ap) && (bucket === null || bucket === "" || ap.bucket === bucket)
  );
}
function directoryAccessPoint(store, ns, name) {
  const ap = existing(store, ns, name);
  if (!isDirectory(ap)) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      "Access point scopes are supported only for access points of directory buckets"
    );
  }
  return ap;
}
function scopeOf(body) {
  if (elementText(body, "Scope") === void 0) {
    throw new ServiceError(
      "MalformedXML",
      400,
      "The XML you provided was not well-formed or did not validate against our published schema"
    );
  }
  const prefixes = elementTexts(body, "Prefix");
  const permissions = elementTexts(body, "Permission");
  const unknown = permissions.find((p) => !SCOPE_PERMISSIONS.includes(p));
  if (unknown !== void 0) {
    throw new ServiceError("InvalidRequest", 400, `Invalid scope permission: ${unknown}`);
  }
  const bytes = prefixes.reduce((sum, prefix) => sum + Buffer.byteLength(prefix, "utf8"), 0);
  if (bytes >= MAX_SCOPE_PREFIX_BYTES) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `The total length of all prefixes must be less than ${MAX_SCOPE_PREFIX_BYTES} bytes; these are ${bytes}`
    );
  }
  return { prefixes, permissions };
}
function scopeXml(scope) {
  const prefixes = scope.prefixes.map((p) => el("Prefix", p)).join("");
  const permissions = scope.permissions.map((p) => el("Permission", p)).join("");
  return `<Scope><Prefixes>${prefixes}</Prefixes><Permissions>${permissions}</Permissions></Scope>`;
}
function executeOperation(store, req) {
  const { ns } = req;
  const name = req.name ?? "";
  switch (req.operation) {
    case "ListAccessPoints":
      return listAccessPoints(store, req);
    case "ListAccessPointsForDirectoryBuckets":
      return listDirectoryAccessPoints(store, req);
    case "GetAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      if (ap.scope === null) {
        throw new ServiceError(
          "NoSuchAccessPointScope",
          404,
          "The specified access point scope does not exist",
          { AccessPointName: name }
        );
      }
      return {
        status: 200,
        body: responseDocument("GetAccessPointScopeResult", scopeXml(ap.scope))
      };
    }
    case "PutAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      ap.scope = scopeOf(req.body);
      return OK_EMPTY;
    }
    case "DeleteAccessPointScope": {
      const ap = directoryAccessPoint(store, ns, name);
      ap.scope = null;
      return OK_EMPTY;
    }
    case "CreateAccessPoint": {
      const reason = invalidNameReason(name);
      if (reason) throw new ServiceError("InvalidRequest", 400, `Access point name ${reason}`);
      const bucket = elementText(req.body, "Bucket");
      if (bucket === void 0 || bucket === "") {
        throw new ServiceError(
          "MalformedXML",
          400,
          "The XML you provided was not well-formed or did not validate against our published schema"
        );
      }
      if (store.get(ns, name)) {
        throw new ServiceError(
          "AccessPointAlreadyOwnedByYou",
          409,
          "Your previous request to create the named accesspoint succeeded and you already own it."
        );
      }
      const vpcId = elementText(req.body, "VpcId");
      const ap = store.put(ns, name, bucket, { vpcId: vpcId || void 0 });
      return {
        status: 200,
        body: responseDocument(
          "CreateAccessPointResult",
          `${el("AccessPointArn", ap.arn)}${el("Alias", ap.alias)}`
        )
      };
    }
    case "GetAccessPoint": {
      const ap = existing(store, ns, name);
      return {
        status: 200,
        body: responseDocument(
          "GetAccessPointResult",
          `${el("Name", ap.name)}${el("Bucket", ap.bucket)}${el("NetworkOrigin", networkOrigin(ap))}${vpcXml(ap)}${publicAccessBlockXml()}${el("CreationDate", ap.createdAt)}${el("Alias", ap.alias)}${el("AccessPointArn", ap.arn)}${endpointsXml(ap)}${el("BucketAccountId", ap.accountId)}`
        )
      };
    }
    case "DeleteAccessPoint": {
      if (!store.delete(ns, name)) throw noSuchAccessPoint(name);
      return OK_EMPTY;
    }
    case "GetAccessPointPolicy": {
      const ap = existing(store, ns, name);
      if (ap.policy === null) throw noSuchAccessPointPolicy(name);
      return {
        status: 200,
        body: responseDocument("GetAccessPointPolicyResult", el("Policy", ap.policy))
      };
    }
    case "PutAccessPointPolicy": {
      const ap = existing(store, ns, name);
      const policy = elementText(req.body, "Policy");
      if (policy === void 0) {
        throw new ServiceError(
          "MalformedXML",
          400,
          "The XML you provided was not well-formed or did not validate against our published schema"
        );
      }
      const reason = malformedPolicyReason(policy);
      if (reason) throw new ServiceError("MalformedPolicy", 400, reason);
      store.setPolicy(ap, policy);
      return OK_EMPTY;
    }
    case "DeleteAccessPointPolicy": {
      const ap = existing(store, ns, name);
      store.setPolicy(ap, null);
      return OK_EMPTY;
    }
    case "GetAccessPointPolicyStatus": {
      const ap = existing(store, ns, name);
      if (ap.policy === null) throw noSuchAccessPointPolicy(name);
      return {
        status: 200,
        body: responseDocument(
          "GetAccessPointPolicyStatusResult",
          `<PolicyStatus>${el("IsPublic", isPublicPolicy(ap.policy))}</PolicyStatus>`
        )
      };
    }
  }
}

// src/local-endpoint/routes.ts
var PREFIX = "/v20180820/";
var BY_SUFFIX = {
  "": { PUT: "CreateAccessPoint", GET: "GetAccessPoint", DELETE: "DeleteAccessPoint" },
  "/policy": {
    PUT: "PutAccessPointPolicy",
    GET: "GetAccessPointPolicy",
    DELETE: "DeleteAccessPointPolicy"
  },
  "/policyStatus": { GET: "GetAccessPointPolicyStatus" },
  "/scope": {
    PUT: "PutAccessPointScope",
    GET: "GetAccessPointScope",
    DELETE: "DeleteAccessPointScope"
  }
};
function routeOf(method, pathname) {
  if (!pathname.startsWith(PREFIX)) return { kind: "not-s3-control" };
  const rest = pathname.slice(PREFIX.length);
  if (rest === "accesspoint" || rest === "accesspoint/") {
    return method === "GET" ? { kind: "operation", operation: "ListAccessPoints" } : { kind: "unsupported" };
  }
  if (rest === "accesspointfordirectory" || rest === "accesspointfordirectory/") {
    return method === "GET" ? { kind: "operation", operation: "ListAccessPointsForDirectoryBuckets" } : { kind: "unsupported" };
  }
  const match = /^accesspoint\/([^/]+)(\/policy|\/policyStatus|\/scope)?$/.exec(rest);
  if (!match?.[1]) return { kind: "unsupported" };
  let name;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return { kind: "unsupported" };
  }
  const operation = BY_SUFFIX[match[2] ?? ""]?.[method];
  return operation ? { kind: "operation", operation, name } : { kind: "unsupported" };
}

// src/local-endpoint/handle-request.ts
async function handleRequest(state, delays, req, res) {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const method = req.method ?? "GET";
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const route = routeOf(method, path);
  const requestId = state.admit(route.kind === "operation" ? route.operation : "Unsupported");
  let body;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof ServiceError) sendError(res, error, requestId);
    else res.destroy();
    return;
  }
  const throttled = state.limiter !== void 0 && !state.limiter.tryTake() || !state.admitsAccount(header(req, "x-amz-account-id") ?? "");
  if (throttled) {
    state.counters.throttled++;
    const slowDown = new ServiceError("SlowDown", 503, "Please reduce your request rate.");
    delays.later(state.fixedLatencyMs, res, () => sendError(res, slowDown, requestId));
    return;
  }
  const request = {
    method,
    path,
    query: q < 0 ? "" : rawUrl.slice(q + 1),
    route,
    accountId: header(req, "x-amz-account-id") ?? "",
    outpostId: header(req, "x-amz-outpost-id"),
    region: signedRegion(req) ?? state.defaultRegion,
    service: signedService(req),
    body,
    requestId
  };
  const decision = state.planner.decide(
    `${request.accountId}|${request.outpostId ?? ""}|${method} ${rawUrl}`
  );
  const answer = () => {
    if (res.destroyed) return;
    const outcome = execute(state, request);
    sendXml(res, outcome.status, outcome.body, requestId);
  };
  switch (decision.fault) {
    case "drop":
      state.counters.faults.drop++;
      delays.later(decision.delayMs, res, () => {
        if (res.destroyed) return;
        execute(state, request);
        res.socket?.destroy();
      });
      return;
    case "error": {
      state.counters.faults.error++;
      const error = new ServiceError(
        "InternalError",
        500,
        "We encountered an internal error. Please try again."
      );
      delays.later(decision.delayMs, res, () => sendError(res, error, requestId));
      return;
    }
    case "slow":
      state.counters.faults.slow++;
      if (state.slowMs > 0 && Number.isFinite(state.slowMs)) {
        delays.later(decision.delayMs + state.slowMs, res, answer);
      }
      return;
    case "none":
      delays.later(decision.delayMs, res, answer);
      return;
  }
}
function execute(state, request) {
  try {
    return executeOperation(state.store, checkedOperation(state, request));
  } catch (error) {
    const e = error instanceof ServiceError ? error : new ServiceError("InternalError", 500, `local endpoint bug: ${error.message}`);
    return { status: e.status, body: errorDocument(e.code, e.message, request.requestId, e.extra) };
  }
}
var DIRECTORY_OPERATIONS = /* @__PURE__ */ new Set([
  "ListAccessPointsForDirectoryBuckets",
  "GetAccessPointScope",
  "PutAccessPointScope",
  "DeleteAccessPointScope"
]);
function checkSigningService(operation, name, service) {
  if (service === void 0) return;
  const directory = DIRECTORY_OPERATIONS.has(operation) || name?.endsWith(DIRECTORY_SUFFIX) === true;
  if (directory && service !== "s3express") {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `${operation} for a directory bucket is served by the s3express-control endpoint and must be signed for s3express, not ${service}`
    );
  }
  if (!directory && service === "s3express") {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `${operation} is served by the s3-control endpoint and must be signed for s3, not s3express`
    );
  }
}
function checkedOperation(state, request) {
  const { route, accountId, outpostId } = request;
  if (route.kind === "not-s3-control") {
    throw new ServiceError("InvalidURI", 400, "Couldn't parse the specified URI.");
  }
  if (route.kind === "unsupported") {
    throw new ServiceError(
      "NotImplemented",
      501,
      `This local endpoint does not implement ${request.method} ${request.path}`
    );
  }
  checkSigningService(route.operation, route.name, request.service);
  if (!isAccountId(accountId)) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      accountId === "" ? "Missing required header for this request: x-amz-account-id" : "Account id must be 12 digits"
    );
  }
  if (route.name !== void 0 && state.denied.has(route.name)) {
    state.counters.faults.denied++;
    throw new ServiceError("AccessDenied", 403, "Access Denied");
  }
  const ns = {
    accountId,
    region: request.region,
    ...outpostId !== void 0 && outpostId !== "" ? { outpostId } : {}
  };
  return {
    operation: route.operation,
    ns,
    ...route.name !== void 0 ? { name: route.name } : {},
    query: new URLSearchParams(request.query),
    body: request.body
  };
}

// src/local-endpoint/server.ts
async function startLocalEndpoint(options = {}) {
  const host = options.host ?? "127.0.0.1";
  const state = new EndpointState(options);
  const delays = new DelayedAnswers();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const target = req.headers["x-amz-target"];
    const handled = isAdminPath(path) ? handleAdmin(state, req, res, path) : typeof target === "string" && target.startsWith(CLOUDTRAIL_TARGET_PREFIX) ? state.cloudTrail.handle(req, res) : handleRequest(state, delays, req, res);
    handled.catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5e3;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = server.address().port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    reset: () => state.reset(),
    stats: () => state.stats(),
    state: () => state.state(),
    seed: (doc) => state.seed(doc),
    replayCloudTrail: (events, options2) => {
      if (options2?.denied !== void 0) state.cloudTrail.denied = options2.denied;
      return state.cloudTrail.replay(events);
    },
    close() {
      delays.cancelAll();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  };
}

// src/local-endpoint/main.ts
async function main() {
  let parsed;
  try {
    parsed = parseEndpointArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`s3ap local endpoint: ${error.message}

${USAGE}`);
    process.exit(1);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const endpoint = await startLocalEndpoint(parsed.options);
  process.stdout.write(`s3ap local endpoint listening on ${endpoint.url}
`);
  const stop = () => {
    endpoint.close().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
main().catch((error) => {
  process.stderr.write(`s3ap local endpoint: ${error.message}
`);
  process.exit(1);
});
