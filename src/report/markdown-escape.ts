/** Escapes text for a GitHub Markdown table cell or inline text: no HTML, no table breaks. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/`/g, "\\`")
    .replace(/\r?\n/g, " ");
}

/** Cuts a UTF-8 string to at most `maxBytes` bytes without splitting a character. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
