// A problem found while checking one file, located by a path into the parsed YAML rather than a
// line and column: the YAML positions are attached in one place (untrusted/yaml-source.ts).

import type { Severity } from "../model.js";
import type { DataPath } from "../untrusted/yaml-source.js";

export type { DataPath };

export interface Finding {
  path: DataPath;
  /** Point at the key of the last path segment instead of its value (unknown keys). */
  at?: "key";
  /** Default: error. */
  severity?: Severity;
  rule: string;
  message: string;
}

/** A short description of a value for messages: `"abc"`, `the number 12`, `a list`, ... */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (Array.isArray(value)) return "a list";
  return "a mapping";
}
