// The project's own S3 Control endpoint for the access point policy subset, with fault knobs.
// node:http only, so `npm start` and the tests need nothing but Node.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlanner } from "./faults.js";
import { executeOperation } from "./operations.js";
import type { LocalEndpointOptions, SeedDocument } from "./options.js";
import { routeOf } from "./routes.js";
import { loadDocument, loadGenerated, parseSeedDocument } from "./seed.js";
import { ServiceError } from "./service-error.js";
import { type AccessPointSnapshot, AccessPointStore, type Namespace } from "./store.js";
import { TokenBucket } from "./token-bucket.js";
import { errorDocument } from "./xml.js";

export interface LocalEndpointStats {
  /** Every S3 Control request received, including throttled and faulted ones. */
  total: number;
  /** Requests by operation name (`Unsupported` for anything this endpoint does not serve). */
  requests: Record<string, number>;
  /** Requests answered 503 SlowDown by the rate limit. */
  throttled: number;
  faults: { error: number; drop: number; slow: number; denied: number };
  accessPoints: number;
  policies: number;
}

export interface LocalEndpointState {
  accessPoints: AccessPointSnapshot[];
}

export interface LocalEndpoint {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Back to the initial (seeded) state; clears stats and the fault replay counters. */
  reset(): void;
  stats(): LocalEndpointStats;
  state(): LocalEndpointState;
  /** Adds (or replaces) access points, as POST /__local/seed does. */
  seed(doc: SeedDocument): number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_REGION = "us-east-1";

function fraction(value: number | undefined, flag: string): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`${flag} must be between 0 and 1, got ${value}`);
  return v;
}

/** The region of the SigV4 credential scope: `Credential=AKID/20240101/<region>/<service>/...`. */
function signedRegion(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== "string") return undefined;
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
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

export async function startLocalEndpoint(
  options: LocalEndpointOptions = {},
): Promise<LocalEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  const seed = options.seed ?? 1;
  const rate = options.rate ?? 0;
  if (!(rate >= 0)) throw new Error(`rate must be >= 0, got ${rate}`);
  const burst = options.burst ?? Math.max(1, Math.ceil(rate / 20));
  const slowMs = options.slowMs ?? 30_000;
  const planner = new FaultPlanner({
    seed,
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
    errorRate: fraction(options.errorRate, "errorRate"),
    dropRate: fraction(options.dropRate, "dropRate"),
    slowRate: fraction(options.slowRate, "slowRate"),
  });
  const fixedLatency = options.latencyMs ?? 0;
  const denied = new Set(options.denyAccessPoints ?? []);
  const store = new AccessPointStore();
  let limiter = rate > 0 ? new TokenBucket(rate, burst) : undefined;
  let stats = emptyStats();
  let requestCounter = 0;
  const requestIdBase = (Date.now() * 1000) % 0xffffffffff;
  const timers = new Set<NodeJS.Timeout>();

  function emptyStats(): Omit<LocalEndpointStats, "accessPoints" | "policies"> {
    return {
      total: 0,
      requests: {},
      throttled: 0,
      faults: { error: 0, drop: 0, slow: 0, denied: 0 },
    };
  }

  function loadSeeds(): void {
    if (options.seedAccessPoints)
      loadGenerated(store, options.seedAccessPoints, defaultRegion, seed);
    if (options.seedDocument) loadDocument(store, options.seedDocument, defaultRegion);
  }

  function reset(): void {
    store.clear();
    planner.reset();
    stats = emptyStats();
    if (rate > 0) limiter = new TokenBucket(rate, burst);
    loadSeeds();
  }

  function later(ms: number, res: ServerResponse, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    // A client that gave up must not leave a timer (or a late write) behind.
    res.once("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  }

  function send(res: ServerResponse, status: number, body: string, requestId: string): void {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | number> = {
      "x-amz-request-id": requestId,
      "x-amz-id-2": Buffer.from(requestId).toString("base64"),
      server: "AmazonS3",
      "content-length": Buffer.byteLength(body),
    };
    if (body !== "") headers["content-type"] = "application/xml";
    res.writeHead(status, headers);
    res.end(body);
  }

  function sendError(res: ServerResponse, error: ServiceError, requestId: string): void {
    send(
      res,
      error.status,
      errorDocument(error.code, error.message, requestId, error.extra),
      requestId,
    );
  }

  function sendJson(res: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  function currentStats(): LocalEndpointStats {
    return {
      ...stats,
      requests: { ...stats.requests },
      faults: { ...stats.faults },
      accessPoints: store.accessPoints,
      policies: store.policies,
    };
  }

  function seedFrom(doc: SeedDocument): number {
    return loadDocument(store, doc, defaultRegion);
  }

  async function handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<boolean> {
    const method = req.method ?? "GET";
    if ((path === "/__local/reset" || path === "/moto-api/reset") && method === "POST") {
      await readBody(req);
      reset();
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    if (path === "/__local/stats" && method === "GET") {
      sendJson(res, 200, currentStats());
      return true;
    }
    if (path === "/__local/state" && method === "GET") {
      sendJson(res, 200, { accessPoints: store.snapshot() });
      return true;
    }
    if (path === "/__local/seed" && method === "POST") {
      try {
        const doc = parseSeedDocument(JSON.parse(await readBody(req)));
        sendJson(res, 200, { seeded: seedFrom(doc) });
      } catch (error) {
        sendJson(res, 400, { error: (error as Error).message });
      }
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    if (path.startsWith("/__local/") || path.startsWith("/moto-api/")) {
      if (await handleAdmin(req, res, path)) return;
      sendJson(res, 404, { error: `no admin endpoint ${req.method} ${path}` });
      return;
    }
    const method = req.method ?? "GET";
    const route = routeOf(method, path);
    requestCounter++;
    const requestId = (requestIdBase + requestCounter).toString(16).toUpperCase().padStart(16, "0");
    stats.total++;
    const opName = route.kind === "operation" ? route.operation : "Unsupported";
    stats.requests[opName] = (stats.requests[opName] ?? 0) + 1;

    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof ServiceError) sendError(res, error, requestId);
      else res.destroy();
      return;
    }

    if (limiter && !limiter.tryTake()) {
      stats.throttled++;
      later(fixedLatency, res, () =>
        sendError(
          res,
          new ServiceError("SlowDown", 503, "Please reduce your request rate."),
          requestId,
        ),
      );
      return;
    }

    const accountId = header(req, "x-amz-account-id") ?? "";
    const outpostId = header(req, "x-amz-outpost-id");
    const decision = planner.decide(`${accountId}|${outpostId ?? ""}|${method} ${rawUrl}`);

    // Executes the operation; the outcome is an answer (or an AWS error) to send.
    const execute = (): { status: number; body: string } => {
      try {
        if (route.kind === "not-s3-control") {
          throw new ServiceError("InvalidURI", 400, "Couldn't parse the specified URI.");
        }
        if (route.kind === "unsupported") {
          throw new ServiceError(
            "NotImplemented",
            501,
            `This local endpoint does not implement ${method} ${path}`,
          );
        }
        if (!/^\d{12}$/.test(accountId)) {
          throw new ServiceError(
            "InvalidRequest",
            400,
            accountId === ""
              ? "Missing required header for this request: x-amz-account-id"
              : "Account id must be 12 digits",
          );
        }
        if (route.name !== undefined && denied.has(route.name)) {
          stats.faults.denied++;
          throw new ServiceError("AccessDenied", 403, "Access Denied");
        }
        const ns: Namespace = {
          accountId,
          region: signedRegion(req) ?? defaultRegion,
          ...(outpostId !== undefined && outpostId !== "" ? { outpostId } : {}),
        };
        return executeOperation(store, {
          operation: route.operation,
          ns,
          ...(route.name !== undefined ? { name: route.name } : {}),
          query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
          body,
        });
      } catch (error) {
        const e =
          error instanceof ServiceError
            ? error
            : new ServiceError(
                "InternalError",
                500,
                `local endpoint bug: ${(error as Error).message}`,
              );
        return { status: e.status, body: errorDocument(e.code, e.message, requestId, e.extra) };
      }
    };
    const answer = () => {
      if (res.destroyed) return;
      const outcome = execute();
      send(res, outcome.status, outcome.body, requestId);
    };

    switch (decision.fault) {
      case "drop":
        stats.faults.drop++;
        // The request reached the server and was applied; only the answer is lost, as when
        // a connection resets after AWS committed a write.
        later(decision.delayMs, res, () => {
          if (res.destroyed) return;
          execute();
          res.socket?.destroy();
        });
        return;
      case "error":
        stats.faults.error++;
        later(decision.delayMs, res, () =>
          sendError(
            res,
            new ServiceError(
              "InternalError",
              500,
              "We encountered an internal error. Please try again.",
            ),
            requestId,
          ),
        );
        return;
      case "slow":
        stats.faults.slow++;
        // slowMs 0 or Infinity: never answer; the client's timeout is what ends the request.
        if (slowMs > 0 && Number.isFinite(slowMs)) later(decision.delayMs + slowMs, res, answer);
        return;
      case "none":
        later(decision.delayMs, res, answer);
        return;
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  reset();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    reset,
    stats: currentStats,
    state: () => ({ accessPoints: store.snapshot() }),
    seed: seedFrom,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
