// Import's last check before a file is written: the policy the file declares, read back through
// the same validation as `s3ap validate`, must be the live policy exactly (same strings, numbers,
// booleans, arrays in the same order, the same keys in any order).
import { count } from "../count.js";

/** Where `declared` first differs from `live`, in words, or undefined when they are the same. */
export function firstDifference(
  declared: unknown,
  live: unknown,
  path = "policy",
): string | undefined {
  if (Array.isArray(declared) && Array.isArray(live)) {
    if (declared.length !== live.length) {
      return `${path} holds ${count(declared.length, "item")} where AWS returned ${live.length}`;
    }
    for (let index = 0; index < live.length; index++) {
      const found = firstDifference(declared[index], live[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isMapping(declared) && isMapping(live)) {
    for (const key of Object.keys(live)) {
      if (!Object.hasOwn(declared, key)) return `${path} lacks the key ${JSON.stringify(key)}`;
    }
    for (const key of Object.keys(declared)) {
      const at = `${path}.${JSON.stringify(key)}`;
      if (!Object.hasOwn(live, key)) return `${at} is not in the live policy`;
      const found = firstDifference(declared[key], live[key], at);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.is(declared, live)) return undefined;
  return `${path} reads ${shown(declared)} where AWS returned ${shown(live)}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isMapping(value)) return "a mapping";
  return JSON.stringify(value) ?? String(value);
}
