// Sizes in UTF-8 bytes, the unit of GitHub's job summary limit and s3ap's report budgets.
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
