// The test-only admin API: /__local/{reset,stats,state,seed,cloudtrail}, and moto's
// /moto-api/reset.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EndpointState } from "./endpoint-state.js";
import { readBody, sendJson } from "./http-io.js";
import { parseSeedDocument } from "./seed.js";

export function isAdminPath(path: string): boolean {
  return path.startsWith("/__local/") || path.startsWith("/moto-api/");
}

export async function handleAdmin(
  state: EndpointState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
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
      sendJson(res, 400, { error: (error as Error).message });
    }
  } else if (path === "/__local/cloudtrail" && method === "POST") {
    // { "events": [CloudTrail records], "denied": true|false }: LookupEvents replays the events.
    try {
      const doc = JSON.parse(await readBody(req)) as { events?: unknown; denied?: unknown };
      if (!Array.isArray(doc.events)) throw new Error('the body needs "events": a list of records');
      if (typeof doc.denied === "boolean") state.cloudTrail.denied = doc.denied;
      sendJson(res, 200, { replayed: state.cloudTrail.replay(doc.events) });
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
  } else {
    sendJson(res, 404, { error: `no admin endpoint ${method} ${path}` });
  }
}
