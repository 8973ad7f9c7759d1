// One sample string for every way a set of IAM patterns can match together ("regions"): the
// exact request space the access verdict searches for resources, condition values and principal
// ARNs. Own code, because no package answers this question: IAM's globs (`*`, `?`, letter case
// folded or not, ARN components) are read as small automata and their product is explored
// breadth first, one input character at a time; a character that no pattern names at a step
// behaves like any other such character, so one stands for all of them. The search is exact when
// it ends; it stops at a bound for hostile input and then says it is incomplete.

/** One step of a pattern. */
export type Token =
  /** This character (`fold`: in either letter case). */
  | { kind: "char"; char: string; fold: boolean }
  /** Any one character (`?`). */
  | { kind: "one" }
  /** Any run of characters, none of them `stop` (`*`; ARN components stop at `:`). */
  | { kind: "any"; stop: string | undefined };

export type Pattern = readonly Token[];

const ANY: Token = { kind: "any", stop: undefined };
const ONE: Token = { kind: "one" };
const ANY_BUT_COLON: Token = { kind: "any", stop: ":" };

/**
 * One token per character and letter-case rule, shared by every pattern: a pattern is then an
 * array of references, not a fresh object per character. Tokens are never changed once made, and
 * nothing compares them by identity. NOTE: 10,000 access points' resource ARNs filled the pattern
 * cache below with ~30 MB of per-character objects during a plan; shared, it holds ~3 MB.
 */
const chars = new Map<string, Token>();
const folded = new Map<string, Token>();
function char(c: string, fold: boolean): Token {
  const table = fold ? folded : chars;
  let token = table.get(c);
  if (token === undefined) {
    token = Object.freeze({ kind: "char", char: c, fold });
    table.set(c, token);
  }
  return token;
}

const compiled = new Map<string, Pattern>();
// NOTE: most patterns are one access point's own (its ARN is in them), so a bigger cache keeps
// little that is asked for again; 10,000 entries held ~7 MB of both caches through a plan.
const MAX_CACHED = 2_000;

/** A pattern built once per text and kind (policies repeat the same few patterns). */
function cached(key: string, build: () => Pattern): Pattern {
  let pattern = compiled.get(key);
  if (pattern === undefined) {
    if (compiled.size >= MAX_CACHED) compiled.clear();
    pattern = build();
    compiled.set(key, pattern);
  }
  return pattern;
}

/** A literal text: every character stands for itself. */
export function literal(text: string, fold = false): Pattern {
  return cached(`${fold ? "L" : "l"}${text}`, () => Array.from(text, (c) => char(c, fold)));
}

/** An IAM glob: `*` any run, `?` one character, the rest literal. */
export function glob(text: string, fold = false): Pattern {
  return cached(`${fold ? "G" : "g"}${text}`, () =>
    Array.from(text, (c) => (c === "*" ? ANY : c === "?" ? ONE : char(c, fold))),
  );
}

/**
 * An ARN pattern as ArnLike/ArnEquals read it: "each of the six colon-delimited components of
 * the ARN is checked separately" (IAM User Guide, "Amazon Resource Name (ARN) condition
 * operators"), so a wildcard in one of the first five components does not reach past a colon.
 */
export function arnGlob(text: string): Pattern {
  return cached(`a${text}`, () => {
    let colons = 0;
    return Array.from(text, (c): Token => {
      if (c === ":") colons++;
      if (c === "*") return colons < 5 ? ANY_BUT_COLON : ANY;
      return c === "?" ? ONE : char(c, false);
    });
  });
}

/** Whether `pattern` matches `text`. */
export function matches(pattern: Pattern, text: string): boolean {
  if (pattern.every((t) => t.kind !== "any" || t.stop === undefined)) return greedy(pattern, text);
  let states = closure(pattern, [0]);
  for (const c of text) {
    states = step(pattern, states, c);
    if (states.length === 0) return false;
  }
  return states.includes(pattern.length);
}

/**
 * The usual glob match, backtracking only to the last `*` (linear in practice): right for
 * patterns whose wildcards may span any character.
 */
function greedy(pattern: Pattern, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = pattern[p];
    if (token !== undefined && token.kind !== "any" && accepts(token, text[t] as string)) {
      p++;
      t++;
    } else if (token?.kind === "any") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p]?.kind === "any") p++;
  return p === pattern.length;
}

/** Positions reachable without reading a character (an `any` may match nothing), ascending. */
function closure(pattern: Pattern, positions: readonly number[]): number[] {
  const out: number[] = [];
  let last = -1;
  for (const start of positions) {
    let p = start;
    // `positions` is ascending, so a position at or below `last` is already in.
    if (p <= last) continue;
    out.push(p);
    last = p;
    while (pattern[p]?.kind === "any") {
      out.push(++p);
      last = p;
    }
  }
  return out;
}

function accepts(token: Token, c: string): boolean {
  switch (token.kind) {
    case "char":
      return token.fold ? token.char.toLowerCase() === c.toLowerCase() : token.char === c;
    case "one":
      return true;
    case "any":
      return c !== token.stop;
  }
}

function step(pattern: Pattern, positions: readonly number[], c: string): number[] {
  const next: number[] = [];
  for (const p of positions) {
    const token = pattern[p];
    if (token === undefined || !accepts(token, c)) continue;
    const to = token.kind === "any" ? p : p + 1;
    // Ascending input gives ascending targets, but an `any` may stay where the previous
    // position moved to.
    if (next[next.length - 1] !== to) next.push(to);
  }
  return next.length === 0 ? next : closure(pattern, next);
}

/** A region: which patterns match `text` (in the order given) and a string they match so. */
export interface Region {
  matched: boolean[];
  text: string;
}

export interface Regions {
  regions: Region[];
  /** False when the bound stopped the search: some combination may be missing. */
  complete: boolean;
}

/** Characters tried in this order for "any character no pattern names". */
const FILLERS = "zqxjkvwyubgfpmhdcnlrtoaeis0123456789-_.~";
const MAX_STATES = 20_000;

const regionCache = new Map<string, Regions>();

/** The identity of a pattern, for caching regions. */
function patternKey(pattern: Pattern): string {
  let key = "";
  for (const t of pattern) {
    key +=
      t.kind === "char"
        ? t.fold
          ? `\u0001${t.char}`
          : t.char
        : t.kind === "one"
          ? "\u0002"
          : `\u0003${t.stop ?? ""}`;
  }
  return key;
}

/**
 * Every achievable combination of matches of `patterns` over the strings `constraint` matches
 * (all strings when omitted), with the shortest such string found first. Results are cached:
 * the verdict asks the same question at many points of its search.
 */
export function regionsOf(patterns: readonly Pattern[], constraint?: Pattern): Regions {
  const key = `${patterns.map(patternKey).join("\u0000")}\u0004${constraint === undefined ? "" : patternKey(constraint)}`;
  let regions = regionCache.get(key);
  if (regions === undefined) {
    if (regionCache.size >= MAX_CACHED) regionCache.clear();
    regions = search(patterns, constraint);
    regionCache.set(key, regions);
  }
  return regions;
}

/**
 * The regions, read past the literal text every pattern starts with (resource ARNs share a long
 * one): every string the constraint allows starts with it too, so the search starts after it.
 */
function search(patterns: readonly Pattern[], constraint: Pattern | undefined): Regions {
  const all = constraint === undefined ? patterns : [...patterns, constraint];
  let shared = 0;
  const first = all[0];
  if (first !== undefined && constraint !== undefined) {
    for (; shared < first.length; shared++) {
      const token = first[shared] as Token;
      if (token.kind !== "char" || token.fold) break;
      const same = (p: Pattern) => {
        const t = p[shared];
        return t !== undefined && t.kind === "char" && !t.fold && t.char === token.char;
      };
      if (!all.every(same)) break;
    }
  }
  if (shared === 0) return searchFrom(patterns, constraint);
  const head = (first as Pattern)
    .slice(0, shared)
    .map((t) => (t as { char: string }).char)
    .join("");
  const rest = searchFrom(
    patterns.map((p) => p.slice(shared)),
    (constraint as Pattern).slice(shared),
  );
  return {
    regions: rest.regions.map((r) => ({ matched: r.matched, text: head + r.text })),
    complete: rest.complete,
  };
}

function searchFrom(patterns: readonly Pattern[], constraint: Pattern | undefined): Regions {
  const all = constraint === undefined ? patterns : [...patterns, constraint];
  const named = new Set<string>();
  for (const pattern of all) {
    for (const token of pattern) {
      if (token.kind === "char") named.add(token.char.toLowerCase());
      else if (token.kind === "any" && token.stop !== undefined) named.add(token.stop);
    }
  }
  const filler = [...FILLERS].find((c) => !named.has(c)) ?? "\u00e6";
  type State = { sets: number[][]; text: string };
  const start: State = { sets: all.map((p) => closure(p, [0])), text: "" };
  const seen = new Set<string>();
  const found = new Map<string, Region>();
  const queue: State[] = [start];
  let complete = true;
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as State;
    const key = state.sets.map((s) => s.join(",")).join("|");
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > MAX_STATES) {
      complete = false;
      break;
    }
    const live = state.sets.slice(0, patterns.length);
    const bound = constraint === undefined ? undefined : (state.sets[patterns.length] as number[]);
    if (bound === undefined || bound.includes(constraint?.length ?? -1)) {
      record(found, live, patterns, state.text);
    }
    if (bound !== undefined && bound.length === 0) continue;
    if (live.every((s) => s.length === 0)) {
      // Only the constraint is left: any string it still accepts matches no pattern.
      if (bound !== undefined && constraint !== undefined) {
        record(found, live, patterns, state.text + completion(constraint, bound, filler));
      }
      continue;
    }
    for (const c of candidates(all, state.sets, filler)) {
      const sets = all.map((p, i) => step(p, state.sets[i] as number[], c));
      queue.push({ sets, text: state.text + c });
    }
  }
  return { regions: [...found.values()], complete };
}

function record(
  found: Map<string, Region>,
  live: readonly number[][],
  patterns: readonly Pattern[],
  text: string,
): void {
  const matched = live.map((s, i) => s.includes((patterns[i] as Pattern).length));
  const key = matched.map((m) => (m ? "1" : "0")).join("");
  if (!found.has(key)) found.set(key, { matched, text });
}

/** The characters worth reading next: those the live tokens name, and one stand-in for the rest. */
function candidates(all: readonly Pattern[], sets: readonly number[][], filler: string): string[] {
  const out = new Set<string>([filler]);
  all.forEach((pattern, i) => {
    for (const p of sets[i] as number[]) {
      const token = pattern[p];
      if (token?.kind === "char") {
        out.add(token.char);
        if (token.fold) {
          out.add(token.char.toLowerCase());
          out.add(token.char.toUpperCase());
        }
      } else if (token?.kind === "any" && token.stop !== undefined) out.add(token.stop);
    }
  });
  return [...out];
}

/** The shortest text that takes `pattern` from `positions` to its end. */
function completion(pattern: Pattern, positions: readonly number[], filler: string): string {
  // `positions` is ascending (closure and step keep it so).
  let p = positions[0] ?? pattern.length;
  let text = "";
  for (; p < pattern.length; p++) {
    const token = pattern[p] as Token;
    if (token.kind === "char") text += token.char;
    else if (token.kind === "one") text += filler;
  }
  return text;
}
