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

export interface RateLimiterOptions {
  /** The configured maximum (`--rate`). */
  ratePerSecond: number;
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

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) {
      throw new RangeError(`rate must be a positive number of requests per second`);
    }
    this.maxRate = options.ratePerSecond;
    this.rate = options.ratePerSecond;
    this.ceiling = options.ratePerSecond;
    this.minRate = Math.min(options.minRatePerSecond ?? 1, options.ratePerSecond);
    this.decreaseFactor = options.decreaseFactor ?? 0.7;
    this.burstSeconds = options.burstSeconds ?? 0.05;
    this.maxBurst = options.maxBurst ?? 20;
    this.minDecreaseIntervalMs = options.minDecreaseIntervalMs ?? 150;
    this.recoveryIntervalMs = options.recoveryIntervalMs ?? 500;
    this.lastChangeAt = options.now();
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Waits for the caller's slot. The reservation is made before the first await. */
  async acquire(): Promise<RateTicket> {
    const now = this.options.now();
    const interval = 1000 / this.rate;
    const burst = Math.max(1, Math.min(this.maxBurst, Math.floor(this.rate * this.burstSeconds)));
    const arrival = Math.max(this.theoreticalArrival, now);
    const sendAt = Math.max(now, arrival - (burst - 1) * interval);
    this.theoreticalArrival = arrival + interval;
    const ticket = { sentAt: sendAt, generation: this.generation };
    if (sendAt > now) await this.options.sleep(sendAt - now);
    return ticket;
  }

  onThrottle(ticket: RateTicket, code: string): void {
    const now = this.options.now();
    if (ticket.generation !== this.generation) return;
    this.refusedThisGeneration++;
    if (now - this.lastDecreaseAt < this.minDecreaseIntervalMs) return;
    // The cut follows the share of requests paced at the current rate that were refused, as DCTCP
    // does with congestion marks: a lone throttle among many successes (a server that stalled for
    // a moment) costs 5 %; a server far below our rate, refusing most requests, `decreaseFactor`.
    const refused =
      this.refusedThisGeneration / (this.refusedThisGeneration + this.acceptedThisGeneration);
    const factor = Math.max(this.decreaseFactor, Math.min(0.95, 1 - refused / 2));
    const next = Math.max(this.minRate, this.rate * factor);
    this.ceiling = this.rate;
    this.probeSteps = 0;
    this.lastDecreaseAt = now;
    this.change(next, now, `throttled (${code}) at ${round(this.ceiling)}/s`);
  }

  /** An answer that was not a throttle; pass the request's ticket so it counts for its rate. */
  onSuccess(ticket?: RateTicket): void {
    const now = this.options.now();
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
    this.change(next, now, `recovering after ${this.successesSinceChange} successful requests`);
  }

  private change(next: number, now: number, reason: string): void {
    if (next === this.rate) return;
    this.rate = next;
    this.generation++;
    this.lastChangeAt = now;
    this.successesSinceChange = 0;
    this.acceptedThisGeneration = 0;
    this.refusedThisGeneration = 0;
    this.options.onRateChange?.(next, reason);
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
