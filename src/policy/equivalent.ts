import type { PolicyDocument } from "../model.js";
import {
  type CanonicalizeOptions,
  type CanonicalTrace,
  canonicalJson,
  canonicallyEqual,
} from "./canonicalize.js";
import { sameJson } from "./json-text.js";
import { stableJson } from "./structural.js";

export interface Equivalence {
  equal: boolean;
  /** When equal: why the two texts differ without differing in meaning. Empty otherwise. */
  notes: string[];
}

/**
 * The notes for two equivalent documents: the rewrites only one of them needed (the same
 * rewrite in the same statement on both sides is no difference between them).
 */
function explain(a: unknown, b: unknown, ta: CanonicalTrace, tb: CanonicalTrace): string[] {
  const notes = new Set<string>();
  const oneSided = (from: CanonicalTrace, other: CanonicalTrace) => {
    for (const [scope, events] of from.events) {
      const otherEvents = other.events.get(scope);
      for (const [key, note] of events) if (otherEvents?.has(key) !== true) notes.add(note);
    }
  };
  oneSided(ta, tb);
  oneSided(tb, ta);
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
  // s3ap writes JSON.stringify(desired), so an untouched live policy usually parses to the
  // very same document.
  const same = sameJson(a, b);
  if (same === true || (same === undefined && JSON.stringify(a) === JSON.stringify(b))) {
    return { equal: true, notes: [] };
  }
  if (!canonicallyEqual(a, b, options)) return { equal: false, notes: [] };
  // Notes cost a second, traced canonicalization of both sides: only a caller that shows them
  // pays for them (the read-back after apply only asks whether the documents are equal).
  let notes: string[] | undefined;
  return {
    equal: true,
    get notes(): string[] {
      notes ??= notesFor(a, b, options);
      return notes;
    },
  };
}

function notesFor(a: unknown, b: unknown, options: CanonicalizeOptions | undefined): string[] {
  const ta: CanonicalTrace = { events: new Map(), statementOrder: [] };
  const tb: CanonicalTrace = { events: new Map(), statementOrder: [] };
  canonicalJson(a, options, ta);
  canonicalJson(b, options, tb);
  return explain(a, b, ta, tb);
}
