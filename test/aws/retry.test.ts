import { expect, test } from "vitest";
import type { Failure } from "../../src/aws/failure.js";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  RetryExhausted,
  type RetryInfo,
  withRetry,
} from "../../src/aws/retry.js";

function failing(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code} happened`), { name: code, ...extra });
}

/** Fails with the given errors in turn, then returns "ok". */
function script(errors: Error[]) {
  const attempts: number[] = [];
  const operation = async (attempt: number) => {
    attempts.push(attempt);
    const error = errors[attempt - 1];
    if (error) throw error;
    return "ok";
  };
  return { attempts, operation };
}

function deps(random = () => 0.5) {
  const slept: number[] = [];
  const retries: RetryInfo[] = [];
  return {
    slept,
    retries,
    deps: {
      sleep: async (ms: number) => {
        slept.push(ms);
      },
      random,
      onRetry: (info: RetryInfo) => retries.push(info),
    },
  };
}

test("throttling is retried with exponential backoff and full jitter", async () => {
  const throttle = failing("SlowDown", { $metadata: { httpStatusCode: 503 } });
  const { attempts, operation } = script([throttle, throttle, throttle]);
  const run = deps(() => 0.5);
  await expect(withRetry(operation, DEFAULT_RETRY_POLICY, run.deps)).resolves.toBe("ok");
  expect(attempts).toEqual([1, 2, 3, 4]);
  // random() * min(cap, 200 ms * 2^retry)
  expect(run.slept).toEqual([100, 200, 400]);
  expect(run.retries.map((r) => [r.attempt, r.failure.kind, r.failure.code])).toEqual([
    [1, "throttle", "SlowDown"],
    [2, "throttle", "SlowDown"],
    [3, "throttle", "SlowDown"],
  ]);
});

test("5xx and connection resets use the shorter transient base delay", async () => {
  const { operation } = script([
    failing("InternalError", { $metadata: { httpStatusCode: 500 } }),
    Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    failing("Unknown", { $metadata: { httpStatusCode: 502 } }),
  ]);
  const run = deps(() => 1);
  await expect(withRetry(operation, DEFAULT_RETRY_POLICY, run.deps)).resolves.toBe("ok");
  expect(run.slept).toEqual([100, 200, 400]);
  expect(run.retries.map((r) => r.failure.kind)).toEqual(["transient", "transient", "transient"]);
});

test.each([
  ["AccessDenied", 403],
  ["MalformedPolicy", 400],
  ["NoSuchAccessPoint", 404],
  ["InvalidRequest", 400],
])("%s is never retried", async (code, status) => {
  const { attempts, operation } = script([
    failing(code, { $metadata: { httpStatusCode: status } }),
  ]);
  const run = deps();
  const result = withRetry(operation, DEFAULT_RETRY_POLICY, run.deps);
  await expect(result).rejects.toBeInstanceOf(RetryExhausted);
  await expect(result).rejects.toMatchObject({ attempts: 1, failure: { kind: "fatal", code } });
  expect(attempts).toEqual([1]);
  expect(run.slept).toEqual([]);
});

test("attempts are bounded and the last failure is reported", async () => {
  const throttle = failing("TooManyRequestsException", { $metadata: { httpStatusCode: 429 } });
  const { attempts, operation } = script(Array(20).fill(throttle));
  const run = deps(() => 0);
  const result = withRetry(operation, { ...DEFAULT_RETRY_POLICY, maxAttempts: 5 }, run.deps);
  await expect(result).rejects.toMatchObject({
    attempts: 5,
    failure: { kind: "throttle", code: "TooManyRequestsException", httpStatus: 429 },
  });
  expect(attempts.length).toBe(5);
  expect(run.retries.length).toBe(4);
});

test("a refused connection is retried only briefly", async () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const { attempts, operation } = script(Array(20).fill(refused));
  const result = withRetry(operation, DEFAULT_RETRY_POLICY, deps().deps);
  await expect(result).rejects.toMatchObject({ failure: { kind: "unreachable" } });
  expect(attempts.length).toBe(DEFAULT_RETRY_POLICY.maxUnreachableAttempts);
});

test("the total delay of one call is bounded", async () => {
  const throttle = failing("Throttling");
  const { attempts, operation } = script(Array(20).fill(throttle));
  const run = deps(() => 1);
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 20, maxTotalDelayMs: 1000 };
  await expect(withRetry(operation, policy, run.deps)).rejects.toBeInstanceOf(RetryExhausted);
  // 200 + 400 = 600; the next 800 would pass 1000.
  expect(run.slept).toEqual([200, 400]);
  expect(attempts.length).toBe(3);
});

test("one delay never exceeds the cap, and jitter spans the whole range", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxDelayMs: 5000 };
  expect(backoffDelay("throttle", 30, policy, () => 0.999)).toBeLessThan(5000);
  expect(backoffDelay("throttle", 30, policy, () => 0.999)).toBeGreaterThan(4990);
  expect(backoffDelay("throttle", 3, policy, () => 0)).toBe(0);
  expect(backoffDelay("timeout", 2, policy, () => 0.25)).toBe(100);
});

test("a custom classifier decides what is retryable", async () => {
  const { attempts, operation } = script([new Error("odd")]);
  const classify = (): Failure => ({ kind: "transient", code: "Odd", message: "odd" });
  await expect(
    withRetry(operation, DEFAULT_RETRY_POLICY, { ...deps().deps, classify }),
  ).resolves.toBe("ok");
  expect(attempts).toEqual([1, 2]);
});
