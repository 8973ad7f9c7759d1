// One rate limiter per (account, region) of one AWS API, and one attempt through it that tells it
// whether the endpoint throttled: shared by the S3 Control calls and the Access Analyzer checks
// (each API gets its own pool: their throttling rates are unrelated).
import { classifyFailure } from "./failure.js";
import { RateLimiter } from "./rate-limiter.js";
import type { StoreEvent } from "./store-events.js";

export interface LimiterPoolOptions {
  ratePerSecond?: number | undefined;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  onEvent?: ((event: StoreEvent) => void) | undefined;
}

export interface LimiterPool {
  limiterFor(accountId: string, region: string): RateLimiter;
  clear(): void;
}

export function createLimiterPool(options: LimiterPoolOptions): LimiterPool {
  const limiters = new Map<string, RateLimiter>();
  return {
    limiterFor(accountId, region) {
      const key = `${accountId}/${region}`;
      let limiter = limiters.get(key);
      if (limiter === undefined) {
        limiter = new RateLimiter({
          ratePerSecond: options.ratePerSecond,
          now: options.now,
          sleep: options.sleep,
          onRateChange: (ratePerSecond, reason) =>
            options.onEvent?.({ type: "rate-change", accountId, region, ratePerSecond, reason }),
        });
        limiters.set(key, limiter);
      }
      return limiter;
    },
    clear() {
      limiters.clear();
    },
  };
}

/** One attempt through the limiter, telling it whether the endpoint throttled. */
export async function attemptThrough<T>(limiter: RateLimiter, send: () => Promise<T>): Promise<T> {
  const ticket = await limiter.acquire();
  try {
    const output = await send();
    limiter.onSuccess(ticket);
    return output;
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.kind === "throttle") limiter.onThrottle(ticket, failure.code);
    // An answered request that was not throttled shows the rate is fine.
    else if (failure.kind === "fatal" && failure.httpStatus !== undefined) {
      limiter.onSuccess(ticket);
    }
    throw error;
  }
}
