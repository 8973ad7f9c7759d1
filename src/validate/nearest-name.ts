// The valid name a misspelt one most probably meant, for "did you mean" hints.
import { distance } from "fastest-levenshtein";

const letters = (word: string): string => [...word].sort().join("");

/**
 * The candidate at the smallest edit distance (case-insensitive). Among equally near ones, the
 * one with the same letters wins: Levenshtein counts swapped neighbours (SourceVcp / SourceVpc)
 * as two edits, as far as some unrelated name (SourceIp).
 */
export function nearestName(
  word: string,
  candidates: readonly string[],
): { name: string; distance: number } | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; distance: number; anagram: boolean } | undefined;
  for (const name of candidates) {
    const candidate = name.toLowerCase();
    const d = distance(lower, candidate);
    const anagram = letters(candidate) === letters(lower);
    if (
      best === undefined ||
      d < best.distance ||
      (d === best.distance && anagram && !best.anagram)
    ) {
      best = { name, distance: d, anagram };
    }
  }
  return best === undefined ? undefined : { name: best.name, distance: best.distance };
}
