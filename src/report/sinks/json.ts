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
