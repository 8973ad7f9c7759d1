import type { PolicyDocument } from "../model.js";
import { canonicalStatement } from "./canonical-statement.js";
import { compareStrings, isPlainObject, objectFrom, sortKeysDeep } from "./structural.js";
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
  statements.forEach((raw, index) => {
    const events: TraceEvents | undefined = trace === undefined ? undefined : [];
    const canonical = canonicalStatement(raw, { partition, events });
    const json = JSON.stringify(canonical);
    if (trace !== undefined && events !== undefined) {
      const scoped = trace.events.get(json) ?? new Map<string, string>();
      for (const [key, note] of events) scoped.set(key, note);
      if (seen.has(json)) scoped.set("duplicate-statement", "a duplicate statement is ignored");
      trace.events.set(json, scoped);
    }
    if (seen.has(json)) return;
    seen.add(json);
    trace?.statementOrder.push(json);
    entries.push({ raw, canonical, json, position: index + 1 });
  });
  return entries;
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
): unknown {
  if (version !== undefined && version !== "2008-10-17") return sortKeysDeep(version);
  const usesVariables = (JSON.stringify(statement) ?? "").includes("${");
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
  return usesVariables ? "2008-10-17" : "2012-10-17";
}

/** The canonical form, optionally recording every rewrite in `trace`. */
export function canonicalizeTraced(
  policy: unknown,
  options: CanonicalizeOptions | undefined,
  trace?: CanonicalTrace,
): PolicyDocument {
  // Not a document at all (a live policy is untrusted text): compare it structurally.
  if (!isPlainObject(policy)) return sortKeysDeep(policy) as PolicyDocument;
  const partition = options?.partition ?? "aws";
  const events = documentEvents(trace);
  const entries: Array<[string, unknown]> = [];
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
        entries.push([key, sortKeysDeep(value)]);
        continue;
      }
      if (!Array.isArray(value)) {
        events?.set(
          "statement-object",
          "a single statement object is the same as a one-element Statement array",
        );
      }
      const canonical = statementEntries(list, partition, trace)
        .sort((a, b) => compareStrings(a.json, b.json))
        .map((entry) => entry.canonical);
      entries.push([key, canonical]);
      continue;
    }
    entries.push([key, sortKeysDeep(value)]);
  }
  entries.push(["Version", canonicalVersion(policy.Version, policy.Statement, events)]);
  entries.sort(([a], [b]) => compareStrings(a, b));
  return objectFrom(entries);
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
