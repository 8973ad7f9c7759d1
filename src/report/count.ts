// "1 problem", "2 problems": the one place reports put a number before a noun.

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
