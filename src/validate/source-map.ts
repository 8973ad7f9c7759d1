import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";
import type { SourcePosition } from "../model.js";
import type { DataPath } from "./finding.js";

// Where every value of a parsed file was written. Both parsers (the common-subset parser and the
// yaml package) produce this one shape, so there is one position lookup and the two cannot drift
// apart in how they point at a problem. Offsets follow the yaml package's node ranges exactly.

export type SourceNode = SourceMapping | SourceSequence | SourceScalar;

export interface SourceMapping {
  kind: "map";
  start: number;
  /** Scalar keys as `String(key)`; a non-scalar key is null (never matched by a path). */
  keys: (SourceScalar | null)[];
  keyTexts: (string | null)[];
  /** null when the pair has no value node (`? key` with no `:`). */
  values: (SourceNode | null)[];
}

export interface SourceSequence {
  kind: "seq";
  start: number;
  items: (SourceNode | null)[];
}

export interface SourceScalar {
  kind: "scalar";
  start: number;
  /** The scalar as written: plain text, or the content of a quoted scalar. */
  source: string | undefined;
}

export interface SourceMap {
  root: SourceNode | null;
  /** 1-based line and column of an offset, like yaml's LineCounter. */
  linePos(offset: number): SourcePosition;
}

/**
 * Finds where a data path sits. A path that does not exist (a missing required key) resolves to
 * the deepest node that does, i.e. the parent mapping.
 */
export function positionOf(map: SourceMap, path: DataPath, at?: "key"): SourcePosition {
  let node: SourceNode | null = map.root;
  let keyNode: SourceNode | null = null;
  for (const segment of path) {
    if (node?.kind === "map") {
      const index = node.keyTexts.indexOf(String(segment));
      if (index < 0) break;
      keyNode = node.keys[index] as SourceScalar;
      // `key:` with no value node: fall back to the key.
      node = node.values[index] ?? keyNode;
    } else if (node?.kind === "seq") {
      const item = node.items[Number(segment)];
      if (item === undefined || item === null) break;
      keyNode = null;
      node = item;
    } else {
      break;
    }
  }
  const target = at === "key" && keyNode !== null ? keyNode : node;
  const { line, col } = map.linePos(target?.start ?? 0);
  return { line, col };
}

/** The text a scalar was written as (for "quote it" hints), if the path ends at a scalar. */
export function sourceTextOf(map: SourceMap, path: DataPath): string | undefined {
  let node: SourceNode | null = map.root;
  for (const segment of path) {
    if (node?.kind === "map") {
      const index = node.keyTexts.indexOf(String(segment));
      if (index < 0) return undefined;
      node = node.values[index] ?? null;
    } else if (node?.kind === "seq") {
      node = node.items[Number(segment)] ?? null;
    } else {
      return undefined;
    }
  }
  return node?.kind === "scalar" ? node.source : undefined;
}

/** The source map of a document parsed by the yaml package. */
export function yamlSourceMap(contents: unknown, lineCounter: LineCounter): SourceMap {
  return { root: fromYamlNode(contents), linePos: lineCounter.linePos };
}

function fromYamlNode(value: unknown): SourceNode | null {
  if (isMap(value)) {
    const node: SourceMapping = {
      kind: "map",
      start: value.range?.[0] ?? 0,
      keys: [],
      keyTexts: [],
      values: [],
    };
    for (const pair of value.items as Pair<unknown, unknown>[]) {
      const key = isScalar(pair.key) ? (fromYamlNode(pair.key) as SourceScalar) : null;
      node.keys.push(key);
      node.keyTexts.push(isScalar(pair.key) ? String(pair.key.value) : null);
      node.values.push(fromYamlNode(pair.value));
    }
    return node;
  }
  if (isSeq(value)) {
    return { kind: "seq", start: value.range?.[0] ?? 0, items: value.items.map(fromYamlNode) };
  }
  if (isScalar(value)) {
    const source = typeof value.source === "string" ? value.source : undefined;
    return { kind: "scalar", start: value.range?.[0] ?? 0, source };
  }
  // An alias, a flow pair inside a sequence, or no node at all: nothing to point at.
  return value !== null && typeof value === "object" && "range" in value
    ? { kind: "scalar", start: (value as Node).range?.[0] ?? 0, source: undefined }
    : null;
}
