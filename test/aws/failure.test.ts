import { S3ControlServiceException } from "@aws-sdk/client-s3-control";
import { expect, test } from "vitest";
import { classifyFailure } from "../../src/aws/failure.js";

function serviceError(name: string, status: number): S3ControlServiceException {
  return new S3ControlServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message: `${name} message`,
  });
}

test.each([
  ["SlowDown", 503, "throttle"],
  ["Throttling", 400, "throttle"],
  ["ThrottlingException", 400, "throttle"],
  ["TooManyRequestsException", 429, "throttle"],
  ["RequestLimitExceeded", 400, "throttle"],
  ["Unknown", 429, "throttle"],
  ["InternalError", 500, "transient"],
  ["BadGateway", 502, "transient"],
  ["ServiceUnavailable", 503, "transient"],
  ["GatewayTimeout", 504, "transient"],
  ["AccessDenied", 403, "fatal"],
  ["MalformedPolicy", 400, "fatal"],
  ["NoSuchAccessPoint", 404, "fatal"],
  ["NoSuchAccessPointPolicy", 404, "fatal"],
  ["InvalidRequest", 400, "fatal"],
])("%s (HTTP %i) is %s", (name, status, kind) => {
  expect(classifyFailure(serviceError(name, status))).toEqual({
    kind,
    code: name,
    httpStatus: status,
    message: `${name} message`,
  });
});

test.each([
  ["ECONNRESET", "transient"],
  ["EPIPE", "transient"],
  ["ECONNREFUSED", "unreachable"],
  ["ENOTFOUND", "unreachable"],
  ["ETIMEDOUT", "timeout"],
])("network error %s is %s", (code, kind) => {
  const error = Object.assign(new Error(`connect ${code}`), { code });
  expect(classifyFailure(error)).toMatchObject({ kind });
});

test("the HTTP handler's timeouts and aborts are timeouts", () => {
  const timeout = Object.assign(new Error("socket timed out"), { name: "TimeoutError" });
  expect(classifyFailure(timeout)).toMatchObject({ kind: "timeout", code: "TimeoutError" });
  const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
  expect(classifyFailure(abort)).toMatchObject({ kind: "timeout", code: "AbortError" });
});

test("missing credentials and plain programming errors are not retried", () => {
  const credentials = Object.assign(new Error("Could not load credentials"), {
    name: "CredentialsProviderError",
  });
  expect(classifyFailure(credentials)).toMatchObject({
    kind: "fatal",
    code: "CredentialsProviderError",
  });
  expect(classifyFailure(new TypeError("x is undefined"))).toMatchObject({
    kind: "fatal",
    code: "TypeError",
  });
});

test("a reset connection renamed to TimeoutError by the HTTP handler is a dropped connection", () => {
  const reset = Object.assign(new Error("socket hang up"), {
    name: "TimeoutError",
    code: "ECONNRESET",
  });
  expect(classifyFailure(reset)).toMatchObject({ kind: "transient", code: "ECONNRESET" });
});
