// Sorts what an S3 Control call threw into the few kinds that retry and rate limiting care about.

/**
 * - throttle: the server asks us to slow down (retry, and lower the request rate)
 * - transient: 5xx or a broken connection (retry)
 * - timeout: no answer in time (retry)
 * - unreachable: nothing listens at the endpoint or its name does not resolve (retry briefly)
 * - fatal: the request itself is wrong or forbidden (never retry)
 */
export type FailureKind = "throttle" | "transient" | "timeout" | "unreachable" | "fatal";

export interface Failure {
  kind: FailureKind;
  /** The AWS error code, the Node network error code, or the error's name. */
  code: string;
  httpStatus?: number;
  message: string;
}

const THROTTLE_CODES = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);

const TRANSIENT_CODES = new Set([
  "InternalError",
  "InternalFailure",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeoutException",
]);

const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
  cause?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  return typeof error === "object" && error !== null ? (error as ErrorShape) : {};
}

function httpStatusOf(error: ErrorShape): number | undefined {
  const status = error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The Node network error code, looking through one level of `cause` (fetch-style wrapping). */
function networkCodeOf(error: ErrorShape): string | undefined {
  if (typeof error.code === "string") return error.code;
  const cause = shapeOf(error.cause);
  return typeof cause.code === "string" ? cause.code : undefined;
}

export function classifyFailure(error: unknown): Failure {
  const shape = shapeOf(error);
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const message = typeof shape.message === "string" ? shape.message : String(error);
  const httpStatus = httpStatusOf(shape);
  const networkCode = networkCodeOf(shape);
  const withStatus = (kind: FailureKind, code: string): Failure =>
    httpStatus === undefined ? { kind, code, message } : { kind, code, httpStatus, message };

  // NOTE: @smithy/node-http-handler renames ECONNRESET and EPIPE errors to "TimeoutError"; the
  // Node code says what really happened (a dropped connection), so it goes first.
  if (httpStatus === undefined && networkCode !== undefined) {
    if (UNREACHABLE_CODES.has(networkCode)) return withStatus("unreachable", networkCode);
    if (TRANSIENT_NETWORK_CODES.has(networkCode)) return withStatus("transient", networkCode);
  }
  if (name === "TimeoutError" || name === "AbortError" || networkCode === "ETIMEDOUT") {
    return withStatus("timeout", name === "AbortError" ? "AbortError" : "TimeoutError");
  }
  if (THROTTLE_CODES.has(name) || httpStatus === 429) return withStatus("throttle", name);
  if (TRANSIENT_CODES.has(name)) return withStatus("transient", name);
  if (httpStatus !== undefined && TRANSIENT_STATUS.has(httpStatus)) {
    return withStatus("transient", name);
  }
  return withStatus("fatal", name);
}
