// Turns yaml's syntax error for an unquoted `${...}` at the start of a flow item into "quote it".
import type { OffsetProblem } from "../untrusted/read-yaml.js";

/**
 * In a flow sequence or mapping (`[${accessPointArn}, …]`), `{` after `$` opens a flow mapping,
 * so yaml reports "Missing , or :" (or an unexpected token) at that `{`. The fix is always the
 * same: quote the item. This rewrites such a problem to say so at the `$`, with the item as the
 * user should write it, and drops yaml's follow-on errors inside the same item.
 */
export function hintUnquotedVariables(problems: OffsetProblem[], text: string): OffsetProblem[] {
  const items: Array<{ start: number; end: number }> = [];
  const out: OffsetProblem[] = [];
  for (const problem of problems) {
    if (problem.rule !== "yaml-syntax") {
      out.push(problem);
      continue;
    }
    if (items.some((item) => problem.offset > item.start && problem.offset < item.end)) continue;
    const start = variableStart(text, problem.offset);
    if (start === undefined || !startsFlowItem(text, start)) {
      out.push(problem);
      continue;
    }
    const end = flowItemEnd(text, start);
    const item = text.slice(start, end).trimEnd();
    items.push({ start, end });
    out.push({
      offset: start,
      rule: "yaml-syntax",
      message: `YAML: in a [...] or {...} list, "\${" starts a mapping, not text; quote it: ${JSON.stringify(item)}`,
    });
  }
  return out;
}

/** The offset of the `$` of a `${` that the error points at (at the `$` or at its `{`). */
function variableStart(text: string, offset: number): number | undefined {
  if (text.startsWith("${", offset)) return offset;
  if (offset > 0 && text.startsWith("${", offset - 1)) return offset - 1;
  return undefined;
}

/** True when only blanks separate `start` from the `[`, `{`, `,` or `:` before it on its line. */
function startsFlowItem(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const c = text[i];
    if (c === " " || c === "\t") continue;
    return c === "[" || c === "{" || c === "," || c === ":";
  }
  return false;
}

/** Where the flow item that starts at `start` ends: the first `,` `]` `}` or newline outside `${...}`. */
function flowItemEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || c === "\r") return i;
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (c === "," || c === "]")) return i;
  }
  return text.length;
}
