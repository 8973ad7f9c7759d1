// Paces requests to one (account, region) and slows down when S3 Control throttles.
//
// Pacing is GCRA (a token bucket expressed as a theoretical arrival time): every caller reserves
// the next slot synchronously, so concurrent callers are spaced exactly 1/rate apart and the
// burst stays small — a big burst would overshoot a server that admits exactly our rate.
//
// The rate is AIMD-like: a throttle cuts it in proportion to the share of requests paced at the
// current rate that the server refused (as DCTCP sizes its cut by the share of marked packets):
// a lone throttle among many successes costs 5 %, a server refusing most requests gets
// `decreaseFactor`. At most one cut per `minDecreaseIntervalMs` (150 ms, a few round trips, so a
// server far below `--rate` is found in about a second), and throttles of requests sent before
// the last change say nothing new. The rate then climbs back in steps after runs of successes:
// quickly up to just under the rate where throttling started, then slowly probing above it,
// never above the configured rate. This keeps the average close to what the server admits
// instead of the 75-85 % that a plain sawtooth gives.
//
// Without a configured rate (the default) there is no ceiling: requests are not paced until the
// first throttle, only started slowly, as TCP's slow start does: at most `initialWindow` (8)
// requests in flight before any answer, one more for every success (the window doubles every
// round trip), until the first throttle or `maxWindow`. Behind 20 ms a caller with 16 in flight
// is at full speed after two round trips (~20 ms of requests lost), while a small shard no
// longer throws its whole concurrency at a server that admits 100/s with a burst of 5 (a third
// of such a shard's requests were throttled when it started unpaced; about a eighth now). The
// throttle that ends slow start halves the rate requests were actually sent at (slow start
// overshoots by up to twice), as TCP does. Every later cut is taken from the rate requests were
// actually sent at over the last second (never from a nominal rate far above what the
// concurrency let through), and the same AIMD climb then probes upward without a cap. `--rate`
// stays an explicit ceiling for users who must leave capacity to others (paced from the start,
// with the small burst above, so no slow start).

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
    if (configured === Number.POSITIVE_INFINITY) this.window = options.initialWindow ?? 8;
  }

  get ratePerSecond(): number {
    return this.rate;
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
    if (ticket.generation !== this.generation) return;
    this.refusedThisGeneration++;
    if (now - this.lastDecreaseAt < this.minDecreaseIntervalMs) return;
    // The cut follows the share of requests paced at the current rate that were refused, as DCTCP
    // does with congestion marks: a lone throttle among many successes (a server that stalled for
    // a moment) costs 5 %; a server far below our rate, refusing most requests, `decreaseFactor`.
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
    // Slow start doubled the rate every round trip, so the first throttle comes when it is up to
    // twice what the server admits (and its burst let more through): start again from half, as
    // TCP does, and probe upward from there.
    // A throttle right after a step up says the limit lies between the last two rates: the first
    // answers of the step are too few to size a cut by their share, so it costs the step and a
    // little more, never the deep cut of a server far below the rate.
    const floor = this.rateBeforeStep !== undefined ? this.rateBeforeStep * 0.95 : 0;
    const next = Math.max(this.minRate, floor, base * (inSlowStart ? 0.5 : factor));
    this.ceiling = inSlowStart ? next : base;
    this.probeSteps = 0;
    this.lastDecreaseAt = now;
    this.change(next, now, `throttled (${code}) at ${round(this.ceiling)}/s`);
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
    if (this.rate >= this.maxRate) return;
    if (now - this.lastChangeAt < this.recoveryIntervalMs) return;
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
