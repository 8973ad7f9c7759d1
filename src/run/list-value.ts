// How one flag value or action input holds several items (`--account a,b`, `--only 'x,y'`, an
// input over several lines): split at commas and line breaks, but not inside a glob's `{…}` or
// `[…]` or after a `\`, so `--only '{a,b}-ap'` stays one pattern.

/** The items of `value`, trimmed, empty ones dropped. `spaces`: blanks separate items too. */
export function splitList(value: string, spaces: boolean): string[] {
  const items: string[] = [];
  let current = "";
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === "\\" && i + 1 < value.length) {
      current += c + value[i + 1];
      i++;
    } else if (c === "{" || c === "[") {
      depth++;
      current += c;
    } else if ((c === "}" || c === "]") && depth > 0) {
      depth--;
      current += c;
    } else if (c === "\n" || c === "\r" || (depth === 0 && c === ",") || (spaces && /\s/.test(c))) {
      items.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== "");
}
