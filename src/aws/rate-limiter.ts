// Paces requests to one (account, region) and slows down when S3 Control throttles.
//
// Pacing is GCRA (a token bucket expressed as a theoretical arrival time): every caller reserves
// the next slot synchronously, so concurrent callers are spaced exactly 1/rate apart and the
// burst stays small — a big burst would overshoot a server that admits exactly our rate.
//
// The rate follows what the server admits. A throttle costs the server nothing (it refuses
// without spending capacity), while every moment paced under its rate is capacity lost for good
// once its burst allowance is full; and a pace exactly at its rate is still refused now and then,
// because timers and answers come a few ms late and bunch requests up. So once 20 requests sent
// in the last second were admitted, a lone throttle among them costs 1 %, and throttles with
// a larger share refused set the pace to what the server admitted over the last second (over the
// last quarter second when it has just slowed down: most of that was refused), plus 1 %: a hair
// above its rate, a few requests refused and retried, none of its capacity left unused. Cutting
// 5 % under the limit at every throttle (a sawtooth) left ~1 % of the rate unused; with 3 ms of
// lateness, 10,000 requests against 200/s got 98.5-99 % of it, 99.8 % now (bench/pacing-model.mjs).
// Before that the cut follows the share of requests paced at the current rate that were refused
// (as DCTCP sizes its cut by the share of marked packets): a lone throttle costs 5 %, a server
// refusing most requests `decreaseFactor`. At most one change per `minDecreaseIntervalMs`
// (150 ms, a few round trips), and throttles of requests sent before the last change say nothing
// new. The rate then climbs back in steps after runs of successes: quickly up to just under the
// rate where throttling started, then slowly probing above it, never above the configured rate.
//
// Without a configured rate (the default) there is no ceiling: requests are not paced until the
// first throttle, only started slowly, as TCP's slow start does: at most `initialWindow` (8)
// requests in flight before any answer, one more for every success (the window doubles every
// round trip), until the first throttle or `maxWindow`. Behind 20 ms a caller with 16 in flight
// is at full speed after two round trips (~20 ms of requests lost), while a small shard no
// longer throws its whole concurrency at a server that admits 100/s with a burst of 5 (a third
// of such a shard's requests were throttled when it started unpaced; about a eighth now). The
// throttle that ends slow start halves the rate requests were actually sent at (slow start
// overshoots by up to twice), as TCP does, unless a tenth of a second of answers came first (a
// caller slower than the window: then they measure the server). Every later cut is taken from
// the rate requests were actually sent at over the last second (never from a nominal rate far
// above what the concurrency let through), and the same climb then probes upward without a cap.
// `--rate` stays an explicit ceiling for users who must leave capacity to others (paced from the
// start, with the small burst above, so no slow start).
//
// A limiter may also start from a pace other limiters found (`initialRatePerSecond`: what
// another account of the same region was last cut to, in one job over many accounts). It is
// paced from its first request, with no slow start and no ceiling: slow start's first round trip
// alone sends 8 at a server whose burst may be 5, and its window grows on successes that come in
// bunches when the thread is short of CPU, so each new account of a 100-account job threw about
// 6 of its first 20 requests at a throttle. A server that admits the account less throttles it
// and the usual cut follows; one that admits more is found by the usual probing upward. A limiter
// still in slow start when another one finds the pace ends its slow start at that pace
// (`startAt`): the accounts that started before the first throttle threw 10-20 % of their
// requests at one.

export interface RateLimiterOptions {
  /** The configured maximum (`--rate`); undefined = no ceiling, unpaced until a throttle. */
  ratePerSecond?: number | undefined;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  minRatePerSecond?: number;
  /** The deepest single cut, when most requests paced at the current rate were refused (0.7). */
  decreaseFactor?: number;
  /** Idle capacity that may be spent at once, in seconds of the current rate (capped by maxBurst). */
  burstSeconds?: number;
  maxBurst?: number;
  minDecreaseIntervalMs?: number;
  /** Time between two increases, when every request in between succeeded. */
  recoveryIntervalMs?: number;
  onRateChange?: (ratePerSecond: number, reason: string) => void;
  /**
   * Without a ceiling: start paced at this rate (a pace other limiters of the same API and region
   * found) instead of slow start.
   */
  initialRatePerSecond?: number | undefined;
  /** Slow start without a ceiling: requests in flight before the first answer (8). */
  initialWindow?: number;
  /** Slow start ends when the window reaches this many requests in flight (256). */
  maxWindow?: number;
}

/** What `acquire` hands out; pass it back to `onThrottle` so stale throttles are recognised. */
export interface RateTicket {
  sentAt: number;
  generation: number;
}

/** The quarter second that shows a server that has just slowed down; the share refused in it. */
const RECENT_MS = 250;
const RECENT_SHARE = 0.25;
/** Refused requests per admitted one below which a throttle is a lone one. */
const LONE_SHARE = 0.03;
/** Slow start's answers measure the server once they span this long (its burst counts less). */
const SLOW_START_SPAN_MS = 100;
/** How far above what the server admitted the pace is held. */
const HEADROOM = 0.01;
/** What a lone throttle costs. */
const LONE_CUT = 0.99;

export class RateLimiter {
  readonly maxRate: number;
  private rate: number;
  /** The rate at which the server last throttled us; recovery aims just below it. */
  private ceiling: number;
  private generation = 0;
  private theoreticalArrival = Number.NEGATIVE_INFINITY;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private lastChangeAt: number;
  private successesSinceChange = 0;
  /** Answers to requests paced at the current rate: the share refused sizes the next cut. */
  private acceptedThisGeneration = 0;
  private refusedThisGeneration = 0;
  /** Consecutive probing steps above the ceiling; each one doubles the next step. */
  private probeSteps = 0;
  private readonly minRate: number;
  private readonly decreaseFactor: number;
  private readonly burstSeconds: number;
  private readonly maxBurst: number;
  private readonly minDecreaseIntervalMs: number;
  private readonly recoveryIntervalMs: number;
  private readonly sent = new SendRate();
  /** Send times of the requests the server admitted. */
  private readonly admitted = new Tally();
  private readonly refused = new Tally();
  private lastThrottleAt = Number.NEGATIVE_INFINITY;
  /** When the pacer last made a caller wait: it, not the caller, set the pace until then. */
  private lastPacedAt = Number.NEGATIVE_INFINITY;
  /** The rate before the last step up, while that step is the last change; the server kept up with it. */
  private rateBeforeStep: number | undefined;
  /** Requests acquired whose answer has not been reported yet. */
  private inFlight = 0;
  /** Slow start's limit on `inFlight`; undefined once slow start is over (or never began). */
  private window: number | undefined;
  private readonly maxWindow: number;
  /** Callers waiting for a slot of the window, first come, first served. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: RateLimiterOptions) {
    const configured = options.ratePerSecond ?? Number.POSITIVE_INFINITY;
    if (!(configured > 0)) {
      throw new RangeError(`rate must be a positive number of requests per second`);
    }
    this.maxRate = configured;
    this.rate = configured;
    this.ceiling = configured;
    this.minRate = Math.min(options.minRatePerSecond ?? 1, configured);
    this.decreaseFactor = options.decreaseFactor ?? 0.7;
    this.burstSeconds = options.burstSeconds ?? 0.05;
    this.maxBurst = options.maxBurst ?? 20;
    this.minDecreaseIntervalMs = options.minDecreaseIntervalMs ?? 150;
    this.recoveryIntervalMs = options.recoveryIntervalMs ?? 500;
    this.lastChangeAt = options.now();
    this.maxWindow = options.maxWindow ?? 256;
    const start = options.initialRatePerSecond;
    if (
      configured === Number.POSITIVE_INFINITY &&
      start !== undefined &&
      start > 0 &&
      start < configured
    ) {
      this.rate = start;
      this.ceiling = start;
    } else if (configured === Number.POSITIVE_INFINITY) {
      this.window = options.initialWindow ?? 8;
    }
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Whether it is in slow start: without a ceiling, before any throttle or pace it was given. */
  get slowStarting(): boolean {
    return this.window !== undefined;
  }

  /**
   * Waits for the caller's slot. The reservation is made before the first await. Every ticket
   * must be answered once: onSuccess, onThrottle or onNoSignal.
   */
  async acquire(): Promise<RateTicket> {
    if (this.window !== undefined && this.inFlight >= this.window) {
      // The slot is counted by whoever hands it over (admitWaiting).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    const now = this.options.now();
    if (this.rate === Number.POSITIVE_INFINITY) {
      this.sent.record(now);
      return { sentAt: now, generation: this.generation };
    }
    const interval = 1000 / this.rate;
    const burst = Math.max(1, Math.min(this.maxBurst, Math.floor(this.rate * this.burstSeconds)));
    const arrival = Math.max(this.theoreticalArrival, now);
    const sendAt = Math.max(now, arrival - (burst - 1) * interval);
    this.theoreticalArrival = arrival + interval;
    const ticket = { sentAt: sendAt, generation: this.generation };
    this.sent.record(sendAt);
    if (sendAt > now) {
      this.lastPacedAt = sendAt;
      await this.options.sleep(sendAt - now);
    }
    return ticket;
  }

  onThrottle(ticket: RateTicket, code: string): void {
    const now = this.options.now();
    this.release();
    const inSlowStart = this.window !== undefined;
    // The server's limit is found: from here on the pace, not the window, keeps below it.
    this.endSlowStart();
    this.lastThrottleAt = now;
    this.refused.record(ticket.sentAt);
    if (ticket.generation !== this.generation) return;
    this.refusedThisGeneration++;
    if (now - this.lastDecreaseAt < this.minDecreaseIntervalMs) return;
    const refused =
      this.refusedThisGeneration / (this.refusedThisGeneration + this.acceptedThisGeneration);
    const factor = Math.max(this.decreaseFactor, Math.min(0.95, 1 - refused / 2));
    // While the pacer made callers wait, requests went out at its rate. Otherwise the caller's
    // concurrency was the limit and the nominal rate (infinite without a ceiling, or climbed
    // meanwhile) may be far above what was sent: cut from what was really sent.
    // A handful of requests in the window is no measurement; without a ceiling it is the only one.
    const paced = now - this.lastPacedAt <= SendRate.windowMs;
    const sent = this.sent.measure(now);
    const measured =
      sent !== undefined && (sent.count >= 20 || this.rate === Number.POSITIVE_INFINITY);
    const base = !paced && measured ? Math.min(this.rate, sent.ratePerSecond) : this.rate;
    const next = Math.max(
      this.minRate,
      this.afterThrottle(ticket.sentAt, base, factor, inSlowStart),
    );
    this.ceiling = inSlowStart ? next : base;
    this.probeSteps = 0;
    this.lastDecreaseAt = now;
    this.change(next, now, `throttled (${code}) at ${round(this.ceiling)}/s`);
  }

  /**
   * The rate after a throttle of a request sent at `sentAt`, when requests went out at `base`
   * per second (see the file's header): the server's own figure once it admitted 20 of those
   * sent in the last second, plus 1 %; a lone throttle among them costs 1 %.
   */
  private afterThrottle(
    sentAt: number,
    base: number,
    factor: number,
    inSlowStart: boolean,
  ): number {
    const last = this.answered(sentAt, SendRate.windowMs);
    const recent = this.answered(sentAt, RECENT_MS);
    const measured = last.admitted >= 20 && (!inSlowStart || last.spanMs >= SLOW_START_SPAN_MS);
    // A throttle right after a step up says the limit lies between the last two rates: it costs
    // the step and a little more, never the deep cut of a server far below the rate.
    const floor = this.rateBeforeStep !== undefined ? this.rateBeforeStep * 0.95 : 0;
    if (!measured) {
      // Slow start doubled the rate every round trip, so the first throttle comes when it is up to
      // twice what the server admits (and its burst let more through): start again from half, as
      // TCP does. Otherwise the first answers at this rate size the cut by the share refused.
      return Math.max(floor, base * (inSlowStart ? 0.5 : factor));
    }
    if (last.refused <= last.admitted * LONE_SHARE) return Math.max(floor, base * LONE_CUT);
    const slowedDown =
      recent.admitted >= 5 &&
      recent.refused >= 5 &&
      recent.refused >= recent.admitted * RECENT_SHARE;
    const admitted = slowedDown ? recent : last;
    const held = (admitted.admitted * 1000 * (1 + HEADROOM)) / admitted.spanMs;
    return Math.max(floor, Math.min(base * LONE_CUT, held));
  }

  /** Requests answered (admitted or refused) among those sent in the `ms` up to `at`. */
  private answered(at: number, ms: number): { admitted: number; refused: number; spanMs: number } {
    const { count: admitted, spanMs } = this.admitted.countOver(at - ms, at);
    return { admitted, refused: this.refused.countOver(at - ms, at).count, spanMs };
  }

  /**
   * Ends slow start at a pace another limiter found (see the file's header). A limiter past its
   * slow start (or under a configured rate) keeps its own pace.
   */
  startAt(ratePerSecond: number): void {
    if (this.window === undefined || !(ratePerSecond > 0) || ratePerSecond >= this.maxRate) return;
    this.ceiling = ratePerSecond;
    this.endSlowStart();
    this.change(ratePerSecond, this.options.now(), "paced as another account of its region");
  }

  /** An answer that was not a throttle; pass the request's ticket so it counts for its rate. */
  onSuccess(ticket?: RateTicket): void {
    const now = this.options.now();
    this.release();
    if (this.window !== undefined) {
      this.window++;
      if (this.window >= this.maxWindow) this.endSlowStart();
      else this.admitWaiting();
    }
    this.successesSinceChange++;
    if (ticket?.generation === this.generation) this.acceptedThisGeneration++;
    if (ticket !== undefined) this.admitted.record(ticket.sentAt);
    if (this.rate >= this.maxRate) return;
    if (now - Math.max(this.lastChangeAt, this.lastThrottleAt) < this.recoveryIntervalMs) return;
    const expected = (this.rate * this.recoveryIntervalMs) / 1000;
    if (this.successesSinceChange < Math.max(1, Math.floor(expected / 4))) return;
    const target = this.ceiling * 0.95;
    let step: number;
    if (this.rate < this.ceiling * 0.9) {
      step = Math.max(1, (target - this.rate) / 2);
    } else {
      // Probe gently near the old limit, faster the longer the server keeps up.
      step = Math.max(1, this.ceiling * 0.02 * 2 ** Math.min(this.probeSteps, 2));
      this.probeSteps++;
    }
    const next = Math.min(this.maxRate, this.rate + step);
    if (next > this.ceiling) this.ceiling = next;
    this.rateBeforeStep = this.rate;
    this.change(next, now, `recovering after ${this.successesSinceChange} successful requests`);
  }

  /** An answer that says nothing about the rate (a network error, a 5xx): frees its slot. */
  onNoSignal(_ticket: RateTicket): void {
    this.release();
  }

  private release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.admitWaiting();
  }

  private endSlowStart(): void {
    this.window = undefined;
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && (this.window === undefined || this.inFlight < this.window)) {
      this.inFlight++;
      this.waiting.shift()?.();
    }
  }

  private change(next: number, now: number, reason: string): void {
    if (next === this.rate) return;
    if (next < this.rate) this.rateBeforeStep = undefined;
    this.rate = next;
    this.generation++;
    this.lastChangeAt = now;
    this.successesSinceChange = 0;
    this.acceptedThisGeneration = 0;
    this.refusedThisGeneration = 0;
    this.options.onRateChange?.(next, reason);
  }
}

/** Requests sent over the last second, counted in 100 ms buckets (bounded memory at any rate). */
class SendRate {
  static readonly windowMs = 1000;
  private static readonly bucketMs = 100;
  private static readonly buckets = SendRate.windowMs / SendRate.bucketMs;
  private readonly counts = new Array<number>(SendRate.buckets).fill(0);
  private newestBucket = Number.NEGATIVE_INFINITY;
  private firstAt: number | undefined;

  record(at: number): void {
    this.firstAt ??= at;
    this.advance(at);
    const index = Math.floor(at / SendRate.bucketMs);
    // Slots are reserved ahead of now; one older than the window (after a later one) is dropped.
    if (index <= this.newestBucket - SendRate.buckets) return;
    const slot = index % SendRate.buckets;
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /** Requests sent over the last second (or since the first request); undefined if none. */
  measure(now: number): { count: number; ratePerSecond: number } | undefined {
    if (this.firstAt === undefined) return undefined;
    this.advance(now);
    const count = this.counts.reduce((sum, n) => sum + n, 0);
    const windowMs = Math.min(SendRate.windowMs, Math.max(SendRate.bucketMs, now - this.firstAt));
    return count > 0 ? { count, ratePerSecond: (count * 1000) / windowMs } : undefined;
  }

  private advance(at: number): void {
    const index = Math.floor(at / SendRate.bucketMs);
    if (index <= this.newestBucket) return;
    const stale = Math.min(SendRate.buckets, index - this.newestBucket);
    for (let i = 1; i <= stale; i++) this.counts[(index - stale + i) % SendRate.buckets] = 0;
    this.newestBucket = index;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Events in 10 ms buckets over the last two seconds: how many fell in a window of them. */
class Tally {
  private static readonly bucketMs = 10;
  private static readonly buckets = 200;
  private readonly counts = new Array<number>(Tally.buckets).fill(0);
  private newest = Number.NEGATIVE_INFINITY;
  private first: number | undefined;

  record(at: number): void {
    const index = Math.floor(at / Tally.bucketMs);
    if (index > this.newest) {
      const stale = Math.min(Tally.buckets, index - this.newest);
      for (let i = 1; i <= stale; i++) this.counts[(index - stale + i) % Tally.buckets] = 0;
      this.newest = index;
    }
    if (index <= this.newest - Tally.buckets) return;
    this.first = this.first === undefined ? index : Math.min(this.first, index);
    const slot = index % Tally.buckets;
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /** Events from just after `from` to `to` (clipped to what is kept), and the span counted. */
  countOver(from: number, to: number): { count: number; spanMs: number } {
    if (this.first === undefined) return { count: 0, spanMs: 0 };
    const last = Math.min(this.newest, Math.floor(to / Tally.bucketMs));
    const start = Math.max(
      this.first,
      this.newest - Tally.buckets + 1,
      Math.floor(from / Tally.bucketMs) + 1,
    );
    let count = 0;
    for (let i = start; i <= last; i++) count += this.counts[i % Tally.buckets] ?? 0;
    return { count, spanMs: Math.max(0, last - start + 1) * Tally.bucketMs };
  }
}
