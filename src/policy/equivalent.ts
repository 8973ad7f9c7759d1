import type { PolicyDocument } from "../model.js";
import {
  type CanonicalizeOptions,
  type CanonicalTrace,
  canonicalizeTraced,
} from "./canonicalize.js";
import { stableJson } from "./structural.js";

export interface Equivalence {
  equal: boolean;
  /** When equal: why the two texts differ without differing in meaning. Empty otherwise. */
  notes: string[];
}

function trace(policy: unknown, options: CanonicalizeOptions | undefined): CanonicalTrace {
  const recorded: CanonicalTrace = { events: new Map(), statementOrder: [] };
  canonicalizeTraced(policy, options, recorded);
  return recorded;
}

/**
 * The notes for two documents known to be equivalent: the rewrites that only one of them
 * needed (the same rewrite in the same statement on both sides is not a difference).
 */
function explain(a: unknown, b: unknown, options: CanonicalizeOptions | undefined): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const ta = trace(a, options);
  const tb = trace(b, options);
  const notes = new Set<string>();
  for (const [key, note] of ta.events) if (!tb.events.has(key)) notes.add(note);
  for (const [key, note] of tb.events) if (!ta.events.has(key)) notes.add(note);
  const sameOrder =
    ta.statementOrder.length === tb.statementOrder.length &&
    ta.statementOrder.every((json, i) => json === tb.statementOrder[i]);
  if (!sameOrder) notes.add("statement order differs");
  if (notes.size === 0 && stableJson(a) === stableJson(b)) notes.add("key order differs");
  return [...notes];
}

/** Whether two policies mean the same to IAM, and if so, why their texts differ. */
export function equivalent(
  a: PolicyDocument,
  b: PolicyDocument,
  options?: CanonicalizeOptions,
): Equivalence {
  const ca = JSON.stringify(canonicalizeTraced(a, options));
  const cb = JSON.stringify(canonicalizeTraced(b, options));
  if (ca !== cb) return { equal: false, notes: [] };
  return { equal: true, notes: explain(a, b, options) };
}
