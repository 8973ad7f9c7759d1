import { compareStrings, isPlainObject, sortKeysDeep } from "./structural.js";

// Canonical forms are built as JSON text, not as objects: building objects and serialising them
// again cost several times more than the rules themselves (10,000 policies: seconds, not
// hundreds of milliseconds). The text is exactly what JSON.stringify gave for the objects.

// Characters JSON.stringify escapes: controls, `"`, `\` and (well-formed stringify) surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters JSON escapes are what it finds
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** Whether JSON.stringify writes this string other than between two plain quotes. */
export function needsEscape(value: string): boolean {
  return NEEDS_ESCAPE.test(value);
}

/** JSON text of a string. */
export function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** JSON text of a value with object keys sorted at every depth; undefined when JSON has none. */
export function jsonOf(value: unknown): string | undefined {
  if (typeof value === "string") return quote(value);
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  return JSON.stringify(sortKeysDeep(value));
}

// An array index ("0" … "4294967294"): V8 lists such keys first, in numeric order, whatever
// the insertion order, so JSON.stringify of an object does too.
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) < 4294967295;
}

/**
 * JSON text of an object from [key, JSON text] entries: keys in code-unit order, array-index
 * keys first (as JSON.stringify would list them), entries without text left out.
 */
export function objectJson(entries: Array<[string, string | undefined]>): string {
  if (entries.length > 1) entries.sort(([a], [b]) => compareStrings(a, b));
  let indexKeys = false;
  for (const [key] of entries) {
    const first = key.charCodeAt(0);
    if (first >= 48 && first <= 57 && isArrayIndex(key)) {
      indexKeys = true;
      break;
    }
  }
  if (indexKeys) {
    const indexes = entries.filter(([key]) => isArrayIndex(key));
    indexes.sort(([a], [b]) => Number(a) - Number(b));
    const rest = entries.filter(([key]) => !isArrayIndex(key));
    entries = [...indexes, ...rest];
  }
  let text = "{";
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (text.length > 1) text += ",";
    text += `${quote(key)}:${value}`;
  }
  return `${text}}`;
}

/** JSON text of an array from its elements' JSON text (undefined is written `null`, as JSON.stringify does). */
export function arrayJson(items: Array<string | undefined>): string {
  let text = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ",";
    text += items[i] ?? "null";
  }
  return `${text}]`;
}

/** Whether JSON.stringify(value) would contain `${`: some key or string holds it. */
export function containsVariable(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) {
    for (const item of value) if (containsVariable(item)) return true;
    return false;
  }
  if (isPlainObject(value)) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = value[key];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      if (key.includes("${") || containsVariable(item)) return true;
    }
  }
  return false;
}

/**
 * Whether JSON.stringify(a) === JSON.stringify(b), without serialising either: true or false
 * for plain JSON values (key order counts), undefined when either holds something JSON.stringify
 * writes in its own way (undefined, NaN, functions, class instances...) and only it can tell.
 */
export function sameJson(a: unknown, b: unknown): boolean | undefined {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === "string" || ta === "boolean" || a === null) return differs(b);
  if (ta === "number") return Number.isFinite(a) ? differs(b) : undefined;
  if (ta !== "object") return undefined;
  if (typeof b !== "object" || b === null) {
    // An array or plain object is written "[…]" or "{…}", never as a string, number or null.
    return (Array.isArray(a) || isPlainPrototype(a as object)) && isPlainJson(b)
      ? false
      : undefined;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return isPlainPrototype(b) ? false : undefined;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = sameJson(a[i], b[i]);
      if (same !== true) return same;
    }
    return true;
  }
  if (!isPlainPrototype(a as object)) return undefined;
  if (Array.isArray(b)) return false;
  if (!isPlainPrototype(b)) return undefined;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // Every earlier property was written alike (or left out on both sides), so a property
  // written on one side and different in key or missing on the other makes the texts differ.
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const key = ka[i] as string;
    const other = kb[i] as string;
    if (key !== other) return isWritten(ra[key]) && isWritten(rb[other]) ? false : undefined;
    const same = sameJson(ra[key], rb[key]);
    if (same !== true) return same;
  }
  if (ka.length === kb.length) return true;
  const longer = ka.length > kb.length ? ra : rb;
  const next = (ka.length > kb.length ? ka : kb)[n] as string;
  return isWritten(longer[next]) ? false : undefined;
}

/** Whether JSON.stringify writes an object property with this value (it leaves some out). */
function isWritten(value: unknown): boolean {
  const t = typeof value;
  return t !== "undefined" && t !== "function" && t !== "symbol";
}

/** What a string, boolean, finite number or null not === b compares as. */
function differs(b: unknown): false | undefined {
  if (isPlainJson(b)) return false;
  // "[…]" and "{…}" are never a scalar's text.
  if (typeof b === "object" && b !== null && (Array.isArray(b) || isPlainPrototype(b))) {
    return false;
  }
  return undefined;
}

/** A value JSON.stringify writes as itself (objects may hold what it leaves out). */
function isPlainJson(value: unknown): boolean {
  const t = typeof value;
  return (
    t === "string" ||
    t === "boolean" ||
    value === null ||
    (t === "number" && Number.isFinite(value))
  );
}

function isPlainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
