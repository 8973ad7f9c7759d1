// The one place where objects are built from untrusted input (policy files, s3ap.yaml, live
// policies): every mapping becomes an object with no prototype, so no key can reach
// Object.prototype or make a value appear that the input does not hold.

import { sharedString } from "./shared-strings.js";

/** Keys refused at any depth: they name prototype machinery, never an IAM element. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/**
 * Collections nested deeper than this are refused before anything walks them. A policy file
 * needs 8 levels (file › policy › Statement › statement › Condition › operator › key › values);
 * the bound keeps every recursion over untrusted data far from the stack's limit.
 */
export const MAX_DEPTH = 64;

/** A mapping read from untrusted input: own data properties only, no prototype. */
export type PlainObject = { [key: string]: unknown };

/** An empty mapping with no prototype. */
export function newObject(): PlainObject {
  // Not Object.create(null): V8 gives that object dictionary-mode properties (measured: 4x the
  // memory and 3.6x the time to build and read 300,000 statements). An empty literal whose
  // prototype is then removed keeps fast properties and has no prototype all the same.
  const object = {};
  Object.setPrototypeOf(object, null);
  return object as PlainObject;
}

/**
 * Sets one key on an object made by newObject(). With no prototype there is no `__proto__`
 * setter to hit, so plain assignment defines an ordinary own property for every key.
 */
export function setEntry(target: PlainObject, key: string, value: unknown): void {
  target[key] = value;
}

/** Why a key is refused (a message for the user), or undefined when it is allowed. */
export function forbiddenKeyProblem(key: string): string | undefined {
  if (!FORBIDDEN_KEYS.has(key)) return undefined;
  return `the key ${JSON.stringify(key)} is not allowed: it names JavaScript's prototype machinery, never an IAM policy element`;
}

export type JsonRead =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** syntax: not JSON; the others: JSON that s3ap refuses to build or compare. */
      reason: "syntax" | "depth" | "key" | "number";
      /** Says what is wrong, to follow "the live policy of X …" (syntax: JSON.parse's words). */
      message: string;
      offset: number;
    };

/**
 * Parses JSON text from outside (a live policy): nesting deeper than MAX_DEPTH, keys in
 * FORBIDDEN_KEYS and integers JavaScript cannot hold exactly are refused; objects have no
 * prototype. The depth is measured on the text first, so no step recurses on a deep value.
 */
export function parseUntrustedJson(text: string): JsonRead {
  const deep = depthOverflowOffset(text);
  if (deep !== undefined) {
    return {
      ok: false,
      reason: "depth",
      message: `is nested deeper than ${MAX_DEPTH} levels`,
      offset: deep,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: "syntax", message: (error as Error).message, offset: 0 };
  }
  const problems: string[] = [];
  const value = copyJson(parsed, problems);
  const first = problems[0];
  if (first !== undefined) return { ok: false, reason: "key", message: first, offset: 0 };
  const inexact = inexactIntegerIn(text);
  if (inexact !== undefined) {
    return {
      ok: false,
      reason: "number",
      message: `holds the number ${inexact.text}, which s3ap cannot read exactly (beyond 2^53 or 15 significant digits)`,
      offset: inexact.offset,
    };
  }
  return { ok: true, value };
}

/**
 * A copy of JSON.parse's result with null-prototype objects (depth already bounded) and shared
 * short strings (shared-strings.ts).
 */
function copyJson(value: unknown, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => copyJson(item, problems));
  if (value !== null && typeof value === "object") {
    const out = newObject();
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key))
        problems.push(`holds the key ${JSON.stringify(key)}, which no IAM policy has`);
      setEntry(out, key, copyJson((value as PlainObject)[key], problems));
    }
    return out;
  }
  return typeof value === "string" ? sharedString(value) : value;
}

/**
 * The offset of the first `[` or `{` that opens a level deeper than MAX_DEPTH in JSON text
 * (strings skipped), or undefined. A linear scan, no recursion.
 */
export function depthOverflowOffset(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return undefined;
}

const JSON_NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** The first integer literal in JSON text (outside strings) that a double does not hold exactly. */
function inexactIntegerIn(text: string): { text: string; offset: number } | undefined {
  // Cheap exit: no run of 16 digits, no number at or beyond 2^53.
  if (!/\d{16}/.test(text)) return undefined;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      JSON_NUMBER.lastIndex = i;
      const match = JSON_NUMBER.exec(text);
      if (match === null || match.index !== i) continue;
      if (!exactNumber(match[0])) return { text: match[0], offset: i };
      i += match[0].length - 1;
    }
  }
  return undefined;
}

/**
 * Whether a decimal number's text survives as a JavaScript number: integers are compared
 * exactly; other numbers must be finite and have at most 15 significant digits (every such
 * decimal round-trips through a double).
 */
export function exactNumber(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  if (/^[-+]?\d+$/.test(text)) {
    return Number.isSafeInteger(value) || BigInt(text) === BigInt(value);
  }
  const digits = text
    .replace(/[eE].*$/, "")
    .replace(/[^\d]/g, "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return digits.length <= 15;
}
