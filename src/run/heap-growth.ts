// Keeps a long plan/apply's peak memory close to what it really holds (CLI and Action alike).
import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the old generation grow past the live heap after each full GC, by stage:
 * - `checking` (the tree is read, parsed and checked): half as much again. V8 otherwise allows
 *   up to four times the live heap, and does when the machine is busy and GC looks slow.
 * - `planning` (from the moment every file is checked to the end of apply): a quarter more. The
 *   live heap is then mostly the plan itself, which only grows, and what piles up on top of it is
 *   the SDK's per-request garbage that outlived a 20 ms round trip and was promoted.
 *
 * NOTE (measured on apply of 10,000 changes, 2 cores, BENCHMARKS.md): with twice the live heap
 * throughout, the old generation reached ~185 MB over a ~95 MB live heap while apply ran, peak
 * RSS ~305 MB. A quarter from the plan on: 236-243 MB, for ~8 more full GCs (~150 ms of pauses in
 * a 35 s CPU run; scavenges take ~2.4 s either way). A quarter while the tree is still checked
 * costs far more (yaml's garbage over a growing heap: 24 full GCs, runs ~20 % slower), and
 * switching at the first answer instead of when the tree is checked cost plan of 10,000 ~9 %
 * more CPU. Reads start while files are checked (read-ahead), so a plan of 10,000 peaks as the
 * check ends: the old generation then holds the desired state, the answers read ahead and the
 * SDK's promoted garbage. Twice the live heap there: plan of 10,000 in sync peaked at 177-179 MB;
 * half as much again: 164-169 MB, 11 full GCs instead of 7, CPU the same (pairs 0.96-1.04).
 * The flag is read at every GC, so setting it while the process runs is enough.
 */
export function limitHeapGrowth(stage: "checking" | "planning"): void {
  setFlagsFromString(`--heap-growing-percent=${stage === "checking" ? 50 : 25}`);
}
