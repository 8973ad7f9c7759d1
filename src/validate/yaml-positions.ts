import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";
import type { SourcePosition } from "../model.js";
import type { DataPath } from "./finding.js";

/**
 * Finds where a data path sits in the YAML tree. A path that does not exist (a missing required
 * key) resolves to the deepest node that does, i.e. the parent mapping.
 */
export function positionOf(
  root: Node | null,
  lineCounter: LineCounter,
  path: DataPath,
  at?: "key",
): SourcePosition {
  let node: Node | null = root;
  let keyNode: Node | null = null;
  for (const segment of path) {
    const pair = childPair(node, segment);
    if (pair === undefined) break;
    if (pair.kind === "map") {
      keyNode = pair.key;
      // `key:` with no value has a null value node: fall back to the key.
      node = pair.value ?? pair.key;
    } else {
      keyNode = null;
      node = pair.value;
    }
  }
  const target = at === "key" && keyNode !== null ? keyNode : node;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

type Child = { kind: "map"; key: Node; value: Node | null } | { kind: "seq"; value: Node };

function childPair(node: Node | null, segment: string | number): Child | undefined {
  if (isMap(node)) {
    const pair = (node.items as Pair<unknown, unknown>[]).find(
      (p) => isScalar(p.key) && String(p.key.value) === String(segment),
    );
    if (pair === undefined || !isScalar(pair.key)) return undefined;
    return { kind: "map", key: pair.key, value: asNode(pair.value) };
  }
  if (isSeq(node)) {
    const item = asNode(node.items[Number(segment)]);
    return item === null ? undefined : { kind: "seq", value: item };
  }
  return undefined;
}

function asNode(value: unknown): Node | null {
  return value !== null && typeof value === "object" && "range" in value ? (value as Node) : null;
}

/** The text a scalar was written as (for "quote it" hints), if the path ends at a scalar. */
export function sourceTextOf(root: Node | null, path: DataPath): string | undefined {
  let node: Node | null = root;
  for (const segment of path) {
    const child = childPair(node, segment);
    if (child === undefined) return undefined;
    node = child.value;
  }
  return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
}
