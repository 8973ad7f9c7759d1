import { expect, test } from "vitest";
import { RateLimiter, type RateTicket } from "../../src/aws/rate-limiter.js";
import { VirtualTime } from "./support/virtual-time.js";

function limiter(ratePerSecond: number, time: VirtualTime, changes: string[] = []) {
  return new RateLimiter({
    ratePerSecond,
    now: time.now,
    sleep: time.sleep,
    onRateChange: (rate, reason) => changes.push(`${Math.round(rate * 10) / 10}: ${reason}`),
  });
}

test("concurrent callers are spaced 1/rate apart", async () => {
  const time = new VirtualTime();
  const pacer = limiter(10, time);
  const tickets = Promise.all(Array.from({ length: 5 }, () => pacer.acquire()));
  await time.run(10_000);
  expect((await tickets).map((t) => t.sentAt)).toEqual([0, 100, 200, 300, 400]);
});

test("the burst is small: 50 ms worth of the rate, at most 20 requests", async () => {
  const time = new VirtualTime();
  const pacer = limiter(1000, time);
  const tickets = Promise.all(Array.from({ length: 25 }, () => pacer.acquire()));
  await time.run(10_000);
  const sentAt = (await tickets).map((t) => t.sentAt);
  expect(sentAt.slice(0, 20)).toEqual(Array(20).fill(0));
  expect(sentAt.slice(20)).toEqual([1, 2, 3, 4, 5]);
});

test("a throttle lowers the rate by 30 %, once for all requests paced at the old rate", async () => {
  const time = new VirtualTime();
  const changes: string[] = [];
  const pacer = limiter(100, time, changes);
  const first = pacer.acquire();
  const second = pacer.acquire();
  await time.run(1000);
  pacer.onThrottle(await first, "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(70);
  await time.run(2000);
  pacer.onThrottle(await second, "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(70);
  expect(changes).toEqual(["70: throttled (SlowDown) at 100/s"]);
});

test("the cut follows the share refused: a lone throttle among successes costs 5 %", async () => {
  const time = new VirtualTime();
  const pacer = limiter(100, time);
  const pending = Array.from({ length: 20 }, () => pacer.acquire());
  await time.run(1000);
  const tickets = await Promise.all(pending);
  for (const ticket of tickets.slice(0, 19)) pacer.onSuccess(ticket);
  pacer.onThrottle(tickets[19] as RateTicket, "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(95);
  // At the new rate, half of the requests are refused: a cut by a quarter.
  const pendingNext = Array.from({ length: 10 }, () => pacer.acquire());
  await time.run(2000);
  const next = await Promise.all(pendingNext);
  // Answers arrive mixed; the cut is sized when the first throttle after the window arrives.
  next.forEach((ticket, i) => {
    if (i % 2 === 0) pacer.onSuccess(ticket);
    else pacer.onThrottle(ticket, "SlowDown");
  });
  expect(pacer.ratePerSecond).toBeCloseTo(95 * 0.75);
  // Successes of requests paced at an older rate say nothing about the current one.
  const stale = next[0] as RateTicket;
  const last = pacer.acquire();
  // 200 ms on: past the 150 ms decrease window, before any recovery step (500 ms).
  await time.run(2200);
  for (let i = 0; i < 50; i++) pacer.onSuccess(stale);
  pacer.onThrottle(await last, "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(95 * 0.75 * 0.7);
});

test("throttles right after a decrease wait for the decrease window", async () => {
  const time = new VirtualTime();
  const pacer = limiter(100, time);
  const throttleAt = async (ms: number) => {
    await time.run(ms);
    const ticket = pacer.acquire();
    await time.run(ms + 100);
    pacer.onThrottle(await ticket, "SlowDown");
  };
  await throttleAt(1000);
  expect(pacer.ratePerSecond).toBeCloseTo(70);
  // The window is 150 ms: a throttle 130 ms after the decrease is not a new signal yet.
  await throttleAt(1130);
  expect(pacer.ratePerSecond).toBeCloseTo(70);
  await throttleAt(1200);
  expect(pacer.ratePerSecond).toBeCloseTo(49);
});

test("the rate never drops below 1/s", async () => {
  const time = new VirtualTime();
  const pacer = limiter(5, time);
  for (let i = 0; i < 20; i++) {
    const ticket = pacer.acquire();
    await time.run(time.now() + 1000);
    pacer.onThrottle(await ticket, "SlowDown");
  }
  expect(pacer.ratePerSecond).toBe(1);
});

test("after throttling the rate recovers with successes, never above the configured rate", async () => {
  const time = new VirtualTime();
  const changes: string[] = [];
  const pacer = limiter(100, time, changes);
  pacer.onThrottle(await pacer.acquire(), "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(70);
  const seen: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const ticket = pacer.acquire();
    await time.run(time.now() + 20);
    await ticket;
    pacer.onSuccess();
    seen.push(pacer.ratePerSecond);
  }
  expect(Math.max(...seen)).toBe(100);
  expect(pacer.ratePerSecond).toBe(100);
  // Quick at first (toward 95 % of where throttling began), then small probing steps.
  expect(changes[1]).toMatch(/^82\.5: recovering after \d+ successful requests$/);
  expect(seen.every((rate, i) => i === 0 || rate >= (seen[i - 1] ?? 0))).toBe(true);
});

test("a non-positive rate is refused", () => {
  const time = new VirtualTime();
  expect(() => limiter(0, time)).toThrow(RangeError);
});

interface SimulationResult {
  successesPerSecond: number;
  throttleFraction: number;
  finalRate: number;
}

/**
 * Workers that acquire, send to a server admitting `admitted` requests/s (a token bucket with
 * 100 ms of burst), wait `latencyMs` for the answer, and report back — all in virtual time.
 * Throttled requests are simply counted: the retry path re-enters the same limiter.
 */
async function simulate(configured: number | undefined, admitted: number, seconds: number) {
  const time = new VirtualTime();
  const pacer =
    configured === undefined
      ? new RateLimiter({ now: time.now, sleep: time.sleep })
      : limiter(configured, time);
  const capacity = admitted / 10;
  let tokens = capacity;
  let lastRefill = 0;
  let successes = 0;
  let throttles = 0;
  const latencyMs = 20;
  const endMs = seconds * 1000;
  const warmUpMs = 5000;
  const worker = async () => {
    while (time.now() < endMs) {
      const ticket = await pacer.acquire();
      const at = time.now();
      tokens = Math.min(capacity, tokens + ((at - lastRefill) * admitted) / 1000);
      lastRefill = at;
      const admittedNow = tokens >= 1;
      if (admittedNow) tokens -= 1;
      await time.sleep(latencyMs);
      if (admittedNow) {
        if (at >= warmUpMs) successes++;
        pacer.onSuccess();
      } else {
        if (at >= warmUpMs) throttles++;
        pacer.onThrottle(ticket, "SlowDown");
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 32 }, worker));
  await time.run(endMs + 1000);
  await workers;
  const measuredSeconds = (endMs - warmUpMs) / 1000;
  return {
    successesPerSecond: successes / measuredSeconds,
    throttleFraction: throttles / (successes + throttles),
    finalRate: pacer.ratePerSecond,
  } satisfies SimulationResult;
}

test("told 1000/s against a server admitting 200/s, it settles near 200/s with few throttles", async () => {
  const result = await simulate(1000, 200, 40);
  expect(result.successesPerSecond).toBeGreaterThanOrEqual(0.85 * 200);
  expect(result.successesPerSecond).toBeLessThanOrEqual(200);
  expect(result.throttleFraction).toBeLessThan(0.02);
  expect(result.finalRate).toBeLessThan(260);
});

test("with no rate configured (the default), it finds a server admitting 200/s by itself", async () => {
  // 32 workers at 20 ms could send 1,600/s: the pace comes from the throttles alone.
  const result = await simulate(undefined, 200, 40);
  expect(result.successesPerSecond).toBeGreaterThanOrEqual(0.85 * 200);
  expect(result.successesPerSecond).toBeLessThanOrEqual(200);
  expect(result.throttleFraction).toBeLessThan(0.02);
  expect(result.finalRate).toBeLessThan(260);
});

test("told R against a server admitting R, throughput stays at or above 90 % of R", async () => {
  const result = await simulate(300, 300, 20);
  expect(result.successesPerSecond).toBeGreaterThanOrEqual(0.9 * 300);
  expect(result.throttleFraction).toBe(0);
});

test("without a configured rate, requests go unpaced until the first throttle", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  const tickets = Promise.all(Array.from({ length: 100 }, () => pacer.acquire()));
  await time.run(10);
  expect((await tickets).map((t) => t.sentAt)).toEqual(Array(100).fill(0));
  expect(pacer.ratePerSecond).toBe(Number.POSITIVE_INFINITY);
});

test("without a configured rate, the first throttle cuts from the rate actually sent", async () => {
  const time = new VirtualTime();
  const changes: string[] = [];
  const pacer = new RateLimiter({
    now: time.now,
    sleep: time.sleep,
    onRateChange: (rate, reason) => changes.push(`${Math.round(rate)}: ${reason}`),
  });
  // 300 requests/s for a second (the caller's concurrency is the limit), all answered.
  let last: RateTicket | undefined;
  for (let i = 0; i < 300; i++) {
    last = await pacer.acquire();
    pacer.onSuccess(last);
    await time.run(time.now() + 1000 / 300);
  }
  // Then the server refuses most requests: the cut is taken from ~300/s, not from infinity.
  const refused = await pacer.acquire();
  for (let i = 0; i < 5; i++) pacer.onThrottle(refused, "SlowDown");
  // Counted in 100 ms buckets: the last second's figure is within a bucket of the true 300/s.
  const cutFrom = Number(/throttled \(SlowDown\) at ([\d.]+)\/s/.exec(changes[0] ?? "")?.[1]);
  expect(cutFrom).toBeGreaterThanOrEqual(260);
  expect(cutFrom).toBeLessThanOrEqual(300);
  expect(pacer.ratePerSecond).toBeGreaterThan(cutFrom * 0.69);
  expect(pacer.ratePerSecond).toBeLessThan(cutFrom);
});

test("with a ceiling, a cut is taken from the rate sent when that is below the nominal rate", async () => {
  const time = new VirtualTime();
  const pacer = limiter(1000, time);
  // Only 50 requests/s were sent (the caller's concurrency), though 1,000/s were allowed.
  for (let i = 0; i < 50; i++) {
    pacer.onSuccess(await pacer.acquire());
    await time.run(time.now() + 20);
  }
  pacer.onThrottle(await pacer.acquire(), "SlowDown");
  expect(pacer.ratePerSecond).toBeLessThan(50);
  expect(pacer.ratePerSecond).toBeGreaterThan(30);
});
