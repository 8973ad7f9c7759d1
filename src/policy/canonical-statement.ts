import { compareStrings, isPlainObject, objectFrom, sortKeysDeep } from "./structural.js";
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

const ACCOUNT_ID = /^\d{12}$/;

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
  if (!ACCOUNT_ID.test(value)) return value;
  const arn = `arn:${ctx.partition}:iam::${value}:root`;
  ctx.events?.push([`account:${value}`, `account id ${value} is the same principal as ${arn}`]);
  return arn;
};

/**
 * A set of values (IAM treats a string and a one-element array alike, and ignores duplicates
 * and order) as a sorted array without duplicates. Condition values are compared as strings by
 * IAM, so `true`/`10` become `"true"`/`"10"` when `scalarsAsStrings`. Shapes IAM would not
 * accept are kept, key-sorted, so they still compare structurally.
 */
function canonicalSet(
  value: unknown,
  label: string,
  map: MapString,
  ctx: StatementContext,
  scalarsAsStrings: boolean,
): unknown {
  const asString = (item: unknown): unknown => {
    if (scalarsAsStrings && (typeof item === "number" || typeof item === "boolean")) {
      const text = String(item);
      ctx.events?.push([
        `scalar:${label}:${text}`,
        `condition value ${text} is the same as "${text}"`,
      ]);
      return text;
    }
    return item;
  };
  const single = asString(value);
  if (typeof single === "string") {
    const mapped = map(single, ctx, label);
    // Keyed by the canonical value: two documents that both wrote a plain string do not
    // differ in that respect, whatever other rewrite the value needed.
    ctx.events?.push([
      `wrap:${label}:${mapped}`,
      `${label} "${single}" is the same as ["${single}"]`,
    ]);
    return [mapped];
  }
  if (!Array.isArray(value)) return sortKeysDeep(value);
  if (ctx.events === undefined && value.every((item) => typeof item === "string")) {
    // The common case, without bookkeeping: default sort is code-unit order, like compareStrings.
    return [...new Set(value.map((item) => map(item, ctx, label)))].sort();
  }

  const byKey = new Map<string, unknown>();
  const order: string[] = [];
  for (const raw of value) {
    const item = asString(raw);
    const canonical = typeof item === "string" ? map(item, ctx, label) : sortKeysDeep(item);
    // Strings sort before other shapes and by their own text.
    const key = typeof canonical === "string" ? `s${canonical}` : `j${JSON.stringify(canonical)}`;
    if (byKey.has(key)) {
      ctx.events?.push([`dup:${label}:${key}`, `duplicate ${key.slice(1)} in ${label} is ignored`]);
      continue;
    }
    byKey.set(key, canonical);
    order.push(key);
  }
  const sorted = [...order].sort(compareStrings);
  if (ctx.events !== undefined && sorted.some((key, i) => key !== order[i])) {
    ctx.events.push([
      `order:${label}:${JSON.stringify(order)}`,
      `order of ${label} values differs`,
    ]);
  }
  return sorted.map((key) => byKey.get(key));
}

function canonicalPrincipal(value: unknown, field: string, ctx: StatementContext): unknown {
  let principal = value;
  // IAM documents "Principal": "*" and {"AWS": "*"} as the same: everyone, including anonymous.
  if (principal === "*") {
    ctx.events?.push([`star:${field}`, `${field} "*" is the same as {"AWS": "*"}`]);
    principal = { AWS: "*" };
  }
  if (!isPlainObject(principal)) return sortKeysDeep(principal);
  return objectFrom(
    Object.keys(principal)
      .sort(compareStrings)
      .map((type) => [
        type,
        canonicalSet(
          principal[type],
          `${field} ${type}`,
          type === "AWS" ? awsPrincipal : keepString,
          ctx,
          false,
        ),
      ]),
  );
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

function canonicalConditionBlock(
  operator: string,
  block: Record<string, unknown>,
  ctx: StatementContext,
): Record<string, unknown> {
  const keys = Object.keys(block);
  const lowered = keys.map(canonicalConditionKey);
  // Two spellings of one key in a block are ANDed, which a merged set could not express:
  // keep such a block's keys as written rather than merge them.
  const collide = new Set(lowered).size !== lowered.length;
  const entries = keys.map((key, i): [string, unknown] => {
    const canonicalKey = collide ? key : (lowered[i] ?? key);
    if (canonicalKey !== key) {
      ctx.events?.push([
        `condition-key-case:${operator}:${key}`,
        `condition key "${key}" is the same as "${canonicalKey}" (condition key names are case-insensitive)`,
      ]);
    }
    const values = canonicalSet(
      block[key],
      `Condition ${operator} ${canonicalKey}`,
      keepString,
      ctx,
      true,
    );
    return [canonicalKey, values];
  });
  entries.sort(([a], [b]) => compareStrings(a, b));
  return objectFrom(entries);
}

/**
 * Operator names are kept as written: IAM documents key names as case-insensitive but says
 * nothing of operators, so a different spelling counts as a change. An operator with no keys
 * tests nothing, and an empty Condition is no Condition: both are dropped (`undefined`).
 */
function canonicalCondition(value: unknown, ctx: StatementContext): unknown {
  if (!isPlainObject(value)) return sortKeysDeep(value);
  const entries: Array<[string, unknown]> = [];
  for (const operator of Object.keys(value).sort(compareStrings)) {
    const block = value[operator];
    if (!isPlainObject(block)) {
      entries.push([operator, sortKeysDeep(block)]);
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
  return objectFrom(entries);
}

export function canonicalStatement(statement: unknown, ctx: StatementContext): unknown {
  if (!isPlainObject(statement)) return sortKeysDeep(statement);
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(statement)) {
    const value = statement[key];
    let canonical: unknown;
    switch (key) {
      case "Sid":
        if (value === "") {
          ctx.events?.push(["sid-empty", `Sid "" is the same as no Sid`]);
          continue;
        }
        canonical = value;
        break;
      case "Principal":
      case "NotPrincipal":
        canonical = canonicalPrincipal(value, key, ctx);
        break;
      case "Action":
      case "NotAction":
        canonical = canonicalSet(value, key, lowerAction, ctx, false);
        break;
      case "Resource":
      case "NotResource":
        canonical = canonicalSet(value, key, keepString, ctx, false);
        break;
      case "Condition":
        canonical = canonicalCondition(value, ctx);
        if (canonical === undefined) continue;
        break;
      default:
        canonical = sortKeysDeep(value);
    }
    entries.push([key, canonical]);
  }
  entries.sort(([a], [b]) => compareStrings(a, b));
  return objectFrom(entries);
}
