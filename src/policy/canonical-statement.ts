import { isAccountId } from "../access-point/account-id.js";
import { arrayJson, jsonOf, needsEscape, objectJson, quote } from "./json-text.js";
import { compareStrings, isPlainObject, STATEMENT_ELEMENTS } from "./structural.js";
import type { TraceEvents } from "./trace.js";

// Canonical form of one policy statement. Each rule below follows IAM's documented evaluation;
// where IAM's documentation is silent, values are kept as written. A false "different" costs one
// harmless rewrite (after which live matches desired textually); a false "equal" hides drift
// forever.

export interface StatementContext {
  partition: string;
  /** When given, every meaning-preserving rewrite is recorded here. */
  events?: TraceEvents | undefined;
}

/** `label` names the value's place for notes; "" when no notes are recorded (it costs a string). */
type MapString = (value: string, ctx: StatementContext, label: string) => string;

const keepString: MapString = (value) => value;

// IAM action names are case-insensitive ("s3:getobject" grants s3:GetObject).
const lowerAction: MapString = (value, ctx, label) => {
  const lower = value.toLowerCase();
  if (lower !== value) {
    ctx.events?.push([
      `action-case:${label}:${value}`,
      `action "${value}" is the same as "${lower}" (action names are case-insensitive)`,
    ]);
  }
  return lower;
};

// NOTE: AWS stores a bare account id principal as `arn:<partition>:iam::<id>:root`.
const awsPrincipal: MapString = (value, ctx) => {
  if (value.length !== 12 || !isAccountId(value)) return value;
  const arn = `arn:${ctx.partition}:iam::${value}:root`;
  ctx.events?.push([`account:${value}`, `account id ${value} is the same principal as ${arn}`]);
  return arn;
};

/**
 * JSON text of a set of values (IAM treats a string and a one-element array alike, and ignores
 * duplicates and order) as a sorted array without duplicates. Condition values are compared as
 * strings by IAM, so `true`/`10` become `"true"`/`"10"` when `scalarsAsStrings`. Shapes IAM
 * would not accept are kept, key-sorted, so they still compare structurally.
 */
function canonicalSet(
  value: unknown,
  label: string,
  map: MapString,
  ctx: StatementContext,
  scalarsAsStrings: boolean,
): string | undefined {
  if (typeof value === "string") {
    const mapped = map(value, ctx, label);
    // Keyed by the canonical value: two documents that both wrote a plain string do not
    // differ in that respect, whatever other rewrite the value needed.
    ctx.events?.push([
      `wrap:${label}:${mapped}`,
      `${label} "${value}" is the same as ["${value}"]`,
    ]);
    return `[${quote(mapped)}]`;
  }
  if (scalarsAsStrings && (typeof value === "number" || typeof value === "boolean")) {
    const text = String(value);
    ctx.events?.push([
      `scalar:${label}:${text}`,
      `condition value ${text} is the same as "${text}"`,
    ]);
    return canonicalSet(text, label, map, ctx, scalarsAsStrings);
  }
  if (!Array.isArray(value)) return jsonOf(value);
  if (ctx.events === undefined && allStrings(value)) {
    // The common case, without bookkeeping: default sort is code-unit order, like compareStrings.
    const mapped: string[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) mapped[i] = map(value[i] as string, ctx, label);
    sortStrings(mapped);
    // Usually no value needs escaping and none repeats: one join writes the whole text as one
    // flat string, where quoting and appending each value built a tree of small strings that
    // every later comparison had to walk (and the collector to sweep).
    let plain = true;
    for (let i = 0; i < mapped.length; i++) {
      const item = mapped[i] as string;
      if (needsEscape(item) || (i > 0 && item === mapped[i - 1])) {
        plain = false;
        break;
      }
    }
    if (plain) return mapped.length === 0 ? "[]" : `["${mapped.join('","')}"]`;
    let text = "[";
    for (let i = 0; i < mapped.length; i++) {
      const item = mapped[i] as string;
      if (i > 0 && item === mapped[i - 1]) continue;
      if (text.length > 1) text += ",";
      text += quote(item);
    }
    return `${text}]`;
  }

  if (allStrings(value)) return tracedStringSet(value, label, map, ctx);

  const byKey = new Map<string, string | undefined>();
  const order: string[] = [];
  for (const raw of value) {
    let item: unknown = raw;
    if (scalarsAsStrings && (typeof raw === "number" || typeof raw === "boolean")) {
      const text = String(raw);
      ctx.events?.push([
        `scalar:${label}:${text}`,
        `condition value ${text} is the same as "${text}"`,
      ]);
      item = text;
    }
    // Strings sort before other shapes and by their own text.
    let key: string;
    let json: string | undefined;
    if (typeof item === "string") {
      const canonical = map(item, ctx, label);
      key = `s${canonical}`;
      json = quote(canonical);
    } else {
      json = jsonOf(item);
      key = `j${json}`;
    }
    if (byKey.has(key)) {
      ctx.events?.push([`dup:${label}:${key}`, `duplicate ${key.slice(1)} in ${label} is ignored`]);
      continue;
    }
    byKey.set(key, json);
    order.push(key);
  }
  const sorted = [...order].sort(compareStrings);
  if (ctx.events !== undefined && sorted.some((key, i) => key !== order[i])) {
    ctx.events.push([
      `order:${label}:${JSON.stringify(order)}`,
      `order of ${label} values differs`,
    ]);
  }
  return arrayJson(sorted.map((key) => byKey.get(key)));
}

/**
 * canonicalSet of a list of strings, recording the rewrites: the general case's notes in the
 * same order, without its bookkeeping for values of other shapes.
 */
function tracedStringSet(
  value: string[],
  label: string,
  map: MapString,
  ctx: StatementContext,
): string {
  const seen = new Set<string>();
  const order: string[] = [];
  for (const item of value) {
    const canonical = map(item, ctx, label);
    if (seen.has(canonical)) {
      ctx.events?.push([
        `dup:${label}:s${canonical}`,
        `duplicate ${canonical} in ${label} is ignored`,
      ]);
      continue;
    }
    seen.add(canonical);
    order.push(canonical);
  }
  // Default sort is code-unit order, like compareStrings.
  const sorted = [...order].sort();
  let text = "[";
  let reordered = false;
  for (let i = 0; i < sorted.length; i++) {
    const item = sorted[i] as string;
    if (item !== order[i]) reordered = true;
    if (i > 0) text += ",";
    text += quote(item);
  }
  if (reordered) {
    ctx.events?.push([
      `order:${label}:${JSON.stringify(order.map((item) => `s${item}`))}`,
      `order of ${label} values differs`,
    ]);
  }
  return `${text}]`;
}

/**
 * Sorts in code-unit order, as the default sort does. Sets hold a few values: an insertion sort
 * with `<` costs less than the builtin's set-up and its string conversions per comparison.
 */
function sortStrings(items: string[]): void {
  if (items.length > 16) {
    items.sort();
    return;
  }
  for (let i = 1; i < items.length; i++) {
    const item = items[i] as string;
    let j = i - 1;
    while (j >= 0 && (items[j] as string) > item) {
      items[j + 1] = items[j] as string;
      j--;
    }
    items[j + 1] = item;
  }
}

function allStrings(value: unknown[]): value is string[] {
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

function canonicalPrincipal(
  value: unknown,
  field: string,
  ctx: StatementContext,
): string | undefined {
  let principal = value;
  // IAM documents "Principal": "*" and {"AWS": "*"} as the same: everyone, including anonymous.
  if (principal === "*") {
    ctx.events?.push([`star:${field}`, `${field} "*" is the same as {"AWS": "*"}`]);
    principal = { AWS: "*" };
  }
  if (!isPlainObject(principal)) return jsonOf(principal);
  const types = Object.keys(principal);
  if (types.length > 1) types.sort(compareStrings);
  const entries: Array<[string, string | undefined]> = [];
  for (const type of types) {
    entries.push([
      type,
      canonicalSet(
        principal[type],
        ctx.events === undefined ? "" : `${field} ${type}`,
        type === "AWS" ? awsPrincipal : keepString,
        ctx,
        false,
      ),
    ]);
  }
  return objectJson(entries);
}

/**
 * Condition key names are case-insensitive (IAM: "aws:SourceIP is equivalent to AWS:SourceIp").
 * Only the part before the first "/" is lowered: what follows is a tag key or similar
 * (`s3:ExistingObjectTag/Project`) whose case IAM does not document as ignored.
 */
function canonicalConditionKey(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
}

function noteKeyCase(operator: string, key: string, canonicalKey: string, ctx: StatementContext) {
  if (canonicalKey !== key) {
    ctx.events?.push([
      `condition-key-case:${operator}:${key}`,
      `condition key "${key}" is the same as "${canonicalKey}" (condition key names are case-insensitive)`,
    ]);
  }
}

function canonicalConditionBlock(
  operator: string,
  block: Record<string, unknown>,
  ctx: StatementContext,
): string {
  const keys = Object.keys(block);
  if (keys.length === 1) {
    // The usual block, one key: nothing to collide with, no entries to sort.
    const key = keys[0] as string;
    const canonicalKey = canonicalConditionKey(key);
    noteKeyCase(operator, key, canonicalKey, ctx);
    const label = ctx.events === undefined ? "" : `Condition ${operator} ${canonicalKey}`;
    return objectJson([[canonicalKey, canonicalSet(block[key], label, keepString, ctx, true)]]);
  }
  const lowered = keys.map(canonicalConditionKey);
  // Two spellings of one key in a block are ANDed, which a merged set could not express:
  // keep such a block's keys as written rather than merge them.
  const collide = lowered.length > 1 && new Set(lowered).size !== lowered.length;
  const entries = keys.map((key, i): [string, string | undefined] => {
    const canonicalKey = collide ? key : (lowered[i] ?? key);
    noteKeyCase(operator, key, canonicalKey, ctx);
    const values = canonicalSet(
      block[key],
      ctx.events === undefined ? "" : `Condition ${operator} ${canonicalKey}`,
      keepString,
      ctx,
      true,
    );
    return [canonicalKey, values];
  });
  return objectJson(entries);
}

/**
 * Operator names are kept as written: IAM documents key names as case-insensitive but says
 * nothing of operators, so a different spelling counts as a change. An operator with no keys
 * tests nothing, and an empty Condition is no Condition: both are dropped (`undefined`).
 */
function canonicalCondition(value: unknown, ctx: StatementContext): string | undefined {
  if (!isPlainObject(value)) return jsonOf(value);
  const entries: Array<[string, string | undefined]> = [];
  const operators = Object.keys(value);
  if (operators.length > 1) operators.sort(compareStrings);
  for (const operator of operators) {
    const block = value[operator];
    if (!isPlainObject(block)) {
      entries.push([operator, jsonOf(block)]);
      continue;
    }
    if (Object.keys(block).length === 0) {
      ctx.events?.push([
        `condition-empty-operator:${operator}`,
        `"${operator}": {} tests nothing and is the same as no condition`,
      ]);
      continue;
    }
    entries.push([operator, canonicalConditionBlock(operator, block, ctx)]);
  }
  if (entries.length === 0) {
    ctx.events?.push(["condition-empty", `"Condition": {} is the same as no Condition`]);
    return undefined;
  }
  return objectJson(entries);
}

// The fields IAM defines, in code-unit order: the order of their canonical text.
const FIELDS = [...STATEMENT_ELEMENTS].sort(compareStrings);
const FIELD_PREFIX = FIELDS.map((field) => `"${field}":`);
const FIELD_SLOT = new Map<string, number>(FIELDS.map((field, slot) => [field, slot]));

function fieldJson(key: string, value: unknown, ctx: StatementContext): string | undefined {
  switch (key) {
    case "Sid":
      // Kept as written, key order included.
      return typeof value === "string" ? quote(value) : JSON.stringify(value);
    case "Principal":
    case "NotPrincipal":
      return canonicalPrincipal(value, key, ctx);
    case "Action":
    case "NotAction":
      return canonicalSet(value, key, lowerAction, ctx, false);
    case "Resource":
    case "NotResource":
      return canonicalSet(value, key, keepString, ctx, false);
    case "Condition":
      return canonicalCondition(value, ctx);
    default:
      return jsonOf(value);
  }
}

/** JSON text of a statement's canonical form (undefined only for a value JSON cannot hold). */
export function canonicalStatementJson(
  statement: unknown,
  ctx: StatementContext,
): string | undefined {
  if (!isPlainObject(statement)) return jsonOf(statement);
  // Known fields go to fixed slots, so the usual statement needs no sorting; the fields are
  // still visited in the document's order, which is the order of the notes.
  const slots: Array<string | undefined> = new Array(FIELDS.length);
  let others: Array<[string, string | undefined]> | undefined;
  for (const key of Object.keys(statement)) {
    const value = statement[key];
    if (key === "Sid" && value === "") {
      ctx.events?.push(["sid-empty", `Sid "" is the same as no Sid`]);
      continue;
    }
    const canonical = fieldJson(key, value, ctx);
    const slot = FIELD_SLOT.get(key);
    if (slot !== undefined) slots[slot] = canonical;
    else {
      others ??= [];
      others.push([key, canonical]);
    }
  }
  if (others !== undefined) {
    for (let slot = 0; slot < FIELDS.length; slot++) {
      if (slots[slot] !== undefined) others.push([FIELDS[slot] as string, slots[slot]]);
    }
    return objectJson(others);
  }
  // One join: a flat text, cheap to compare and hash (see canonicalSet).
  const parts: string[] = [];
  for (let slot = 0; slot < FIELDS.length; slot++) {
    const canonical = slots[slot];
    if (canonical !== undefined) parts.push((FIELD_PREFIX[slot] as string) + canonical);
  }
  return `{${parts.join(",")}}`;
}
