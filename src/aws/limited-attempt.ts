// How every AWS call of s3ap is sent, S3 Control and IAM Access Analyzer alike: the account's
// role (if one is configured) signs it, one rate limiter per (account, region) paces it and
// hears its throttles, and throttled or transient failures are retried with backoff and full
// jitter. Each API gets its own instance: their throttling rates are unrelated.
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import { AwsError, type OptionName } from "../errors.js";
import type { AccountCredentials } from "./assume-role.js";
import { classifyFailure, type Failure } from "./failure.js";
import { RateLimiter } from "./rate-limiter.js";
import { DEFAULT_RETRY_POLICY, RetryExhausted, type RetryPolicy, withRetry } from "./retry.js";
import type { StoreEvent } from "./store-events.js";

export interface LimitedCallOptions {
  /** --rate: max requests/s per (account, region); undefined = unpaced until a throttle. */
  ratePerSecond?: number | undefined;
  /** Attempts per call for throttling and transient failures (default 8). */
  maxAttempts?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
  onEvent?: ((event: StoreEvent) => void) | undefined;
  /** Roles per account: each account's calls are signed with its own credentials only. */
  accountCredentials?: AccountCredentials | undefined;
  /** How messages name the run's options: the entry's words (default: the CLI's flags). */
  optionName?: OptionName | undefined;
}

/** What one call is about: its limiter's key and the words of its retry events. */
export interface CallScope {
  accountId: string;
  region: string;
  operation: string;
  /** The access point's ARN, or a description of what was listed. */
  target: string;
}

export interface LimitedCalls {
  /**
   * One call: `client` gets the account's role credentials (undefined: the default chain),
   * `describe` turns the last failure into the error thrown once retries are spent. A role that
   * cannot be assumed rejects before any request, with the same error for every call of its
   * account.
   */
  call<C, T>(
    scope: CallScope,
    client: (credentials: AwsCredentialIdentityProvider | undefined) => C,
    send: (client: C) => Promise<T>,
    describe: (failure: Failure, attempts: number) => Error,
  ): Promise<T>;
  clear(): void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createLimitedCalls(options: LimitedCallOptions): LimitedCalls {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const retryPolicy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
  const limiters = new Map<string, RateLimiter>();
  /** Per region, the pace its limiters were last cut to: where a new account's limiter starts. */
  const found = new Map<string, number>();
  /** Per region, its limiters in slow start: they take the first pace another one finds. */
  const starting = new Map<string, Set<RateLimiter>>();

  function limiterFor(accountId: string, region: string): RateLimiter {
    const key = `${accountId}/${region}`;
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      // Without --rate, an account first used after another of its region has been throttled
      // starts at the pace that one found (rate-limiter.ts). AWS publishes no rate for these
      // APIs and limits each account on its own, but what another account of the same region
      // was admitted is a better first guess than an unpaced slow start. Only a cut (after a
      // throttle) is passed on: a limiter whose callers send slower than its pace keeps probing
      // upward without ever being told no, so the pace it climbs to was never tried.
      let previous = Number.POSITIVE_INFINITY;
      limiter = new RateLimiter({
        ratePerSecond: options.ratePerSecond,
        initialRatePerSecond: found.get(region),
        now,
        sleep,
        onRateChange: (ratePerSecond, reason) => {
          options.onEvent?.({ type: "rate-change", accountId, region, ratePerSecond, reason });
          const cut = ratePerSecond < previous;
          previous = ratePerSecond;
          if (!cut) return;
          found.set(region, ratePerSecond);
          // The accounts of the region still in slow start take that pace too.
          const waiting = starting.get(region);
          starting.delete(region);
          for (const sibling of waiting ?? []) sibling.startAt(ratePerSecond);
        },
      });
      if (limiter.slowStarting) {
        const waiting = starting.get(region) ?? new Set<RateLimiter>();
        waiting.add(limiter);
        starting.set(region, waiting);
      }
      limiters.set(key, limiter);
    }
    return limiter;
  }

  return {
    async call(scope, client, send, describe) {
      const credentials = await options.accountCredentials?.providerFor(
        scope.accountId,
        scope.region,
      );
      const limiter = limiterFor(scope.accountId, scope.region);
      const signed = client(credentials);
      try {
        return await withRetry(() => attemptThrough(limiter, () => send(signed)), retryPolicy, {
          sleep,
          random,
          onRetry: ({ attempt, delayMs, failure }) =>
            options.onEvent?.({
              type: "retry",
              operation: scope.operation,
              accessPoint: scope.target,
              code: failure.code,
              attempt,
              delayMs,
            }),
        });
      } catch (error) {
        if (!(error instanceof RetryExhausted)) throw error;
        throw describe(error.failure, error.attempts);
      }
    },
    clear() {
      limiters.clear();
      found.clear();
      starting.clear();
    },
  };
}

/** One attempt through the limiter, telling it whether the endpoint throttled. */
async function attemptThrough<T>(limiter: RateLimiter, send: () => Promise<T>): Promise<T> {
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
    } else limiter.onNoSignal(ticket);
    throw error;
  }
}

/**
 * Pages read of one listing. NOTE: ListAccessPoints at s3ap's 1,000 a page then lists 100,000
 * access points, ten times AWS's default quota per account and region.
 */
export const DEFAULT_MAX_PAGES = 100;

/**
 * Every page of a paginated call, at most `maxPages` of them. A token seen twice, or a next token
 * after `maxPages` pages, means the endpoint's pagination is broken (or hostile: distinct tokens
 * forever would fill memory): an error naming `what` (e.g. "ListAccessPoints for …"), not an
 * endless loop.
 */
export async function collectPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; nextToken: string | undefined }>,
  what: string,
  tokenName: string,
  maxPages = DEFAULT_MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const output = await page(nextToken);
    pages += 1;
    appendAll(items, output.items);
    nextToken = output.nextToken === "" ? undefined : output.nextToken;
    if (nextToken !== undefined) {
      if (seenTokens.has(nextToken)) {
        throw new AwsError(
          `${what} returned the same ${tokenName} twice; the endpoint's pagination is broken`,
          "PaginationLoop",
          false,
        );
      }
      if (pages >= maxPages) {
        throw new AwsError(
          `${what} still named a next ${tokenName} after ${count(pages, "page")}; s3ap reads at ` +
            `most ${count(maxPages, "page")} of one listing, far more than a real one needs, so ` +
            "the endpoint's pagination is broken: nothing more is read from it",
          "TooManyPages",
          false,
        );
      }
      seenTokens.add(nextToken);
    }
  } while (nextToken !== undefined);
  return items;
}
