// One copy of each short string that many policies repeat ("2012-10-17", "Allow", an action, a
// principal's ARN), kept by every desired access point and every answer read ahead.

/**
 * NOTE: the YAML reader builds a fresh string for every scalar, so 10,000 files held 10,000
 * copies of "2012-10-17", of "Allow", of each action and Sid: ~175 bytes of each desired policy's
 * ~520 (heap snapshot at the end of the check, plan of 10,000); JSON.parse shares only strings
 * of up to 10 characters, so each live policy read held its own principal ARNs. The table is
 * bounded in length and in entries, so a tree of unique values cannot grow it without end: once
 * full it only hands out what it already holds.
 */
const MAX_LENGTH = 128;
const MAX_ENTRIES = 4096;
const known = new Map<string, string>();

/** `text` itself, or an equal string seen before. */
export function sharedString(text: string): string {
  if (text.length > MAX_LENGTH) return text;
  const seen = known.get(text);
  if (seen !== undefined) return seen;
  if (known.size < MAX_ENTRIES) known.set(text, text);
  return text;
}
