// Reading requests and writing answers the way S3 Control does, plus delayed answers that a
// client giving up (or the server closing) cancels.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ServiceError } from "./service-error.js";
import { errorDocument } from "./xml.js";

const MAX_BODY_BYTES = 1024 * 1024;

/** The region of the SigV4 credential scope: `Credential=AKID/20240101/<region>/<service>/...`. */
export function signedRegion(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== "string") return undefined;
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1];
}

/** The service of the SigV4 credential scope: s3, s3-outposts or s3express. */
export function signedService(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== "string") return undefined;
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1];
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function readBody(req: IncomingMessage): Promise<string> {
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

export function sendXml(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
): void {
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

export function sendError(res: ServerResponse, error: ServiceError, requestId: string): void {
  sendXml(
    res,
    error.status,
    errorDocument(error.code, error.message, requestId, error.extra),
    requestId,
  );
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers sent after a delay; all pending ones are cancelled by cancelAll (server close). */
export class DelayedAnswers {
  private readonly timers = new Set<NodeJS.Timeout>();

  later(ms: number, res: ServerResponse, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    // A client that gave up must not leave a timer (or a late write) behind.
    res.once("close", () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
