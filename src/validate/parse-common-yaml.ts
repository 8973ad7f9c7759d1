import { LineCounter } from "yaml";
import type {
  SourceMap,
  SourceMapping,
  SourceNode,
  SourceScalar,
  SourceSequence,
} from "./source-map.js";

// A parser for the plain subset of YAML that policy files are written in — block mappings and
// sequences, one-line flow sequences and mappings, one-line plain and quoted scalars, comments,
// "\n" or "\r\n" line ends, printable Unicode — giving the same data and the same positions
// as the yaml package in about a fifth of the time (the yaml package builds a token stream, a
// CST, a document and then plain data for every file; on 10,000 files that was 60 % of
// `s3ap validate`).
//
// It never decides anything hard: whatever is outside the subset, or could be read two ways, or
// is an error, makes it return undefined, and the caller parses the file with the yaml package,
// which then also produces every error message. So a file is either read exactly as the yaml
// package reads it or not at all — test/validate/parse-common-yaml.test.ts compares the two on
// generated and mutated documents.

/** Thrown inside the parser to give the file to the yaml package. */
class Unsupported extends Error {}
// One instance, thrown as often as needed: building a new Error (its stack trace) for every
// handed-over file cost as much as parsing one.
const UNSUPPORTED = new Unsupported("outside the common YAML subset");

export interface CommonYaml {
  data: Record<string, unknown>;
  source: SourceMap;
}

/** Keys longer than this go to the yaml package, which refuses implicit keys over 1,024 chars. */
const MAX_KEY_LENGTH = 1000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BACKSLASH = 0x5c;
const CARRIAGE_RETURN = 0x0d;

/**
 * The file's data and source map when it is a block mapping in the common subset with no
 * error; undefined when the yaml package must read it.
 */
export function parseCommonYaml(text: string): CommonYaml | undefined {
  try {
    return new CommonYamlParser(text).parse();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

interface Parsed {
  node: SourceNode;
  value: unknown;
  /** The next content line after the node (lines.length at the end). */
  next: number;
}

/** A node that ends on its line, and the offset just past it. */
interface InlineNode {
  node: SourceNode;
  value: unknown;
  end: number;
}

interface InlineScalar {
  node: SourceScalar;
  value: string;
  end: number;
}

/** A key, and the offset just past its colon. */
interface Key {
  node: SourceScalar;
  text: string;
  end: number;
}

/** A mapping being read: its source node, its data, and duplicate-key detection. */
class MappingBuilder {
  readonly node: SourceMapping;
  readonly value: Record<string, unknown> = {};
  /** The keys as a set once the mapping is large (a linear search is faster below that). */
  private seen: Set<string> | undefined;

  constructor(start: number) {
    this.node = { kind: "map", start, keys: [], keyTexts: [], values: [] };
  }

  /** A duplicate key is an error, which the yaml package reports. */
  checkNew(name: string): void {
    const { keyTexts } = this.node;
    if (this.seen === undefined && keyTexts.length === 16)
      this.seen = new Set(keyTexts as string[]);
    if (this.seen === undefined ? keyTexts.includes(name) : this.seen.has(name)) {
      throw UNSUPPORTED;
    }
  }

  add(key: SourceScalar, name: string, entry: { node: SourceNode; value: unknown }): void {
    this.seen?.add(name);
    this.node.keys.push(key);
    this.node.keyTexts.push(name);
    this.node.values.push(entry.node);
    // As the yaml package's toJS does: an inherited name ("constructor") becomes an own property.
    if (name in this.value) {
      Object.defineProperty(this.value, name, {
        value: entry.value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      this.value[name] = entry.value;
    }
  }
}

class CommonYamlParser {
  private readonly text: string;
  /** The yaml package's own line index, so line and column are computed exactly as it does. */
  private readonly lineCounter = new LineCounter();
  private readonly lineStarts = this.lineCounter.lineStarts;
  /** Offset of each line's end: its "\n" (or the "\r" before it), or the text's length. */
  private readonly lineEnds: number[] = [];
  /** Indentation of each line; -1 for blank and comment-only lines. */
  private readonly indents: number[] = [];

  constructor(text: string) {
    this.text = text;
  }

  parse(): CommonYaml {
    this.lineCounter.addNewLine(0);
    this.scanLines();
    let first = 0;
    while (first < this.indents.length && this.indents[first] === -1) first++;
    first = this.nextContent(
      first < this.indents.length && this.isDocumentStart(first) ? first + 1 : first,
    );
    if (first >= this.indents.length) throw UNSUPPORTED;
    const indent = this.indents[first] as number;
    const start = (this.lineStarts[first] as number) + indent;
    const key = this.keyAt(first, start);
    if (key === undefined) throw UNSUPPORTED;
    const root = this.mapping(first, start, key);
    if (root.next < this.indents.length) throw UNSUPPORTED;
    return {
      data: root.value as Record<string, unknown>,
      source: { root: root.node, linePos: this.lineCounter.linePos },
    };
  }

  /** One pass over the text: line boundaries, indentation, and anything outside the subset. */
  private scanLines(): void {
    const text = this.text;
    let lineStart = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : NEWLINE;
      if (c === NEWLINE) {
        // A line ends at its "\n", or at the "\r" of a "\r\n".
        const end = i > lineStart && text.charCodeAt(i - 1) === CARRIAGE_RETURN ? i - 1 : i;
        this.lineEnds.push(end);
        this.indents.push(this.indentOf(lineStart, end));
        lineStart = i + 1;
        if (i < text.length) this.lineCounter.addNewLine(lineStart);
      } else if (
        !isPlainText(c) &&
        !(c === CARRIAGE_RETURN && text.charCodeAt(i + 1) === NEWLINE)
      ) {
        throw UNSUPPORTED;
      }
    }
  }

  private indentOf(start: number, end: number): number {
    const text = this.text;
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i === end || text.charCodeAt(i) === HASH) return -1;
    // A directive ("%YAML 1.2") belongs to the yaml package (document markers: nextContent).
    if (i === start && text.charCodeAt(i) === 0x25 /* % */) throw UNSUPPORTED;
    return i - start;
  }

  private isDocumentStart(line: number): boolean {
    const start = this.lineStarts[line] as number;
    if (!this.text.startsWith("---", start)) return false;
    this.expectLineEnd(start + 3, line);
    return true;
  }

  private nextContent(line: number): number {
    const indents = this.indents;
    while (line < indents.length && indents[line] === -1) line++;
    if (line < indents.length) {
      const start = this.lineStarts[line] as number;
      // A "---" or "..." anywhere but the first content line: another document, or its end.
      if (this.text.startsWith("---", start) || this.text.startsWith("...", start)) {
        const end = this.lineEnds[line] as number;
        const after = this.text.charCodeAt(start + 3);
        if (start + 3 === end || after === SPACE) throw UNSUPPORTED;
      }
    }
    return line;
  }

  /** A block node starting on `line` at its indentation: a mapping or a sequence. */
  private block(line: number): Parsed {
    const start = (this.lineStarts[line] as number) + (this.indents[line] as number);
    if (this.isSequenceEntry(line, start)) return this.sequence(line, start);
    const key = this.keyAt(line, start);
    if (key !== undefined) return this.mapping(line, start, key);
    throw UNSUPPORTED;
  }

  private isSequenceEntry(line: number, offset: number): boolean {
    if (this.text.charCodeAt(offset) !== DASH) return false;
    return offset + 1 === this.lineEnds[line] || this.text.charCodeAt(offset + 1) === SPACE;
  }

  /**
   * A block mapping whose first key (already read) is at `offset` on `line`; later keys at the
   * same column.
   */
  private mapping(line: number, offset: number, first: Key): Parsed {
    const column = offset - (this.lineStarts[line] as number);
    const mapping = new MappingBuilder(offset);
    let key = first;
    for (;;) {
      mapping.checkNew(key.text);
      const entry = this.mappingValue(line, key.end, column);
      mapping.add(key.node, key.text, entry);
      line = entry.next;
      const entryAt = this.nextEntryAt(line, column);
      if (entryAt === undefined) break;
      const next = this.keyAt(line, entryAt);
      if (next === undefined) throw UNSUPPORTED;
      key = next;
    }
    return { node: mapping.node, value: mapping.value, next: line };
  }

  /** The value after `key:` (offset `after` is just past the colon). */
  private mappingValue(line: number, after: number, column: number): Parsed {
    const at = this.skipSpaces(after);
    if (at === this.lineEnds[line] || this.text.charCodeAt(at) === HASH) {
      const next = this.nextContent(line + 1);
      if (next < this.indents.length) {
        const indent = this.indents[next] as number;
        if (indent > column) return this.block(next);
        const start = (this.lineStarts[next] as number) + indent;
        // A sequence at the key's own column is the key's value ("indentless" sequence).
        if (indent === column && this.isSequenceEntry(next, start))
          return this.sequence(next, start);
      }
      return { node: { kind: "scalar", start: at, source: "" }, value: null, next };
    }
    return this.inline(line, at);
  }

  /** A block sequence whose first "-" is at `offset` on `line`; later ones at the same column. */
  private sequence(line: number, offset: number): Parsed {
    const column = offset - (this.lineStarts[line] as number);
    const node: SourceSequence = { kind: "seq", start: offset, items: [] };
    const value: unknown[] = [];
    let at = offset;
    for (;;) {
      if (!this.isSequenceEntry(line, at)) throw UNSUPPORTED;
      const item = this.sequenceItem(line, at + 1, column);
      node.items.push(item.node);
      value.push(item.value);
      line = item.next;
      const entryAt = this.nextEntryAt(line, column);
      // Back at the column but no "-": the end of an indentless sequence (the caller checks).
      if (entryAt === undefined || !this.isSequenceEntry(line, entryAt)) break;
      at = entryAt;
    }
    return { node, value, next: line };
  }

  /**
   * Where the next entry of a block collection at `column` starts, `line` being the next content
   * line; undefined when the collection has ended there.
   */
  private nextEntryAt(line: number, column: number): number | undefined {
    if (line >= this.indents.length) return undefined;
    const indent = this.indents[line] as number;
    if (indent < column) return undefined;
    // Deeper than the entries: a continuation line, or an error (the yaml package's to report).
    if (indent > column) throw UNSUPPORTED;
    return (this.lineStarts[line] as number) + indent;
  }

  private sequenceItem(line: number, after: number, column: number): Parsed {
    const at = this.skipSpaces(after);
    const end = this.lineEnds[line] as number;
    if (at === end || this.text.charCodeAt(at) === HASH) {
      const next = this.nextContent(line + 1);
      if (next < this.indents.length && (this.indents[next] as number) > column) {
        return this.block(next);
      }
      return { node: { kind: "scalar", start: at, source: "" }, value: null, next };
    }
    // "- - x" (a sequence in a sequence item) is left to the yaml package.
    if (this.isSequenceEntry(line, at)) throw UNSUPPORTED;
    const key = this.keyAt(line, at);
    if (key !== undefined) return this.mapping(line, at, key);
    return this.inline(line, at);
  }

  /** A one-line value: a flow collection or a scalar, then nothing but a comment. */
  private inline(line: number, at: number): Parsed {
    const parsed = this.flowNode(line, at, false);
    this.expectLineEnd(parsed.end, line);
    return { node: parsed.node, value: parsed.value, next: this.nextContent(line + 1) };
  }

  /** Only spaces and a comment may follow on the line. */
  private expectLineEnd(offset: number, line: number): void {
    const end = this.lineEnds[line] as number;
    const at = this.skipSpaces(offset);
    if (at === end) return;
    if (this.text.charCodeAt(at) === HASH && at > offset) return;
    throw UNSUPPORTED;
  }

  /** A node that ends on its line: `[...]`, `{...}` or a scalar (inside a flow collection or not). */
  private flowNode(line: number, at: number, inFlow: boolean): InlineNode {
    const c = this.text.charCodeAt(at);
    if (c === OPEN_BRACKET) return this.flowSequence(line, at);
    if (c === OPEN_BRACE) return this.flowMapping(line, at);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) return this.quoted(line, at);
    return this.plain(line, at, inFlow);
  }

  /** `[a, "b", {c: d}]` on one line, no trailing comma. */
  private flowSequence(line: number, open: number): InlineNode {
    const node: SourceSequence = { kind: "seq", start: open, items: [] };
    const value: unknown[] = [];
    const end = this.flowEntries(line, open, CLOSE_BRACKET, (at) => {
      const item = this.flowNode(line, at, true);
      node.items.push(item.node);
      value.push(item.value);
      return item.end;
    });
    return { node, value, end };
  }

  /** `{a: 1, "b": [c]}` on one line: every key a string with a value, no trailing comma. */
  private flowMapping(line: number, open: number): InlineNode {
    const mapping = new MappingBuilder(open);
    const end = this.flowEntries(line, open, CLOSE_BRACE, (at) => {
      const key = this.flowKey(line, at);
      mapping.checkNew(key.text);
      const entry = this.flowNode(line, this.skipSpaces(key.end), true);
      mapping.add(key.node, key.text, entry);
      return entry.end;
    });
    return { node: mapping.node, value: mapping.value, end };
  }

  /**
   * The entries of a flow collection opened at `open`, each read by `entry` (which returns where
   * it ended), separated by commas; returns the offset after the closing bracket.
   */
  private flowEntries(
    line: number,
    open: number,
    close: number,
    entry: (at: number) => number,
  ): number {
    const text = this.text;
    const end = this.lineEnds[line] as number;
    let at = this.skipSpaces(open + 1);
    if (text.charCodeAt(at) === close) return at + 1;
    for (;;) {
      if (at >= end) throw UNSUPPORTED;
      at = this.skipSpaces(entry(at));
      const separator = text.charCodeAt(at);
      if (separator === close) return at + 1;
      if (separator !== COMMA) throw UNSUPPORTED;
      at = this.skipSpaces(at + 1);
      if (text.charCodeAt(at) === close) throw UNSUPPORTED;
    }
  }

  /** A key inside a flow mapping: a string scalar, then ": " (offset `end` is past the colon). */
  private flowKey(line: number, at: number): Key {
    const text = this.text;
    const c = text.charCodeAt(at);
    let key: Key;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const quoted = this.quoted(line, at);
      if (text.charCodeAt(quoted.end) !== COLON) throw UNSUPPORTED;
      key = this.quotedKey(quoted, at);
    } else {
      const end = this.lineEnds[line] as number;
      let colon = at;
      for (; colon < end; colon++) {
        const ch = text.charCodeAt(colon);
        if (ch === COLON && text.charCodeAt(colon + 1) === SPACE) break;
        if (ch === HASH || isFlowIndicator(ch)) throw UNSUPPORTED;
      }
      if (colon >= end) throw UNSUPPORTED;
      key = this.plainKey(at, colon, true);
    }
    if (text.charCodeAt(key.end) !== SPACE) throw UNSUPPORTED;
    return key;
  }

  /** A quoted scalar that ends on its line; double-quoted ones without escapes. */
  private quoted(line: number, at: number): InlineScalar {
    const text = this.text;
    const end = this.lineEnds[line] as number;
    const quote = text.charCodeAt(at);
    let content = "";
    let from = at + 1;
    for (let i = at + 1; ; i++) {
      if (i >= end) throw UNSUPPORTED;
      const c = text.charCodeAt(i);
      if (c === BACKSLASH && quote === DOUBLE_QUOTE) throw UNSUPPORTED;
      if (c !== quote) continue;
      if (quote === SINGLE_QUOTE && text.charCodeAt(i + 1) === SINGLE_QUOTE) {
        content += text.slice(from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      content += text.slice(from, i);
      const node: SourceScalar = { kind: "scalar", start: at, source: content };
      return { node, value: content, end: i + 1 };
    }
  }

  /**
   * A one-line plain scalar. In a flow collection it ends at ",", "]" or "}"; anything that could
   * start or end a structure inside it (": ", " #", "[" and "{" in flow) goes to the yaml package.
   */
  private plain(line: number, at: number, inFlow: boolean): InlineNode {
    const text = this.text;
    const end = this.lineEnds[line] as number;
    const first = text.charCodeAt(at);
    if (!startsPlain(first, at + 1 < end ? text.charCodeAt(at + 1) : NEWLINE, inFlow)) {
      throw UNSUPPORTED;
    }
    let i = at;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : NEWLINE;
        if (next === SPACE || next === NEWLINE || (inFlow && isFlowIndicator(next))) {
          throw UNSUPPORTED;
        }
      } else if (c === HASH) {
        if (text.charCodeAt(i - 1) === SPACE) break;
        if (inFlow) throw UNSUPPORTED;
      } else if (inFlow && (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE)) {
        break;
      } else if (inFlow && isFlowIndicator(c)) {
        throw UNSUPPORTED;
      }
    }
    let last = i;
    while (text.charCodeAt(last - 1) === SPACE) last--;
    const source = text.slice(at, last);
    const node: SourceScalar = { kind: "scalar", start: at, source };
    return { node, value: resolvePlain(source), end: last };
  }

  /**
   * The key starting at `offset` if the line holds `key:` there (a plain or quoted scalar that
   * resolves to a string, then ":" and a space or the line's end); undefined when it does not.
   */
  private keyAt(line: number, offset: number): Key | undefined {
    const text = this.text;
    const end = this.lineEnds[line] as number;
    const c = text.charCodeAt(offset);
    let key: Key | undefined;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const quoted = this.quoted(line, offset);
      if (text.charCodeAt(quoted.end) !== COLON) return undefined;
      key = this.quotedKey(quoted, offset);
    } else {
      let colon = -1;
      for (let i = offset; i < end; i++) {
        const ch = text.charCodeAt(i);
        if (ch === HASH && i > offset && text.charCodeAt(i - 1) === SPACE) return undefined;
        if (ch === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
          colon = i;
          break;
        }
      }
      if (colon < 0) return undefined;
      key = this.plainKey(offset, colon, false);
    }
    const after = key.end < end ? text.charCodeAt(key.end) : NEWLINE;
    if (after !== SPACE && after !== NEWLINE) throw UNSUPPORTED;
    return key;
  }

  private quotedKey(quoted: InlineScalar, offset: number): Key {
    if (quoted.end - offset > MAX_KEY_LENGTH) throw UNSUPPORTED;
    return { node: quoted.node, text: quoted.value, end: quoted.end + 1 };
  }

  /** The plain key between `offset` and the colon, when the yaml package reads it as a string. */
  private plainKey(offset: number, colon: number, inFlow: boolean): Key {
    const text = this.text;
    // "key :", over-long keys and keys that are not plain strings ("1:", "true:", "<<:") go to
    // the yaml package (it refuses implicit keys over 1,024 characters).
    if (colon === offset || text.charCodeAt(colon - 1) === SPACE) throw UNSUPPORTED;
    if (colon - offset > MAX_KEY_LENGTH) throw UNSUPPORTED;
    if (!startsPlain(text.charCodeAt(offset), text.charCodeAt(offset + 1), inFlow)) {
      throw UNSUPPORTED;
    }
    const source = text.slice(offset, colon);
    if (source === "<<" || typeof resolvePlain(source) !== "string") throw UNSUPPORTED;
    return { node: { kind: "scalar", start: offset, source }, text: source, end: colon + 1 };
  }

  private skipSpaces(offset: number): number {
    while (this.text.charCodeAt(offset) === SPACE) offset++;
    return offset;
  }
}

/**
 * Characters the subset reads as text: printable ASCII and printable Unicode. Tabs, lone CRs,
 * control characters, DEL and C1 controls, NEL, the line and paragraph separators, a byte order
 * mark and non-characters go to the yaml package.
 */
function isPlainText(c: number): boolean {
  if (c >= SPACE && c < 0x7f) return true;
  return c >= 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029 && c < 0xfffe;
}

function isFlowIndicator(c: number): boolean {
  return (
    c === COMMA ||
    c === OPEN_BRACKET ||
    c === CLOSE_BRACKET ||
    c === OPEN_BRACE ||
    c === CLOSE_BRACE
  );
}

/**
 * Whether a plain scalar may start with `c` (followed by `next`): not with an indicator
 * (`-?:,[]{}#&*!|>'"%@` and backquote), except "-" before a character that is not a space —
 * "-1", "-foo". "?" and ":" starts go to the yaml package.
 */
function startsPlain(c: number, next: number, inFlow: boolean): boolean {
  if (c === DASH) return next !== SPACE && next !== NEWLINE && !(inFlow && isFlowIndicator(next));
  return !"?:,[]{}#&*!|>'\"%@`".includes(String.fromCharCode(c));
}

// The YAML 1.2 core schema, as the yaml package resolves plain scalars (schema/core/*.js): the
// first tag whose test matches wins, in the order null, bool, int (octal, decimal, hex), float
// (nan/inf, exponent, decimal); anything else is a string.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** What the yaml package's core schema makes of a plain scalar. Exported for tests. */
export function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Most scalars start with a letter no tag can match: skip the regular expressions.
  const maybeTagged =
    source.length === 0 ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b /* + */ ||
    c === DASH ||
    c === 0x2e /* . */ ||
    c === 0x7e /* ~ */ ||
    "nNtTfF".includes(source[0] as string);
  if (!maybeTagged) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return c === 0x74 || c === 0x54;
  if (INT_OCT.test(source)) return Number.parseInt(source.substring(2), 8);
  if (INT.test(source)) return Number.parseInt(source, 10);
  if (INT_HEX.test(source)) return Number.parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) {
    if (source.slice(-3).toLowerCase() === "nan") return Number.NaN;
    return source[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return Number.parseFloat(source);
  return source;
}
