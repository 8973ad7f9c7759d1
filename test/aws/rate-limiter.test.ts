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

test("before 20 requests are admitted, the cut follows the share refused: a lone throttle among successes costs 5 %", async () => {
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

test("without a configured rate, requests are not paced but start slowly: 8 before any answer, one more per success", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  const sent: RateTicket[] = [];
  for (let i = 0; i < 100; i++) void pacer.acquire().then((ticket) => sent.push(ticket));
  await time.run(0);
  expect(sent).toHaveLength(8);
  // Each success lets two more out (its own slot and one more): the window doubles per round trip.
  await time.run(20);
  for (const ticket of sent.slice(0, 8)) pacer.onSuccess(ticket);
  await time.run(20);
  expect(sent).toHaveLength(24);
  expect(sent.slice(8).every((t) => t.sentAt === 20)).toBe(true);
  expect(pacer.ratePerSecond).toBe(Number.POSITIVE_INFINITY);
});

test("started from a pace another limiter found, requests are paced from the first one, with no slow start and no ceiling", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ initialRatePerSecond: 10, now: time.now, sleep: time.sleep });
  const tickets = Promise.all(Array.from({ length: 5 }, () => pacer.acquire()));
  await time.run(10_000);
  const sent = await tickets;
  expect(sent.map((t) => t.sentAt)).toEqual([0, 100, 200, 300, 400]);
  expect(pacer.ratePerSecond).toBe(10);
  // No ceiling: a server that keeps up is probed above the pace it started from.
  for (const ticket of sent) pacer.onSuccess(ticket);
  expect(pacer.ratePerSecond).toBeGreaterThan(10);
});

test("in slow start, a pace another limiter found ends it; past slow start a limiter keeps its own", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  const sent: RateTicket[] = [];
  for (let i = 0; i < 12; i++) void pacer.acquire().then((ticket) => sent.push(ticket));
  await time.run(0);
  expect(sent).toHaveLength(8);
  expect(pacer.slowStarting).toBe(true);
  pacer.startAt(10);
  expect(pacer.slowStarting).toBe(false);
  expect(pacer.ratePerSecond).toBe(10);
  await time.run(1000);
  // The four that waited for the window go out paced, 100 ms apart.
  expect(sent.slice(8).map((t) => t.sentAt)).toEqual([0, 100, 200, 300]);
  pacer.startAt(50);
  expect(pacer.ratePerSecond).toBe(10);
});

test("slow start ends at the first throttle, which halves the rate sent; then nothing waits for answers", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  const sent: RateTicket[] = [];
  for (let i = 0; i < 60; i++) void pacer.acquire().then((ticket) => sent.push(ticket));
  await time.run(100);
  expect(sent).toHaveLength(8);
  pacer.onThrottle(sent[0] as RateTicket, "SlowDown");
  // 8 requests in the first 100 ms: 80/s sent, so 40/s from here, paced but not windowed.
  expect(pacer.ratePerSecond).toBeCloseTo(40);
  await time.run(100 + 1000);
  expect(sent.length).toBeGreaterThan(40);
});

test("an attempt that ends without telling anything about the rate frees its slot of the window", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  const sent: RateTicket[] = [];
  for (let i = 0; i < 9; i++) void pacer.acquire().then((ticket) => sent.push(ticket));
  await time.run(0);
  expect(sent).toHaveLength(8);
  pacer.onNoSignal(sent[0] as RateTicket);
  await time.run(0);
  expect(sent).toHaveLength(9);
});

test("a throttle right after a step up costs the step, not a deep cut", async () => {
  const time = new VirtualTime();
  const changes: string[] = [];
  const pacer = limiter(1000, time, changes);
  pacer.onThrottle(await pacer.acquire(), "SlowDown");
  // Climb by steps until the rate has moved up a few times.
  while (changes.length < 4) {
    const ticket = pacer.acquire();
    await time.run(time.now() + 5);
    pacer.onSuccess(await ticket);
  }
  const before = Number(/^([\d.]+)/.exec(changes[2] ?? "")?.[1]);
  // The first answer at the new rate is a throttle: too few answers to measure a share.
  pacer.onThrottle(await pacer.acquire(), "SlowDown");
  expect(pacer.ratePerSecond).toBeGreaterThanOrEqual(before * 0.95 - 0.1);
});

/**
 * A shard of `n` requests from 16 workers, each retried after a throttle with full-jitter
 * backoff (200 ms base), against a server admitting `admitted`/s with a bucket of `burst`, in
 * virtual time. `lateMs`: every timer and answer comes up to that much late (a busy event loop,
 * a network that is not perfectly even). Returns the share of requests throttled, when the last
 * one succeeded, and the lowest pace after the first 5 seconds.
 */
async function shard(n: number, admitted: number, burst: number, lateMs = 0) {
  const time = new VirtualTime();
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const late = () => (lateMs > 0 ? random() * lateMs : 0);
  const pacer = new RateLimiter({
    now: time.now,
    sleep: (ms) => time.sleep(ms + late()),
  });
  let tokens = burst;
  let lastRefill = 0;
  let throttles = 0;
  let lastSuccessAt = 0;
  let lowestPace = Number.POSITIVE_INFINITY;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      for (let attempt = 0; ; attempt++) {
        const ticket = await pacer.acquire();
        const at = time.now();
        tokens = Math.min(burst, tokens + ((at - lastRefill) * admitted) / 1000);
        lastRefill = at;
        const admittedNow = tokens >= 1 - 1e-9;
        if (admittedNow) tokens = Math.max(0, tokens - 1);
        await time.sleep(20 + late());
        if (at >= 5000) lowestPace = Math.min(lowestPace, pacer.ratePerSecond);
        if (admittedNow) {
          pacer.onSuccess(ticket);
          lastSuccessAt = time.now();
          break;
        }
        throttles++;
        pacer.onThrottle(ticket, "SlowDown");
        await time.sleep(Math.floor(random() * 200 * 2 ** attempt));
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 16 }, worker));
  let finished = false;
  void workers.then(() => {
    finished = true;
  });
  while (!finished) await time.run(time.now() + 100);
  return {
    throttledShare: throttles / (n + throttles),
    seconds: lastSuccessAt / 1000,
    lowestPace,
  };
}

test("a small shard (100 requests) against a server admitting 100/s, burst 5, is not a third throttled", async () => {
  const result = await shard(100, 100, 5);
  expect(result.throttledShare).toBeLessThan(0.15);
  // The server needs 0.95 s for 100 requests (its bucket holds 5).
  expect(result.seconds).toBeLessThan(1.1);
});

test("slow start costs next to nothing against a server that keeps up", async () => {
  // 16 workers at 20 ms carry 800/s: 2,000 requests take 2.5 s unpaced.
  const result = await shard(2000, 100_000, 10_000);
  expect(result.throttledShare).toBe(0);
  expect(result.seconds).toBeLessThan(2.5 * 1.01);
});

test("against a server admitting 200/s, 10,000 requests get at least 98 % of its rate", async () => {
  const result = await shard(10_000, 200, 20);
  expect(10_000 / (result.seconds * 200 + 20)).toBeGreaterThanOrEqual(0.98);
  expect(result.throttledShare).toBeLessThan(0.02);
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

test("at a server's limit, with timers and answers a few ms late, 10,000 requests get 99.5 % of its rate", async () => {
  // Late timers bunch requests up, so the server refuses some while the average pace is under
  // its rate. A throttle costs the server nothing; a pace under its rate is capacity lost.
  const result = await shard(10_000, 200, 20, 3);
  expect(10_000 / (result.seconds * 200 + 20)).toBeGreaterThanOrEqual(0.995);
  expect(result.throttledShare).toBeLessThan(0.03);
  // Never a cut well under the limit once it is found (a 5 % cut was 190/s).
  expect(result.lowestPace).toBeGreaterThanOrEqual(196);
});

/** Sends one request every `everyMs` until `untilMs`, each answered 20 ms later by `answer`. */
async function steady(
  pacer: RateLimiter,
  time: VirtualTime,
  everyMs: number,
  untilMs: number,
  answer: (ticket: RateTicket) => void,
) {
  while (time.now() < untilMs) {
    void pacer.acquire().then(async (ticket) => {
      await time.sleep(20);
      answer(ticket);
    });
    await time.run(time.now() + everyMs);
  }
  await time.run(time.now() + 20);
}

/** A ticket, with time run on while the pacer makes the caller wait for it. */
async function acquired(pacer: RateLimiter, time: VirtualTime): Promise<RateTicket> {
  let ticket: RateTicket | undefined;
  void pacer.acquire().then((t) => {
    ticket = t;
  });
  while (ticket === undefined) await time.run(time.now() + 1);
  return ticket;
}

test("a lone throttle among a second of admitted requests costs 1 %, not 5 %", async () => {
  const time = new VirtualTime();
  const pacer = limiter(100, time);
  // The caller would send 200/s: paced at 100/s for a second, every request admitted.
  await steady(pacer, time, 5, 1000, (ticket) => pacer.onSuccess(ticket));
  pacer.onThrottle(await acquired(pacer, time), "SlowDown");
  expect(pacer.ratePerSecond).toBeCloseTo(99);
});

test("slow start's first throttle after a tenth of a second of answers holds the rate sent, not half of it", async () => {
  const time = new VirtualTime();
  const pacer = new RateLimiter({ now: time.now, sleep: time.sleep });
  // 250/s sent (the caller's pace, not the window) and admitted for 150 ms, then one refused.
  await steady(pacer, time, 4, 150, (ticket) => pacer.onSuccess(ticket));
  pacer.onThrottle(await acquired(pacer, time), "SlowDown");
  expect(pacer.ratePerSecond).toBeGreaterThan(200);
});
