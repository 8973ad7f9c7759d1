// The JSON sink: every JSON document s3ap writes (plan, results, validate reports) is made here.
//
// JSON.stringify already escapes C0 controls and lone surrogates; this also writes DEL, C1
// controls, U+2028/U+2029 (line breaks to JavaScript and many log viewers) and the bidi and
// zero-width characters of the terminal sink as \u escapes. The data is unchanged (a parser reads
// the same string back); only its text is safe to print, log or embed.
import { unicodeEscape } from "./terminal.js";

// The terminal sink's unsafe characters less C0, which JSON.stringify escapes inside strings and
// which outside strings are the document's own line breaks.
const UNSAFE_IN_JSON =
  /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `value` as JSON text (2-space indent by default) with a trailing newline. */
export function jsonDocument(value: unknown, indent = 2): string {
  // Outside strings JSON text is ASCII, so escaping every match is escaping inside strings.
  return `${JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, unicodeEscape)}\n`;
}

/**
 * A list that `jsonChunks` writes item by item, each item made (`toJson`) only when its turn
 * comes: a plan's 10,000 changes are never all whole at once, nor one string.
 */
export class JsonList<T> {
  constructor(
    readonly items: Iterable<T>,
    readonly toJson: (item: T) => unknown,
  ) {}
}

/** A JSON document in pieces, in order (`jsonChunks`); made once, read once. */
export type JsonChunks = Generator<string, void, undefined>;

/** Pieces of about this many characters: few writes, none of them large. */
const CHUNK_CHARACTERS = 64 * 1024;

/**
 * `fields` as jsonDocument writes it (2-space indent, trailing newline), byte for byte, in
 * pieces: each field a value of its own, a JsonList's items one by one. Only the top-level
 * object is taken apart; a JsonList deeper down is not looked into.
 */
export function* jsonChunks(fields: Readonly<Record<string, unknown>>): JsonChunks {
  let buffered = "";
  let first = true;
  // JSON text holds no raw line break inside a string, so indenting its lines nests it.
  const nested = (value: unknown, depth: string): string | undefined =>
    JSON.stringify(value, null, 2)?.replaceAll("\n", `\n${depth}`);
  for (const [key, value] of Object.entries(fields)) {
    const head = `${first ? "{\n" : ",\n"}  ${JSON.stringify(key)}: `;
    if (value instanceof JsonList) {
      buffered += `${head}[`;
      let empty = true;
      for (const item of value.items as Iterable<unknown>) {
        // As JSON.stringify writes what has no JSON form in a list.
        buffered += `${empty ? "\n" : ",\n"}    ${nested(value.toJson(item), "    ") ?? "null"}`;
        empty = false;
        if (buffered.length >= CHUNK_CHARACTERS) {
          yield buffered.replace(UNSAFE_IN_JSON, unicodeEscape);
          buffered = "";
        }
      }
      buffered += empty ? "]" : "\n  ]";
    } else {
      // As JSON.stringify leaves out a field that has no JSON form (undefined, a function).
      const text = nested(value, "  ");
      if (text === undefined) continue;
      buffered += head + text;
    }
    first = false;
  }
  buffered += first ? "{}\n" : "\n}\n";
  yield buffered.replace(UNSAFE_IN_JSON, unicodeEscape);
}

/** The whole of a chunked document as one string (tests, small documents). */
export function joinChunks(chunks: JsonChunks): string {
  let text = "";
  for (const chunk of chunks) text += chunk;
  return text;
}
