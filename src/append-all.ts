// Appends a list to another without spreading it into a call. `push(...items)` passes every item
// as an argument, and V8 throws a RangeError past about 100,000 of them (a 12 MB live policy's
// diff did), so no code in src/ spreads an array into a call (test/no-spread-arguments.test.ts).
// A base module so that every folder can use it.

/** Appends every item of `items` to `target`, in order; returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
