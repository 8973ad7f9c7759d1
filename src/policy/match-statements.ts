import type { StatementEntry } from "./canonicalize.js";
import { isPlainObject } from "./structural.js";

export interface StatementMatch {
  pairs: Array<[before: StatementEntry, after: StatementEntry]>;
  unchanged: number;
  removed: StatementEntry[];
  added: StatementEntry[];
}

/** Below this overlap two statements are shown as one removed and one added, not as a change. */
const MIN_OVERLAP = 0.25;

function sidOf(entry: StatementEntry): string | null {
  const sid = isPlainObject(entry.canonical) ? entry.canonical.Sid : undefined;
  return typeof sid === "string" && sid !== "" ? sid : null;
}

/** Features of a canonical statement: effect, each principal, action, resource, condition value. */
function features(entry: StatementEntry): Set<string> {
  const out = new Set<string>();
  const statement = entry.canonical;
  if (!isPlainObject(statement)) {
    out.add(`raw:${entry.json}`);
    return out;
  }
  for (const [field, value] of Object.entries(statement)) {
    if (Array.isArray(value)) {
      for (const item of value) out.add(`${field}:${JSON.stringify(item)}`);
    } else if (isPlainObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        const items = Array.isArray(innerValue) ? innerValue : [innerValue];
        for (const item of items) out.add(`${field}:${inner}:${JSON.stringify(item)}`);
      }
    } else {
      out.add(`${field}=${JSON.stringify(value)}`);
    }
  }
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

function uniqueSids(entries: StatementEntry[]): Map<string, StatementEntry> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const sid = sidOf(entry);
    if (sid !== null) counts.set(sid, (counts.get(sid) ?? 0) + 1);
  }
  const unique = new Map<string, StatementEntry>();
  for (const entry of entries) {
    const sid = sidOf(entry);
    if (sid !== null && counts.get(sid) === 1) unique.set(sid, entry);
  }
  return unique;
}

/**
 * Pairs the statements of two documents: identical statements first, then by Sid where it is
 * present and unique on both sides, then greedily by largest overlap of features.
 */
export function matchStatements(before: StatementEntry[], after: StatementEntry[]): StatementMatch {
  const afterJson = new Set(after.map((entry) => entry.json));
  const beforeJson = new Set(before.map((entry) => entry.json));
  let restBefore = before.filter((entry) => !afterJson.has(entry.json));
  let restAfter = after.filter((entry) => !beforeJson.has(entry.json));
  const unchanged = before.length - restBefore.length;
  const pairs: StatementMatch["pairs"] = [];

  const sidsBefore = uniqueSids(before);
  const sidsAfter = uniqueSids(after);
  const paired = new Set<StatementEntry>();
  for (const entry of restBefore) {
    const sid = sidOf(entry);
    if (sid === null || sidsBefore.get(sid) !== entry) continue;
    const partner = sidsAfter.get(sid);
    if (partner === undefined || !restAfter.includes(partner)) continue;
    pairs.push([entry, partner]);
    paired.add(entry).add(partner);
  }
  restBefore = restBefore.filter((entry) => !paired.has(entry));
  restAfter = restAfter.filter((entry) => !paired.has(entry));

  const featuresOf = new Map<StatementEntry, Set<string>>();
  for (const entry of [...restBefore, ...restAfter]) featuresOf.set(entry, features(entry));
  const candidates: Array<{ score: number; b: StatementEntry; a: StatementEntry }> = [];
  for (const b of restBefore) {
    for (const a of restAfter) {
      const score = overlap(featuresOf.get(b) ?? new Set(), featuresOf.get(a) ?? new Set());
      if (score >= MIN_OVERLAP) candidates.push({ score, b, a });
    }
  }
  candidates.sort(
    (x, y) => y.score - x.score || x.b.position - y.b.position || x.a.position - y.a.position,
  );
  for (const { b, a } of candidates) {
    if (paired.has(b) || paired.has(a)) continue;
    pairs.push([b, a]);
    paired.add(b).add(a);
  }
  pairs.sort(([, a], [, b]) => a.position - b.position);
  return {
    pairs,
    unchanged,
    removed: restBefore.filter((entry) => !paired.has(entry)),
    added: restAfter.filter((entry) => !paired.has(entry)),
  };
}
