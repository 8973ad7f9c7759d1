// Medians with their spread, and the machine's load, as every bench prints them.
import { loadavg } from "node:os";

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** "median (min-max)" with `digits` decimals. */
export function spread(xs, digits = 1) {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

/** The 1, 5 and 15 minute load averages. */
export function load() {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");
}
