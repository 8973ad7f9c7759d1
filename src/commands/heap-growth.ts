// Keeps a long plan/apply's peak memory close to what it really holds.
import { setFlagsFromString } from "node:v8";

/**
 * Lets the old generation grow to at most twice the live heap after each full GC (V8 otherwise
 * allows up to four times, and does when the machine is busy and GC looks slow).
 *
 * NOTE: a plan of 10,000 access points holds ~75 MB, but the SDK's per-request garbage that
 * survives a 20 ms round trip gets promoted, and with V8's default growth the heap reached
 * 300 MB before a full GC ran — 380-420 MB RSS. With this, apply of 10,000 changes peaks near
 * 270 MB RSS for ~7 % more client CPU (bench/reconcile.mjs, BENCHMARKS.md). The flag is read at
 * every GC, so setting it once the process runs is enough.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString("--heap-growing-percent=100");
}
