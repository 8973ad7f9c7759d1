// Cuts a Markdown list or table at a byte budget, at a line boundary, and says what was cut.
import { count } from "../count.js";
import { byteLength } from "./byte-length.js";

/**
 * Keeps whole lines of `markdown` while they fit in `maxBytes`, then says how many lines were
 * cut and where the rest is. Used for sections that are lists or tables.
 */
export function cutLines(markdown: string, maxBytes: number, whereTheRestIs: string): string {
  if (byteLength(markdown) <= maxBytes) return markdown;
  const lines = markdown.split("\n");
  const reserve = 300 + byteLength(whereTheRestIs);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = byteLength(line) + 1;
    if (used + size > maxBytes - reserve) break;
    kept.push(line);
    used += size;
  }
  const cut = lines.length - kept.length;
  return `${kept.join("\n")}\n\n> ⚠️ ${count(cut, "line was", "lines were")} cut to stay under ${maxBytes} bytes. ${whereTheRestIs}\n`;
}
