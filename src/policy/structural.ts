// Structural helpers for values of unknown shape: policies read from AWS are untrusted JSON.

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Code-unit order: deterministic on every machine, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A copy with object keys sorted at every depth; array order is kept because its meaning is
 * unknown. Built with Object.fromEntries so a `__proto__` key stays an ordinary property.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isPlainObject(value)) {
    return Object.fromEntries(
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
