import type { PolicyDocument } from "../model.js";
import { canonicalStatementJson } from "./canonical-statement.js";
import { arrayJson, containsVariable, jsonOf, objectJson } from "./json-text.js";
import { compareStrings, isPlainObject, sortKeysDeep } from "./structural.js";
import type { TraceEvents } from "./trace.js";

export interface CanonicalizeOptions {
  /** Partition for account id principals (`arn:<partition>:iam::<id>:root`); default "aws". */
  partition?: string;
}

/** One distinct statement of a document, in the document's order. */
export interface StatementEntry {
  raw: unknown;
  canonical: unknown;
  /** JSON of `canonical`: its identity for sorting, deduplication and matching. */
  json: string;
  /** 1-based position of its first occurrence in the document's Statement list. */
  position: number;
}

/** Rewrites recorded while canonicalizing, keyed per statement so identical rewrites cancel. */
export interface CanonicalTrace {
  /** Statement JSON ("" for the document itself) → rewrite key → note. */
  events: Map<string, Map<string, string>>;
  /** Canonical statement JSON in document order (without duplicates). */
  statementOrder: string[];
}

/** The Statement list, or null when Statement is neither a list nor a single object. */
export function statementList(policy: unknown): unknown[] | null {
  if (!isPlainObject(policy)) return null;
  const statement = policy.Statement;
  if (Array.isArray(statement)) return statement;
  if (isPlainObject(statement)) return [statement];
  return null;
}

export function statementEntries(
  statements: unknown[],
  partition: string,
  trace?: CanonicalTrace,
): StatementEntry[] {
  const seen = new Set<string>();
  const entries: StatementEntry[] = [];
  for (let index = 0; index < statements.length; index++) {
    const raw = statements[index];
    const events: TraceEvents | undefined = trace === undefined ? undefined : [];
    // Only a statement JSON cannot hold (undefined) has no text; JSON.stringify wrote it null.
    const json = canonicalStatementJson(raw, { partition, events }) as string;
    if (trace !== undefined && events !== undefined) {
      const scoped = trace.events.get(json) ?? new Map<string, string>();
      for (const [key, note] of events) scoped.set(key, note);
      if (seen.has(json)) scoped.set("duplicate-statement", "a duplicate statement is ignored");
      trace.events.set(json, scoped);
    }
    if (seen.has(json)) continue;
    seen.add(json);
    trace?.statementOrder.push(json);
    entries.push(new Entry(raw, json, index + 1));
  }
  return entries;
}

/** Sorted in code-unit order; the default sort is, and needs no comparator call per pair. */
function sortTexts(texts: string[]): string[] {
  // Only a statement JSON cannot hold has no text; compareStrings places it as it always did.
  return texts.every((text) => typeof text === "string")
    ? texts.sort()
    : texts.sort(compareStrings);
}

/** JSON text of a Statement list's canonical form: sorted, without duplicates. */
function statementsJson(list: unknown[], partition: string, trace: CanonicalTrace | undefined) {
  if (trace !== undefined) {
    const texts = statementEntries(list, partition, trace).map((entry) => entry.json);
    return arrayJson(sortTexts(texts));
  }
  // Untraced: sorting brings duplicates together, with no set of long strings to hash.
  const ctx = { partition };
  const texts = sortTexts(list.map((raw) => canonicalStatementJson(raw, ctx) as string));
  let text = "[";
  for (let i = 0; i < texts.length; i++) {
    if (i > 0 && texts[i] === texts[i - 1]) continue;
    if (text.length > 1) text += ",";
    text += texts[i] ?? "null";
  }
  return `${text}]`;
}

/** A statement entry whose canonical object is parsed from its text when first asked for. */
class Entry implements StatementEntry {
  #canonical: unknown;
  #parsed = false;
  constructor(
    readonly raw: unknown,
    readonly json: string,
    readonly position: number,
  ) {}
  get canonical(): unknown {
    if (!this.#parsed) {
      this.#canonical = this.json === undefined ? undefined : JSON.parse(this.json);
      this.#parsed = true;
    }
    return this.#canonical;
  }
}

// IAM: a missing Version means "2008-10-17", whose only documented difference from
// "2012-10-17" is that policy variables (`${aws:username}`) are literal text. So for a
// document without "${", 2008-10-17 and a missing Version mean the same as 2012-10-17; with
// variables they do not, and the document keeps the version it really has.
function documentEvents(trace: CanonicalTrace | undefined): Map<string, string> | undefined {
  if (trace === undefined) return undefined;
  const events = trace.events.get("") ?? new Map<string, string>();
  trace.events.set("", events);
  return events;
}

function canonicalVersion(
  version: unknown,
  statement: unknown,
  events: Map<string, string> | undefined,
): string | undefined {
  if (version !== undefined && version !== "2008-10-17") return jsonOf(version);
  const usesVariables = containsVariable(statement);
  if (version === undefined) {
    events?.set(
      "version-missing",
      usesVariables
        ? `a missing Version means "2008-10-17"`
        : `a missing Version ("2008-10-17") is the same as "2012-10-17" for a document without policy variables`,
    );
  } else if (!usesVariables) {
    events?.set(
      "version-2008",
      `Version "2008-10-17" is the same as "2012-10-17" for a document without policy variables`,
    );
  }
  return usesVariables ? '"2008-10-17"' : '"2012-10-17"';
}

/**
 * JSON text of the canonical form of a document that is an object, optionally recording every
 * rewrite in `trace`.
 */
function canonicalDocumentJson(
  policy: Record<string, unknown>,
  options: CanonicalizeOptions | undefined,
  trace: CanonicalTrace | undefined,
  shell = false,
): string {
  const partition = options?.partition ?? "aws";
  const events = documentEvents(trace);
  const entries: Array<[string, string | undefined]> = [];
  for (const key of Object.keys(policy)) {
    const value = policy[key];
    if (key === "Version") continue;
    if (key === "Id" && value === "") {
      events?.set("id-empty", `Id "" is the same as no Id`);
      continue;
    }
    if (key === "Statement") {
      const list = statementList(policy);
      if (list === null) {
        entries.push([key, jsonOf(value)]);
        continue;
      }
      if (!Array.isArray(value)) {
        events?.set(
          "statement-object",
          "a single statement object is the same as a one-element Statement array",
        );
      }
      entries.push([key, shell ? "[]" : statementsJson(list, partition, trace)]);
      continue;
    }
    entries.push([key, jsonOf(value)]);
  }
  entries.push(["Version", canonicalVersion(policy.Version, policy.Statement, events)]);
  return objectJson(entries);
}

/**
 * JSON text of `canonicalize(policy)`: two documents mean the same exactly when these texts are
 * equal. Much cheaper than canonicalize, which builds the objects from this text.
 */
export function canonicalJson(
  policy: unknown,
  options?: CanonicalizeOptions,
  trace?: CanonicalTrace,
): string {
  if (!isPlainObject(policy)) return JSON.stringify(sortKeysDeep(policy)) ?? "undefined";
  return canonicalDocumentJson(policy, options, trace);
}

/**
 * Whether canonicalJson(a, options) === canonicalJson(b, options), sooner: two documents whose
 * Statement is a list compare as everything but their statements (the statement list written
 * as `[]`) and then as sets of canonical statement texts. Those texts are never sorted nor
 * joined, and the comparison stops at the first statement of `b` that `a` lacks.
 */
export function canonicallyEqual(a: unknown, b: unknown, options?: CanonicalizeOptions): boolean {
  const listA = statementList(a);
  const listB = listA === null ? null : statementList(b);
  if (listA === null || listB === null) {
    return canonicalJson(a, options) === canonicalJson(b, options);
  }
  // Both are objects: statementList found a list in each.
  const docA = a as Record<string, unknown>;
  const docB = b as Record<string, unknown>;
  if (
    canonicalDocumentJson(docA, options, undefined, true) !==
    canonicalDocumentJson(docB, options, undefined, true)
  ) {
    return false;
  }
  // Equal shells hold their statement lists at the same place, so the documents' texts are
  // equal exactly when their sorted, deduplicated statement texts are, i.e. as sets.
  const ctx = { partition: options?.partition ?? "aws" };
  const textsA: string[] = new Array(listA.length);
  for (let i = 0; i < listA.length; i++) {
    const text = canonicalStatementJson(listA[i], ctx);
    // Only a statement JSON cannot hold has no text: its place in the sorted text is the
    // full comparison's business.
    if (text === undefined) return canonicalJson(a, options) === canonicalJson(b, options);
    textsA[i] = text;
  }
  const setA = listA.length > LINEAR_SEARCH_MAX ? new Set(textsA) : undefined;
  const textsB: string[] = new Array(listB.length);
  for (let i = 0; i < listB.length; i++) {
    const text = canonicalStatementJson(listB[i], ctx);
    if (text === undefined) return canonicalJson(a, options) === canonicalJson(b, options);
    if (!(setA === undefined ? textsA.includes(text) : setA.has(text))) return false;
    textsB[i] = text;
  }
  const setB = listB.length > LINEAR_SEARCH_MAX ? new Set(textsB) : undefined;
  for (const text of textsA) {
    if (!(setB === undefined ? textsB.includes(text) : setB.has(text))) return false;
  }
  return true;
}

// A few statements per document: a linear search (string equality compares lengths first)
// costs less than hashing every statement text into a set.
const LINEAR_SEARCH_MAX = 16;

/** The canonical form, optionally recording every rewrite in `trace`. */
export function canonicalizeTraced(
  policy: unknown,
  options: CanonicalizeOptions | undefined,
  trace?: CanonicalTrace,
): PolicyDocument {
  // Not a document at all (a live policy is untrusted text): compare it structurally.
  if (!isPlainObject(policy)) return sortKeysDeep(policy) as PolicyDocument;
  return JSON.parse(canonicalDocumentJson(policy, options, trace)) as PolicyDocument;
}

/**
 * One canonical document for every way of writing the same policy: keys sorted, statements
 * sorted and unique, value sets as sorted unique arrays, account ids as root ARNs, `"*"`
 * principals as {"AWS": ["*"]}, condition values as strings, actions and condition key names
 * lower-cased. Idempotent; never throws, whatever the input's shape.
 */
export function canonicalize(
  policy: PolicyDocument,
  options?: CanonicalizeOptions,
): PolicyDocument {
  return canonicalizeTraced(policy, options);
}
