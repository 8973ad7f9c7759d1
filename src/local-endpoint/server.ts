// The project's own S3 Control endpoint for the access point policy subset, with fault knobs.
// node:http only, so `npm start` and the tests need nothing but Node.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin, isAdminPath } from "./admin-routes.js";
import { CLOUDTRAIL_TARGET_PREFIX } from "./cloudtrail.js";
import {
  EndpointState,
  type LocalEndpointState,
  type LocalEndpointStats,
} from "./endpoint-state.js";
import { handleRequest } from "./handle-request.js";
import { DelayedAnswers } from "./http-io.js";
import type { LocalEndpointOptions, SeedDocument } from "./options.js";

export type { LocalEndpointState, LocalEndpointStats } from "./endpoint-state.js";

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
  /**
   * Adds recorded CloudTrail events for LookupEvents to serve, as POST /__local/cloudtrail does;
   * `denied` makes every LookupEvents answer AccessDeniedException.
   */
  replayCloudTrail(events: unknown[], options?: { denied?: boolean }): number;
}

export async function startLocalEndpoint(
  options: LocalEndpointOptions = {},
): Promise<LocalEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const state = new EndpointState(options);
  const delays = new DelayedAnswers();

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const target = req.headers["x-amz-target"];
    const handled = isAdminPath(path)
      ? handleAdmin(state, req, res, path)
      : typeof target === "string" && target.startsWith(CLOUDTRAIL_TARGET_PREFIX)
        ? state.cloudTrail.handle(req, res)
        : handleRequest(state, delays, req, res);
    handled.catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;

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
    reset: () => state.reset(),
    stats: () => state.stats(),
    state: () => state.state(),
    seed: (doc) => state.seed(doc),
    replayCloudTrail: (events, options) => {
      if (options?.denied !== undefined) state.cloudTrail.denied = options.denied;
      return state.cloudTrail.replay(events);
    },
    close() {
      delays.cancelAll();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
