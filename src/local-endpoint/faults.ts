// Seeded fault and latency decisions for one request.
import { hash32, mulberry32 } from "./prng.js";

export type Fault = "none" | "drop" | "slow" | "error";

export interface FaultDecision {
  fault: Fault;
  /** Latency before answering (or dropping), ms: fixed + seeded jitter. */
  delayMs: number;
}

export interface FaultSettings {
  seed: number;
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  dropRate: number;
  slowRate: number;
}

/**
 * Decides per request. The random stream of a request depends only on the seed, the request's
 * identity (account, method, path) and how many times that identity was seen before, so a
 * retry gets a fresh draw and interleaving with other access points changes nothing.
 */
export class FaultPlanner {
  private readonly seen = new Map<string, number>();

  constructor(private readonly settings: FaultSettings) {}

  decide(identity: string): FaultDecision {
    const n = this.seen.get(identity) ?? 0;
    this.seen.set(identity, n + 1);
    const s = this.settings;
    const random = mulberry32(hash32(`${s.seed}|${identity}|${n}`));
    const faultDraw = random();
    const jitter = s.jitterMs > 0 ? random() * s.jitterMs : 0;
    const delayMs = s.latencyMs + jitter;
    // One draw split into bands keeps the fractions exact and the faults mutually exclusive.
    let fault: Fault = "none";
    if (faultDraw < s.dropRate) fault = "drop";
    else if (faultDraw < s.dropRate + s.slowRate) fault = "slow";
    else if (faultDraw < s.dropRate + s.slowRate + s.errorRate) fault = "error";
    return { fault, delayMs };
  }

  reset(): void {
    this.seen.clear();
  }
}
