// One shared, frozen empty list for the lists a plan holds per access point (a diff has about
// twenty, most of them empty: a plan of 10,000 changes held 200,000 empty arrays, ~8 MB).
// Nothing writes to a diff or a plan entry once it is made; the freeze makes sure of it.

export const EMPTY: never[] = Object.freeze([]) as unknown as never[];

/** The list itself, or the shared EMPTY when it has nothing in it. */
export function orEmpty<T>(list: T[]): T[] {
  return list.length === 0 ? EMPTY : list;
}
