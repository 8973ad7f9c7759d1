// One S3 Control request: rate limit, then the planned fault (drop, 500, slow) or the answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAccountId } from "../access-point/account-id.js";
import { DIRECTORY_SUFFIX } from "../access-point/kind.js";
import type { EndpointState } from "./endpoint-state.js";
import {
  type DelayedAnswers,
  header,
  readBody,
  sendError,
  sendXml,
  signedRegion,
  signedService,
} from "./http-io.js";
import { executeOperation } from "./operations.js";
import { type Route, routeOf } from "./routes.js";
import { ServiceError } from "./service-error.js";
import type { Namespace } from "./store.js";
import { errorDocument } from "./xml.js";

interface Request {
  method: string;
  path: string;
  query: string;
  route: Route;
  accountId: string;
  outpostId: string | undefined;
  region: string;
  /** The SigV4 service the request was signed for (undefined: unsigned). */
  service: string | undefined;
  body: string;
  requestId: string;
}

export async function handleRequest(
  state: EndpointState,
  delays: DelayedAnswers,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const method = req.method ?? "GET";
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const route = routeOf(method, path);
  const requestId = state.admit(route.kind === "operation" ? route.operation : "Unsupported");

  let body: string;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof ServiceError) sendError(res, error, requestId);
    else res.destroy();
    return;
  }

  const throttled =
    (state.limiter !== undefined && !state.limiter.tryTake()) ||
    !state.admitsAccount(header(req, "x-amz-account-id") ?? "");
  if (throttled) {
    state.counters.throttled++;
    const slowDown = new ServiceError("SlowDown", 503, "Please reduce your request rate.");
    delays.later(state.fixedLatencyMs, res, () => sendError(res, slowDown, requestId));
    return;
  }

  const request: Request = {
    method,
    path,
    query: q < 0 ? "" : rawUrl.slice(q + 1),
    route,
    accountId: header(req, "x-amz-account-id") ?? "",
    outpostId: header(req, "x-amz-outpost-id"),
    region: signedRegion(req) ?? state.defaultRegion,
    service: signedService(req),
    body,
    requestId,
  };
  const decision = state.planner.decide(
    `${request.accountId}|${request.outpostId ?? ""}|${method} ${rawUrl}`,
  );
  const answer = () => {
    if (res.destroyed) return;
    const outcome = execute(state, request);
    sendXml(res, outcome.status, outcome.body, requestId);
  };

  switch (decision.fault) {
    case "drop":
      state.counters.faults.drop++;
      // The request reached the server and was applied; only the answer is lost, as when
      // a connection resets after AWS committed a write.
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
        "We encountered an internal error. Please try again.",
      );
      delays.later(decision.delayMs, res, () => sendError(res, error, requestId));
      return;
    }
    case "slow":
      state.counters.faults.slow++;
      // slowMs 0 or Infinity: never answer; the client's timeout is what ends the request.
      if (state.slowMs > 0 && Number.isFinite(state.slowMs)) {
        delays.later(decision.delayMs + state.slowMs, res, answer);
      }
      return;
    case "none":
      delays.later(decision.delayMs, res, answer);
      return;
  }
}

/** Runs the operation; the outcome is the answer (or the AWS error document) to send. */
function execute(state: EndpointState, request: Request): { status: number; body: string } {
  try {
    return executeOperation(state.store, checkedOperation(state, request));
  } catch (error) {
    const e =
      error instanceof ServiceError
        ? error
        : new ServiceError("InternalError", 500, `local endpoint bug: ${(error as Error).message}`);
    return { status: e.status, body: errorDocument(e.code, e.message, request.requestId, e.extra) };
  }
}

const DIRECTORY_OPERATIONS = new Set([
  "ListAccessPointsForDirectoryBuckets",
  "GetAccessPointScope",
  "PutAccessPointScope",
  "DeleteAccessPointScope",
]);

/**
 * Directory-bucket access points are served by s3express-control and signed for s3express; the
 * others by s3-control, signed for s3 (or s3-outposts). A request signed for the other service
 * went to the wrong endpoint: AWS would not serve it there, and neither does this endpoint.
 */
function checkSigningService(operation: string, name: string | undefined, service?: string) {
  if (service === undefined) return;
  const directory =
    DIRECTORY_OPERATIONS.has(operation) || name?.endsWith(DIRECTORY_SUFFIX) === true;
  if (directory && service !== "s3express") {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `${operation} for a directory bucket is served by the s3express-control endpoint and must be signed for s3express, not ${service}`,
    );
  }
  if (!directory && service === "s3express") {
    throw new ServiceError(
      "InvalidRequest",
      400,
      `${operation} is served by the s3-control endpoint and must be signed for s3, not s3express`,
    );
  }
}

/** The checks AWS makes before an operation runs: a served route, an account id, access. */
function checkedOperation(state: EndpointState, request: Request) {
  const { route, accountId, outpostId } = request;
  if (route.kind === "not-s3-control") {
    throw new ServiceError("InvalidURI", 400, "Couldn't parse the specified URI.");
  }
  if (route.kind === "unsupported") {
    throw new ServiceError(
      "NotImplemented",
      501,
      `This local endpoint does not implement ${request.method} ${request.path}`,
    );
  }
  checkSigningService(route.operation, route.name, request.service);
  if (!isAccountId(accountId)) {
    throw new ServiceError(
      "InvalidRequest",
      400,
      accountId === ""
        ? "Missing required header for this request: x-amz-account-id"
        : "Account id must be 12 digits",
    );
  }
  if (route.name !== undefined && state.denied.has(route.name)) {
    state.counters.faults.denied++;
    throw new ServiceError("AccessDenied", 403, "Access Denied");
  }
  const ns: Namespace = {
    accountId,
    region: request.region,
    ...(outpostId !== undefined && outpostId !== "" ? { outpostId } : {}),
  };
  return {
    operation: route.operation,
    ns,
    ...(route.name !== undefined ? { name: route.name } : {}),
    query: new URLSearchParams(request.query),
    body: request.body,
  };
}
