// The `--only GLOB` matcher. Our own, on purpose: picomatch (like every glob package we found)
// compiles to a backtracking RegExp, and `--only '*?*?*?*?*?*?*?*?*?*?*!'` took 21 s on one
// access point. This one steps a set of pattern positions through the text once (a Thompson
// NFA): time is at most pattern length × text length, whatever the pattern.
//
// Syntax: `*` any run of characters but `/`; `**` any run including `/` (`a/**/b` also matches
// `a/b`); `?` one character but `/`; `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` one character of /
// not of a set; `{x,y}` either (expanded, at most MAX_ALTERNATIVES patterns); `\` escapes the
// next character; a leading `!` matches what the rest does not. Dots are not special.
import { InputError } from "../errors.js";
import type { AccessPointRef } from "../model.js";
import { accessPointArn, accessPointKey } from "./arn.js";

const MAX_PATTERN_LENGTH = 1024;
const MAX_ALTERNATIVES = 256;

type Token =
  | { kind: "char"; char: string }
  | { kind: "one" }
  | { kind: "star" }
  | { kind: "globstar" }
  | { kind: "class"; negated: boolean; ranges: Array<[string, string]> };

/** Compiles `--only`'s pattern; throws InputError (naming `flag`) for one it cannot take. */
export function compileOnly(pattern: string, flag = "--only"): (text: string) => boolean {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new InputError(
      `${flag} is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
  }
  const negated = pattern.startsWith("!");
  const body = negated ? pattern.slice(1) : pattern;
  const alternatives = expandBraces(body, flag).map((alternative) => tokenize(alternative, flag));
  return (text) => alternatives.some((tokens) => matches(tokens, text)) !== negated;
}

/** `{a,b}c` → `ac`, `bc` (nested and repeated groups too); a `{` with no `,` inside is literal. */
function expandBraces(pattern: string, flag: string): string[] {
  const group = findGroup(pattern);
  if (group === null) return [pattern];
  const head = pattern.slice(0, group.start);
  const tail = pattern.slice(group.end + 1);
  const results: string[] = [];
  for (const option of group.options) {
    for (const expanded of expandBraces(`${head}${option}${tail}`, flag)) {
      results.push(expanded);
      if (results.length > MAX_ALTERNATIVES) {
        throw new InputError(
          `${flag} expands to more than ${MAX_ALTERNATIVES} patterns; use fewer {a,b} groups`,
        );
      }
    }
  }
  return results;
}

/** The first top-level `{…,…}` group: its bounds and its comma-separated options. */
function findGroup(pattern: string): { start: number; end: number; options: string[] } | null {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === "\\") {
      start++;
      continue;
    }
    if (pattern[start] !== "{") continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === "\\") i++;
      else if (c === "{") depth++;
      else if (c === "," && depth === 1) commas.push(i);
      else if (c === "}" && --depth === 0) {
        if (commas.length === 0) break;
        const bounds = [start, ...commas, i];
        const options = bounds.slice(1).map((end, k) => pattern.slice((bounds[k] ?? 0) + 1, end));
        return { start, end: i, options };
      }
    }
  }
  return null;
}

function tokenize(pattern: string, flag: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) {
        throw new InputError(
          `${flag} ends with a lone "\\", which escapes nothing: remove it, or write "\\\\" to match a backslash`,
        );
      }
      tokens.push({ kind: "char", char: next });
      i++;
    } else if (c === "*") {
      let j = i;
      while (pattern[j + 1] === "*") j++;
      const star: Token = j > i ? { kind: "globstar" } : { kind: "star" };
      // Consecutive stars are one star; keeping them would only add states.
      if (tokens.at(-1)?.kind !== star.kind) tokens.push(star);
      i = j;
    } else if (c === "?") {
      tokens.push({ kind: "one" });
    } else if (c === "[") {
      const parsed = parseClass(pattern, i);
      if (parsed === null) tokens.push({ kind: "char", char: c });
      else {
        tokens.push(parsed.token);
        i = parsed.end;
      }
    } else {
      tokens.push({ kind: "char", char: c });
    }
  }
  return tokens;
}

function parseClass(pattern: string, open: number): { token: Token; end: number } | null {
  let i = open + 1;
  const negated = pattern[i] === "!" || pattern[i] === "^";
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < pattern.length; i++) {
    let c = pattern[i] as string;
    if (c === "]" && !first) return { token: { kind: "class", negated, ranges }, end: i };
    first = false;
    if (c === "\\" && i + 1 < pattern.length) c = pattern[++i] as string;
    if (pattern[i + 1] === "-" && pattern[i + 2] !== undefined && pattern[i + 2] !== "]") {
      ranges.push([c, pattern[i + 2] as string]);
      i += 2;
    } else {
      ranges.push([c, c]);
    }
  }
  return null;
}

function consumes(token: Token, c: string): boolean {
  switch (token.kind) {
    case "char":
      return token.char === c;
    case "one":
    case "star":
      return c !== "/";
    case "globstar":
      return true;
    case "class":
      return c !== "/" && token.ranges.some(([lo, hi]) => lo <= c && c <= hi) !== token.negated;
  }
}

/** Positions reachable from `states` without consuming: past any star, and past `**` + `/`. */
function close(tokens: Token[], states: Set<number>): Set<number> {
  const stack = [...states];
  const add = (position: number) => {
    if (!states.has(position)) {
      states.add(position);
      stack.push(position);
    }
  };
  for (let position = stack.pop(); position !== undefined; position = stack.pop()) {
    const token = tokens[position];
    if (token?.kind === "star" || token?.kind === "globstar") add(position + 1);
    // `a/**/b` matches `a/b`: the globstar and the slash after it may both be skipped.
    const next = tokens[position + 1];
    if (token?.kind === "globstar" && next?.kind === "char" && next.char === "/") {
      add(position + 2);
    }
  }
  return states;
}

function matches(tokens: Token[], text: string): boolean {
  let states = close(tokens, new Set([0]));
  for (const c of text) {
    const next = new Set<number>();
    for (const position of states) {
      const token = tokens[position];
      if (token === undefined || !consumes(token, c)) continue;
      // A star stays where it is after consuming; everything else moves on.
      next.add(token.kind === "star" || token.kind === "globstar" ? position : position + 1);
    }
    if (next.size === 0) return false;
    states = close(tokens, next);
  }
  return states.has(tokens.length);
}

/** What an access point is matched by: its name, file, account/region/name label and ARN. */
export interface GlobTarget extends AccessPointRef {
  arn: string;
  /** The declaring file, for access points that have one. */
  file?: string;
}

/**
 * An access point glob (`--only`, an exception's `accessPoints`): true when the name, the file
 * path, the label (account/region/[outpost/]name, as reports print it, so it can be pasted back)
 * or the ARN matches.
 */
export function compileAccessPointGlob(
  pattern: string,
  flag = "--only",
): (target: GlobTarget) => boolean {
  const isMatch = compileOnly(pattern, flag);
  return (target) =>
    isMatch(target.name) ||
    (target.file !== undefined && isMatch(target.file)) ||
    isMatch(accessPointKey(target)) ||
    isMatch(target.arn);
}

/**
 * `--only` repeated or a list: any of the patterns selects; none selects everything. An access
 * point without a known ARN (one an import listed) is matched by the ARN its reference gives.
 */
export function compileSelection(
  patterns: readonly string[] | undefined,
  flag = "--only",
): (target: AccessPointRef & { arn?: string; file?: string }) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  const globs = patterns.map((pattern) => compileAccessPointGlob(pattern, flag));
  return (target) => {
    const withArn = { ...target, arn: target.arn ?? accessPointArn(target) };
    return globs.some((glob) => glob(withArn));
  };
}
