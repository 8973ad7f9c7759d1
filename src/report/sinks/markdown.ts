// The Markdown sink (job summary, PR comment, drift issues, `--format markdown`): every text from
// outside goes through markdownText, markdownCode or markdownFence.
//
// Why our own code: no maintained package escapes for GitHub's renderer as a whole (CommonMark +
// GFM + @mentions, #references, emoji, math), and the rules are short. They are chosen to hold in
// every place a report puts text — a paragraph, a list item, a table cell, and the raw HTML of a
// `<summary>` line — so a caller cannot pick the wrong variant:
// - ASCII punctuation that means something is written as a numeric character reference
//   (`&#42;`). CommonMark decodes references in text and browsers decode them in HTML blocks,
//   but a reference never opens emphasis, a link, an image, a code span, raw HTML, a table cell,
//   math or an emoji shortcode. (A backslash escape would show in an HTML block, and a backtick
//   escape does nothing inside a code span.)
// - GitHub links @mentions and #123 / GH-123 references after rendering, in the text it shows
//   (decoded), outside code and links; a zero-width space (`&#8203;`) after `@`, `#` and `GH-`
//   breaks them, and also e-mail autolinks. `:` and the dot of `www.` break URL autolinks.
// - Controls and bidi overrides are shown as `\uXXXX` (terminal sink), so the text stays on one
//   line and cannot end a table row or a list item.
// Code is `<code>` around the same encoding instead of a backtick span: a span must be sized
// against backtick runs and still breaks a table on `|`, and shows its backticks in HTML blocks.
// Repository-configured autolinks (e.g. JIRA-123) cannot be known here and are left alone.
import { showControls } from "./terminal.js";

// Markdown, GFM, HTML and GitHub syntax characters anywhere in a line. Kept out, so names, paths
// and ARNs stay readable: - + = . / , ; ? ' ( ) { } % (harmless inside a line; a leading - + =
// or "1." is handled below) and " (text never goes into an HTML attribute).
const SYNTAX = /[\\`*_[\]<>&|~!#@:$]/g;

function reference(character: string): string {
  return `&#${character.charCodeAt(0)};`;
}

/**
 * Inline text from outside for a paragraph, list item, table cell or `<summary>`: shown exactly
 * as given (controls as `\uXXXX`), never interpreted, never a link, image, mention or reference.
 */
export function markdownText(text: string): string {
  return showControls(text)
    .replace(SYNTAX, reference)
    .replace(/(www)\./gi, "$1&#46;")
    .replace(/(&#64;|&#35;|GH-)(?=[\p{L}\p{N}_])/giu, "$1&#8203;")
    .replace(/^\s+/, (space) => [...space].map(reference).join(""))
    .replace(/^[-+=]/, reference)
    .replace(/^(\d+)([.)])/, (_, digits: string, mark: string) => `${digits}${reference(mark)}`);
}

/** Text from outside (a path, a name, an ARN) as inline code, safe in the same places. */
export function markdownCode(text: string): string {
  return `<code>${markdownText(text)}</code>`;
}

/**
 * A fenced code block of lines from outside (a policy diff, JSON): each line shows its controls,
 * so a line break inside a value cannot make a new line, and the fence is longer than any
 * backtick run inside, so nothing inside can close it.
 */
export function markdownFence(lines: readonly string[], info = ""): string {
  const shown = lines.map(showControls);
  const runs = shown.flatMap((line) => line.match(/`+/g) ?? []);
  const fence = "`".repeat(runs.reduce((longest, run) => Math.max(longest, run.length + 1), 3));
  return `${fence}${info}\n${shown.join("\n")}\n${fence}`;
}

/**
 * A link around `label` (Markdown this sink already made, e.g. markdownCode). The URL is parsed
 * and written back percent-encoded, and `(`, `)` and `<`, `>` too, so nothing in it (a file name
 * from a repository, say) can end the link or start HTML; only http(s) links are made, anything
 * else leaves the label alone.
 */
export function markdownLink(label: string, url: string | undefined): string {
  if (url === undefined) return label;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return label;
  const href = parsed.href.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[${label}](${href})`;
}
