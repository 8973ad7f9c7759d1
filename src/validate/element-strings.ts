// The strings of a policy element that IAM reads as a string or a list of them (Action,
// Resource, principal values), each with its index in the list for problem positions.

export interface ElementString {
  value: string;
  /** The position in the list; undefined when the element is one string. */
  index: number | undefined;
}

/** The strings of `v`; values of other types are the schema's to report, and skipped here. */
export function elementStrings(v: unknown): ElementString[] {
  if (typeof v === "string") return [{ value: v, index: undefined }];
  if (!Array.isArray(v)) return [];
  const strings: ElementString[] = [];
  for (let index = 0; index < v.length; index++) {
    const item: unknown = v[index];
    if (typeof item === "string") strings.push({ value: item, index });
  }
  return strings;
}
