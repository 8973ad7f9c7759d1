// One test of a Condition block (operator, key, values) as IAM evaluates it against a request,
// and the sample values of a key that tell apart every way the tests on it can come out: the
// condition half of the access verdict's exact search (IAM User Guide, "Condition operators" and
// "Policy variables"). Own code: IAM's semantics of missing keys, `...IfExists`, set operators,
// ARN components and policy variables are what the verdict must follow, and no package has them.
import { appendAll } from "../append-all.js";
import { type ConditionOperator, isNegated } from "./condition-operator.js";
import { arnGlob, glob, literal, matches, type Pattern, regionsOf } from "./glob-regions.js";

/** What a request carries for a key: one value, a set (multivalued keys), or nothing. */
export type RequestValue = string | readonly string[] | undefined;

export interface Clause {
  /** The operator as written, and parsed (undefined: IAM does not know it). */
  operatorText: string;
  operator: ConditionOperator | undefined;
  /** The key in canonical form (canonicalize.ts: lower case up to the first "/"). */
  key: string;
  values: readonly string[];
  /** Whether `${...}` in the values are policy variables (Version 2012-10-17). */
  variables: boolean;
}

/** The value of a key in the request (keys in canonical form). */
export type Lookup = (key: string) => RequestValue;

/** A key's canonical form: lower case up to the first "/" (canonicalize.ts). */
export function canonicalKey(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
}

// `${key}`, `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}` (literal characters).
const VARIABLE = /\$\{([^}]*)\}/g;

type Segment = { text: string; literal: boolean };

/**
 * The value with its policy variables replaced: segments of policy text (which may hold
 * wildcards) and of substituted text (always literal). Undefined when a variable has no value in
 * the request and no default: IAM cannot resolve the statement then.
 */
export function substitute(
  text: string,
  variables: boolean,
  lookup: Lookup,
): Segment[] | undefined {
  if (!variables || !text.includes("${")) return [{ text, literal: false }];
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    out.push({ text: text.slice(last, match.index), literal: false });
    last = match.index + match[0].length;
    const inner = (match[1] ?? "").trim();
    if (inner === "*" || inner === "?" || inner === "$") {
      out.push({ text: inner, literal: true });
      continue;
    }
    const comma = inner.indexOf(",");
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const fallback = comma < 0 ? undefined : /^'(.*)'$/.exec(inner.slice(comma + 1).trim())?.[1];
    const value = lookup(canonicalKey(name));
    const resolved = typeof value === "string" ? value : fallback;
    if (resolved === undefined) return undefined;
    out.push({ text: resolved, literal: true });
  }
  out.push({ text: text.slice(last), literal: false });
  return out;
}

/** The keys a text names as policy variables (canonical form). */
export function variablesIn(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const inner = (match[1] ?? "").trim();
    if (inner === "*" || inner === "?" || inner === "$") continue;
    const comma = inner.indexOf(",");
    out.push(canonicalKey((comma < 0 ? inner : inner.slice(0, comma)).trim()));
  }
  return out;
}

const joined = (segments: readonly Segment[]) => segments.map((s) => s.text).join("");

/** Segments as a pattern: policy text read by `read`, substituted text literally. */
export function segmentPattern(
  segments: readonly Segment[],
  read: (text: string) => Pattern,
): Pattern {
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only !== undefined && !only.literal) return read(only.text);
  return segments.flatMap((s) => (s.literal ? literal(s.text) : read(s.text)));
}

type Family = "string" | "number" | "date" | "ip" | "null";

function familyOf(operator: ConditionOperator): Family {
  const base = operator.base;
  if (base === "Null") return "null";
  if (base.startsWith("Numeric")) return "number";
  if (base.startsWith("Date")) return "date";
  if (base.endsWith("IpAddress")) return "ip";
  return "string";
}

/** The pattern a string-family value is matched with. */
function stringPattern(operator: ConditionOperator, segments: readonly Segment[]): Pattern {
  switch (operator.base) {
    case "StringLike":
    case "StringNotLike":
      return segmentPattern(segments, (t) => glob(t));
    case "ArnEquals":
    case "ArnLike":
    case "ArnNotEquals":
    case "ArnNotLike":
      return segmentPattern(segments, arnGlob);
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
    case "Bool":
      return literal(joined(segments), true);
    default:
      return literal(joined(segments));
  }
}

/** A date as milliseconds: ISO 8601 or seconds since the epoch, as IAM accepts them. */
function dateValue(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

/** A number IAM would compare, or NaN. */
function numberValue(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

interface Range {
  family: 4 | 6;
  low: bigint;
  high: bigint;
}

function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split(".").map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(":") || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : (halves[0] ?? "").split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? (halves[1] ?? "").split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array(missing).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n) };
}

function parseRange(text: string): Range | undefined {
  const [address = "", bits] = text.split("/");
  const parsed = parseAddress(address);
  if (parsed === undefined) return undefined;
  const width = parsed.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const host = (1n << BigInt(width - prefix)) - 1n;
  const low = parsed.value & ~host & ((1n << BigInt(width)) - 1n);
  return { family: parsed.family, low, high: low | host };
}

function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(":");
}

/** A policy variable the request has no value for. */
const UNRESOLVED = Symbol("unresolved");

/**
 * Whether one policy value matches one request value, for the operator's positive sense;
 * undefined when the policy value is not one IAM could compare (an unparseable number, say),
 * UNRESOLVED when it names a policy variable the request does not carry.
 */
function valueMatches(
  operator: ConditionOperator,
  policyValue: string,
  variables: boolean,
  lookup: Lookup,
  requestValue: string,
): boolean | undefined | typeof UNRESOLVED {
  const segments = substitute(policyValue, variables, lookup);
  if (segments === undefined) return UNRESOLVED;
  switch (familyOf(operator)) {
    case "string":
      return matches(stringPattern(operator, segments), requestValue);
    case "number": {
      const p = numberValue(joined(segments));
      if (Number.isNaN(p)) return undefined;
      return compare(operator, numberValue(requestValue), p);
    }
    case "date": {
      const p = dateValue(joined(segments));
      if (Number.isNaN(p)) return undefined;
      return compare(operator, dateValue(requestValue), p);
    }
    case "ip": {
      const range = parseRange(joined(segments));
      if (range === undefined) return undefined;
      const address = parseAddress(requestValue.split("/")[0] ?? "");
      return (
        address !== undefined &&
        address.family === range.family &&
        address.value >= range.low &&
        address.value <= range.high
      );
    }
    case "null":
      return undefined;
  }
}

function compare(operator: ConditionOperator, request: number, policy: number): boolean {
  if (Number.isNaN(request)) return false;
  const base = operator.base;
  if (base.endsWith("GreaterThanEquals")) return request >= policy;
  if (base.endsWith("GreaterThan")) return request > policy;
  if (base.endsWith("LessThanEquals")) return request <= policy;
  if (base.endsWith("LessThan")) return request < policy;
  return request === policy;
}

/**
 * Whether one request value satisfies the clause's base operator (negation included).
 * NOTE: "If AWS cannot resolve a variable this might cause the entire statement to be invalid"
 * (IAM User Guide, "Policy variables"): a statement with a variable the request does not carry
 * is read as not matching it, so the clause is false whatever its operator.
 */
function itemHolds(
  clause: Clause,
  operator: ConditionOperator,
  item: string,
  lookup: Lookup,
): boolean | undefined {
  let any = false;
  let unknown = false;
  for (const value of clause.values) {
    const m = valueMatches(operator, value, clause.variables, lookup, item);
    if (m === UNRESOLVED) return false;
    if (m === undefined) unknown = true;
    else if (m) any = true;
  }
  if (unknown) return undefined;
  return isNegated(operator.base) ? !any : any;
}

/**
 * Whether the clause holds for a request carrying `value` for its key; undefined when s3ap cannot
 * tell (an operator or value IAM would not compare, an unresolvable policy variable, a
 * single-valued operator on a set of values).
 */
export function clauseHolds(
  clause: Clause,
  value: RequestValue,
  lookup: Lookup,
): boolean | undefined {
  const operator = clause.operator;
  if (operator === undefined) return undefined;
  if (operator.base === "Null") {
    const wanted = clause.values.map((v) => v.toLowerCase());
    if (wanted.some((v) => v !== "true" && v !== "false")) return undefined;
    // "true": the key is absent (or an empty set); "false": it is present. Values are ORed.
    const absent = value === undefined || (Array.isArray(value) && value.length === 0);
    return wanted.includes(absent ? "true" : "false");
  }
  if (value === undefined) {
    // A missing key matches no value: positive operators fail, negated ones hold; IfExists
    // and ForAllValues (an empty set) hold, ForAnyValue fails.
    if (operator.ifExists || operator.set === "all") return true;
    if (operator.set === "any") return false;
    return isNegated(operator.base);
  }
  if (typeof value !== "string" && operator.set === undefined) return undefined;
  const items = typeof value === "string" ? [value] : value;
  if (operator.set === undefined) return itemHolds(clause, operator, items[0] as string, lookup);
  let all = true;
  let some = false;
  for (const item of items) {
    const holds = itemHolds(clause, operator, item, lookup);
    if (holds === undefined) return undefined;
    if (holds) some = true;
    else all = false;
  }
  return operator.set === "all" ? all : some;
}

/**
 * The patterns a string-family clause matches request values with, its policy variables left
 * unresolved; undefined for other families and for values with variables.
 */
export function clausePatterns(clause: Clause): Pattern[] | undefined {
  const operator = clause.operator;
  if (operator === undefined || familyOf(operator) !== "string") return undefined;
  const out: Pattern[] = [];
  for (const value of clause.values) {
    if (clause.variables && value.includes("${")) return undefined;
    out.push(stringPattern(operator, [{ text: value, literal: false }]));
  }
  return out;
}

export interface KeySamples {
  /** One value per distinguishable case, `undefined` (the key is absent) among them. */
  values: RequestValue[];
  /** False when some case may be missing (the verdict is then unsure in this part). */
  complete: boolean;
}

const MAX_SET_ITEMS = 6;

/**
 * Sample values of one key that together meet every way the clauses on it can come out.
 * `extra` are values worth trying besides (candidates for a policy variable).
 */
export function keySamples(
  clauses: readonly Clause[],
  lookup: Lookup,
  extra: readonly string[] = [],
): KeySamples {
  const families = new Set<Family>();
  const patterns: Pattern[] = [];
  const numbers = new Set<number>();
  const dates = new Set<number>();
  const ranges: Range[] = [];
  let multi = false;
  let complete = true;
  for (const clause of clauses) {
    const operator = clause.operator;
    if (operator === undefined) continue;
    if (operator.set !== undefined) multi = true;
    const family = familyOf(operator);
    if (family !== "null") families.add(family);
    for (const value of clause.values) {
      const segments = substitute(value, clause.variables, lookup);
      if (segments === undefined) continue;
      const text = joined(segments);
      if (family === "string") patterns.push(stringPattern(operator, segments));
      else if (family === "number" && !Number.isNaN(numberValue(text)))
        numbers.add(numberValue(text));
      else if (family === "date" && !Number.isNaN(dateValue(text))) dates.add(dateValue(text));
      else if (family === "ip") {
        const range = parseRange(text);
        if (range !== undefined) ranges.push(range);
      }
    }
  }
  // Samples of different families are tried side by side; whether some value falls in a region
  // of one family and another of a second at once is then not proven.
  if (families.size > 1) complete = false;
  const items = new Set<string>(extra);
  if (patterns.length > 0 || families.size === 0) {
    // Requests carry values of at least one character; the empty value only where a pattern
    // names it.
    const all = [...patterns, ...extra.map((e) => literal(e))];
    const regions = regionsOf(all, glob("?*"));
    if (!regions.complete) complete = false;
    for (const region of regions.regions) items.add(region.text);
    if (all.some((p) => matches(p, ""))) items.add("");
  }
  for (const n of thresholdsAround([...numbers])) items.add(String(n));
  for (const d of thresholdsAround([...dates])) items.add(new Date(d).toISOString());
  for (const address of addressesAround(ranges)) items.add(address);
  const present = [...items];
  if (present.length === 0) present.push("z");
  const values: RequestValue[] = [undefined];
  if (!multi) {
    appendAll(values, present);
    return { values, complete };
  }
  if (present.length > MAX_SET_ITEMS) complete = false;
  const chosen = present.slice(0, MAX_SET_ITEMS);
  for (let mask = 1; mask < 1 << chosen.length; mask++) {
    values.push(chosen.filter((_, i) => (mask & (1 << i)) !== 0));
  }
  return { values, complete };
}

/** Each threshold, a value between each two, and one beyond either end. */
function thresholdsAround(points: number[]): number[] {
  if (points.length === 0) return [];
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  const out = [(sorted[0] as number) - 1, ...sorted, (sorted[sorted.length - 1] as number) + 1];
  for (let i = 0; i + 1 < sorted.length; i++) {
    out.push(((sorted[i] as number) + (sorted[i + 1] as number)) / 2);
  }
  return out;
}

/** The first address of every stretch the ranges cut each address family into. */
function addressesAround(ranges: readonly Range[]): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const own = ranges.filter((r) => r.family === family);
    if (own.length === 0) continue;
    const max = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
    const starts = new Set<bigint>([0n]);
    for (const r of own) {
      starts.add(r.low);
      if (r.high < max) starts.add(r.high + 1n);
    }
    for (const start of starts) out.push(formatAddress(family, start));
  }
  return out;
}
