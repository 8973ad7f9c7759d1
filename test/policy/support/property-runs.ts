// What the verdict's property tests share: how many random cases (S3AP_PROPERTY_RUNS, default
// 100; the issues' bar is 1,000), each property's time budget, and a small set drawn from a list.
import fc from "fast-check";

export const RUNS = { numRuns: Number(process.env.S3AP_PROPERTY_RUNS ?? 100) };

/** Each property's time budget: the evaluator tries thousands of requests per case. */
export const TIMEOUT = { timeout: 60_000 + RUNS.numRuns * 600 };

/** One to `max` distinct items of `items`. */
export const someOf = <T>(items: readonly T[], max = 3) =>
  fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: max });
