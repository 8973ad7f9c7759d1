// Structural helpers for values of unknown shape: policies read from AWS are untrusted JSON.

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The elements IAM defines for a policy statement, in the order its documentation writes them. */
export const STATEMENT_ELEMENTS: readonly string[] = [
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * A canonical statement's Condition (canonicalize.ts: every value a list) as operator → key →
 * values; an empty map when there is none, null when it is not of that shape.
 */
export function conditionBlocks(value: unknown): Map<string, Map<string, string[]>> | null {
  const blocks = new Map<string, Map<string, string[]>>();
  if (value === undefined) return blocks;
  if (!isPlainObject(value)) return null;
  for (const [operator, block] of Object.entries(value)) {
    if (!isPlainObject(block)) return null;
    const keys = new Map<string, string[]>();
    for (const [key, values] of Object.entries(block)) {
      if (!isStringList(values)) return null;
      keys.set(key, values);
    }
    blocks.set(operator, keys);
  }
  return blocks;
}

/** Code-unit order: deterministic on every machine, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An object from entries, keys in the given order. Plain assignment keeps V8's fast properties
 * (Object.fromEntries made JSON.stringify of canonical statements several times slower); a
 * `__proto__` key is defined as an ordinary own property instead of replacing the prototype.
 */
export function objectFrom(entries: Iterable<readonly [string, unknown]>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) {
    if (key === "__proto__") {
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * A copy with object keys sorted at every depth; array order is kept because its meaning is
 * unknown.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isPlainObject(value)) {
    return objectFrom(
      Object.keys(value)
        .sort(compareStrings)
        .map((key) => [key, sortKeysDeep(value[key])]),
    );
  }
  return value;
}

/** JSON text that does not depend on key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value)) ?? "undefined";
}
