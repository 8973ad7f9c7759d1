// Where a value of a parsed YAML document was written, found only when a problem needs it:
// the document's nodes are kept, a data path is followed through them, and the offset is
// turned into a line and column from the text (no source map is built for files without problems).
import { isMap, isScalar, isSeq, type Node } from "yaml";
import type { SourcePosition } from "../model.js";

/** A path into the data: mapping keys and sequence indexes. */
export type DataPath = readonly (string | number)[];

export class YamlSource {
  readonly #text: string;
  readonly #contents: unknown;
  /** Offsets where lines start, built on the first position asked for. */
  #lineStarts: number[] | undefined;
  #asked = false;

  constructor(text: string, contents: unknown) {
    this.#text = text;
    this.#contents = contents;
  }

  /** 1-based line and column of an offset (columns count UTF-16 code units, as yaml's do). */
  at(offset: number): SourcePosition {
    if (this.#lineStarts === undefined && !this.#asked) {
      // Most files need one position (where `policy:` starts): count up to it, build nothing.
      this.#asked = true;
      let line = 1;
      let start = 0;
      for (
        let i = this.#text.indexOf("\n");
        i >= 0 && i < offset;
        i = this.#text.indexOf("\n", i + 1)
      ) {
        line++;
        start = i + 1;
      }
      return { line, col: offset - start + 1 };
    }
    if (this.#lineStarts === undefined) {
      const starts = [0];
      for (let i = this.#text.indexOf("\n"); i >= 0; i = this.#text.indexOf("\n", i + 1)) {
        starts.push(i + 1);
      }
      this.#lineStarts = starts;
    }
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - (starts[low] as number) + 1 };
  }

  /**
   * Where a data path was written. A path that does not exist (a missing required key) resolves
   * to the deepest node that does, i.e. the parent mapping; `at: "key"` points at the last
   * mapping key of the path instead of its value.
   */
  positionOf(path: DataPath, at?: "key"): SourcePosition {
    const { node, key } = this.#follow(path);
    const target = at === "key" && key !== undefined ? key : node;
    return this.at(offsetOf(target));
  }

  /** The text a scalar was written as (for "quote it" hints), if the path ends at a scalar. */
  sourceTextOf(path: DataPath): string | undefined {
    const { node, complete } = this.#follow(path);
    return complete && isScalar(node) && typeof node.source === "string" ? node.source : undefined;
  }

  #follow(path: DataPath): { node: unknown; key: unknown; complete: boolean } {
    let node = this.#contents;
    let key: unknown;
    for (const segment of path) {
      if (isMap(node)) {
        const name = String(segment);
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
        if (pair === undefined) return { node, key, complete: false };
        key = pair.key;
        // `key:` with no value node: fall back to the key.
        node = pair.value ?? pair.key;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined || item === null) return { node, key, complete: false };
        key = undefined;
        node = item;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }
}

function offsetOf(node: unknown): number {
  return (node as Node | null | undefined)?.range?.[0] ?? 0;
}
