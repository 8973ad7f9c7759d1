// The terminal sink: every text from outside reaches a terminal or a CI log through terminalText.
//
// Why our own code: the job is a dozen lines and must also make CI-log command starts inert (see
// below), which no terminal-sanitising package does. Controls are shown, not dropped, so a
// reader sees that a name or message carried them.

/**
 * Characters that must never reach a terminal as themselves, shown as `\uXXXX`:
 * C0 controls (ESC starts CSI/OSC sequences, CR/LF forge lines), DEL, C1 controls (U+009B is
 * a one-byte CSI, U+0085 a line break), the Arabic letter mark, zero-width and direction marks,
 * line/paragraph separators, bidi embeddings/overrides/isolates ("Trojan Source"), invisible
 * operators and the byte order mark.
 */
export const UNSAFE_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Every unsafe character as a visible `\uXXXX`: the text stays on one line and inert. */
export function showControls(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, unicodeEscape);
}

/**
 * A text from outside (path, YAML key or value, live policy text, AWS or GitHub message) for a
 * terminal or a CI log: one line, no escape sequences, no bidi reordering, and unable to start a
 * GitHub workflow command. NOTE: the Actions runner reads any line that starts with `::` after
 * leading whitespace as a command (`::add-mask::`, `::stop-commands::`, `::error`), and any line
 * that contains `##[` anywhere as a legacy command. With newlines shown as `\u000a`, an outside
 * text can start a line only where our own text puts it first; so a leading `:` (after
 * whitespace) and the `[` of every `##[` are shown as `\u003a` and `\u005b`.
 */
export function terminalText(text: string): string {
  return showControls(text)
    .replace(/^(\s*):/u, (_, space: string) => `${space}\\u003a`)
    .replace(/##\[/g, "##\\u005b");
}
