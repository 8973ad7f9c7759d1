// "1 problem", "2 problems": the one place s3ap puts a number before a noun (CLI and Action, every
// report, error and warning). A base module so that every folder can use it. `singular` and
// `plural` may carry the words that agree with the number ("access point is", "access points are").

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
