// What the local endpoint holds between requests: access points, fault plan, rate limit, stats.
import { CloudTrailStandIn, type CloudTrailStats } from "./cloudtrail.js";
import { FaultPlanner } from "./faults.js";
import type { LocalEndpointOptions, SeedDocument } from "./options.js";
import { loadDocument, loadGenerated } from "./seed.js";
import { type AccessPointSnapshot, AccessPointStore } from "./store.js";
import { TokenBucket } from "./token-bucket.js";

export interface LocalEndpointStats {
  /** Every S3 Control request received, including throttled and faulted ones. */
  total: number;
  /** Requests by operation name (`Unsupported` for anything this endpoint does not serve). */
  requests: Record<string, number>;
  /** Requests answered 503 SlowDown by the rate limit. */
  throttled: number;
  faults: { error: number; drop: number; slow: number; denied: number };
  accessPoints: number;
  policies: number;
  /** LookupEvents requests to the CloudTrail stand-in, and those it throttled. */
  cloudTrail: CloudTrailStats;
}

export interface LocalEndpointState {
  accessPoints: AccessPointSnapshot[];
}

type Counters = Omit<LocalEndpointStats, "accessPoints" | "policies" | "cloudTrail">;

const DEFAULT_REGION = "us-east-1";

function fraction(value: number | undefined, flag: string): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`${flag} must be between 0 and 1, got ${value}`);
  return v;
}

function emptyCounters(): Counters {
  return {
    total: 0,
    requests: {},
    throttled: 0,
    faults: { error: 0, drop: 0, slow: 0, denied: 0 },
  };
}

export class EndpointState {
  readonly store = new AccessPointStore();
  readonly cloudTrail = new CloudTrailStandIn();
  readonly planner: FaultPlanner;
  readonly defaultRegion: string;
  readonly fixedLatencyMs: number;
  readonly slowMs: number;
  readonly denied: ReadonlySet<string>;
  counters = emptyCounters();
  limiter: TokenBucket | undefined;
  private accountLimiters = new Map<string, TokenBucket>();
  private readonly accountRate: number;
  private readonly rate: number;
  private readonly burst: number;
  private requestCounter = 0;
  private readonly requestIdBase = (Date.now() * 1000) % 0xffffffffff;

  constructor(private readonly options: LocalEndpointOptions) {
    this.defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
    this.rate = options.rate ?? 0;
    if (!(this.rate >= 0)) throw new Error(`rate must be >= 0, got ${this.rate}`);
    this.burst = options.burst ?? Math.max(1, Math.ceil(this.rate / 20));
    this.accountRate = options.accountRate ?? 0;
    if (!(this.accountRate >= 0)) {
      throw new Error(`accountRate must be >= 0, got ${this.accountRate}`);
    }
    this.slowMs = options.slowMs ?? 30_000;
    this.fixedLatencyMs = options.latencyMs ?? 0;
    this.denied = new Set(options.denyAccessPoints ?? []);
    this.planner = new FaultPlanner({
      seed: options.seed ?? 1,
      latencyMs: options.latencyMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
      errorRate: fraction(options.errorRate, "errorRate"),
      dropRate: fraction(options.dropRate, "dropRate"),
      slowRate: fraction(options.slowRate, "slowRate"),
    });
    this.reset();
  }

  /** Back to the seeded state; clears stats, the rate limit and the fault replay counters. */
  reset(): void {
    this.store.clear();
    this.cloudTrail.reset();
    this.planner.reset();
    this.counters = emptyCounters();
    this.limiter = this.rate > 0 ? new TokenBucket(this.rate, this.burst) : undefined;
    this.accountLimiters = new Map();
    const { seedAccessPoints, seedDocument } = this.options;
    if (seedAccessPoints) {
      loadGenerated(this.store, seedAccessPoints, this.defaultRegion, this.options.seed ?? 1);
    }
    if (seedDocument) loadDocument(this.store, seedDocument, this.defaultRegion);
  }

  /** Whether the account's own bucket (accountRate) admits one more request; true without one. */
  admitsAccount(accountId: string): boolean {
    if (this.accountRate <= 0) return true;
    let bucket = this.accountLimiters.get(accountId);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.accountRate, Math.max(1, Math.ceil(this.accountRate / 20)));
      this.accountLimiters.set(accountId, bucket);
    }
    return bucket.tryTake();
  }

  seed(doc: SeedDocument): number {
    return loadDocument(this.store, doc, this.defaultRegion);
  }

  stats(): LocalEndpointStats {
    return {
      ...this.counters,
      requests: { ...this.counters.requests },
      faults: { ...this.counters.faults },
      accessPoints: this.store.accessPoints,
      policies: this.store.policies,
      cloudTrail: { ...this.cloudTrail.stats },
    };
  }

  state(): LocalEndpointState {
    return { accessPoints: this.store.snapshot() };
  }

  /** Counts a request and gives it an S3-style request id. */
  admit(operation: string): string {
    this.requestCounter++;
    this.counters.total++;
    this.counters.requests[operation] = (this.counters.requests[operation] ?? 0) + 1;
    return (this.requestIdBase + this.requestCounter).toString(16).toUpperCase().padStart(16, "0");
  }
}
