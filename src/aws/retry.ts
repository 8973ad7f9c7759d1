// Retries with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff
// And Jitter"): delay = random() * min(cap, base * 2^retry). Pure: sleep and random are injected.
import { count } from "../count.js";
import { classifyFailure, type Failure, type FailureKind } from "./failure.js";

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Attempts in total when nothing listens at the endpoint: a down endpoint should fail fast. */
  maxUnreachableAttempts: number;
  /** Base delay for throttling; slowing down needs longer pauses than a flaky connection. */
  throttleBaseDelayMs: number;
  /** Base delay for 5xx, timeouts and network errors. */
  transientBaseDelayMs: number;
  /** Cap of one delay. */
  maxDelayMs: number;
  /** Cap of all delays of one call added up; past it the call fails instead of sleeping. */
  maxTotalDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  maxUnreachableAttempts: 3,
  throttleBaseDelayMs: 200,
  transientBaseDelayMs: 100,
  maxDelayMs: 10_000,
  maxTotalDelayMs: 60_000,
};

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
  failure: Failure;
}

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (info: RetryInfo) => void;
  classify?: (error: unknown) => Failure;
}

/** Thrown when a call fails for good: the last error, how it was classified, attempts made. */
export class RetryExhausted extends Error {
  override name = "RetryExhausted";
  constructor(
    readonly failure: Failure,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`${failure.code} after ${count(attempts, "attempt")}: ${failure.message}`);
  }
}

function attemptsAllowed(kind: FailureKind, policy: RetryPolicy): number {
  if (kind === "fatal") return 1;
  if (kind === "unreachable") return Math.min(policy.maxAttempts, policy.maxUnreachableAttempts);
  return policy.maxAttempts;
}

/** The full-jitter delay before retry number `retry` (0 for the first retry). */
export function backoffDelay(
  kind: FailureKind,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const base = kind === "throttle" ? policy.throttleBaseDelayMs : policy.transientBaseDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, runs out of attempts or
 * would exceed the total delay budget. Always rejects with RetryExhausted on failure.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  const classify = deps.classify ?? classifyFailure;
  let totalDelayMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const failure = classify(error);
      if (attempt >= attemptsAllowed(failure.kind, policy)) {
        throw new RetryExhausted(failure, attempt, error);
      }
      const delayMs = backoffDelay(failure.kind, attempt - 1, policy, deps.random);
      if (totalDelayMs + delayMs > policy.maxTotalDelayMs) {
        throw new RetryExhausted(failure, attempt, error);
      }
      totalDelayMs += delayMs;
      deps.onRetry?.({ attempt, delayMs, failure });
      await deps.sleep(delayMs);
    }
  }
}
