// Sound (never over-claiming) containment and disjointness of IAM action and resource patterns.
//
// IAM matches Action and Resource values as globs: `*` any run of characters, `?` one
// character; Resource values may hold policy variables (`${aws:username}`, `${*}`) that take a
// value per request. Exact containment of two globs is decidable but costly and easy to get
// wrong; these checks answer "yes" only in cases that are plainly right and "no" otherwise,
// which is all the access verdict needs: a "no" only makes it more careful.

import { glob, matches } from "./glob-regions.js";

const WILDCARD = /[*?]|\$\{/;

/** The text before the first wildcard or policy variable: every match starts with it. */
function literalPrefix(pattern: string): string {
  const match = WILDCARD.exec(pattern);
  return match === null ? pattern : pattern.slice(0, match.index);
}

function isLiteral(pattern: string): boolean {
  return !WILDCARD.test(pattern);
}

/** Whether the glob `pattern` (no policy variables) matches the literal `text`. */
function globMatches(pattern: string, text: string): boolean {
  return matches(glob(pattern), text);
}

/**
 * Whether every value `inner` can match is matched by `outer` (both already in one letter case
 * when matching ignores case). Claimed only for: equal patterns; `outer` a bare `*`; `outer` a
 * literal prefix followed by one `*` that `inner`'s literal prefix starts with; a literal
 * `inner` that the glob `outer` matches.
 */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === inner || outer === "*") return true;
  if (outer.includes("${")) return false;
  const star = outer.indexOf("*");
  if (star === outer.length - 1 && !outer.includes("?")) {
    const prefix = outer.slice(0, -1);
    if (literalPrefix(inner).startsWith(prefix)) return true;
  }
  return isLiteral(inner) && globMatches(outer, inner);
}

/** Whether no value matches both patterns. Claimed only where it plainly holds. */
export function patternsDisjoint(a: string, b: string): boolean {
  if (a === b) return false;
  const aLiteral = isLiteral(a);
  const bLiteral = isLiteral(b);
  if (aLiteral && bLiteral) return true;
  if (aLiteral && !b.includes("${")) return !globMatches(b, a);
  if (bLiteral && !a.includes("${")) return !globMatches(a, b);
  // Every match of a pattern starts with its literal prefix: two prefixes that disagree before
  // either ends can never meet.
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  return !pa.startsWith(pb) && !pb.startsWith(pa);
}
