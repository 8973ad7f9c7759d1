// The one parser of numeric options, for CLI flags and action inputs alike: a bad value is an
// InputError that names the option the way the user wrote it ("--rate", "input rate").
import { InputError } from "../errors.js";

/** Whole numbers from `min` up (to `max`), or any decimal number above `greaterThan`. */
export type NumberRule =
  | { whole: true; min: number; max?: number }
  | { whole: false; greaterThan: number };

// Plain decimal notation only: Number() would also take "", "0x10" and "1e3".
const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

export function parseNumber(value: string, label: string, rule: NumberRule): number {
  const text = value.trim();
  if (rule.whole) {
    const n = Number(text);
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (!WHOLE.test(text) || !Number.isSafeInteger(n) || n < rule.min || n > max) {
      const range =
        rule.max !== undefined ? `from ${rule.min} to ${rule.max}` : `of at least ${rule.min}`;
      throw new InputError(`${label} takes a whole number ${range}, not "${value}".`);
    }
    return n;
  }
  const n = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(n) || n <= rule.greaterThan) {
    throw new InputError(
      `${label} takes a number greater than ${rule.greaterThan}, not "${value}".`,
    );
  }
  return n;
}
