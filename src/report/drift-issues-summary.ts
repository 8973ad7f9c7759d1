// What the drift-issues step did, as one log line and as its job summary section.

/** Issue numbers by what happened to them (github/drift-issues.ts). */
export interface DriftIssuesDone {
  opened: number[];
  updated: number[];
  closed: number[];
  unchanged: number[];
  /** How the plan's drift is reported: an issue per access point, or per account. */
  per: "access point" | "account";
}

export type UnmanagedIssueDone =
  | { action: "opened" | "updated" | "unchanged" | "closed"; number: number }
  | { action: "none"; reason: string };

export function renderDriftIssuesSummary(
  report: DriftIssuesDone,
  unmanaged: UnmanagedIssueDone | undefined,
): { line: string; markdown: string } {
  const list = (numbers: number[]) =>
    numbers.length === 0 ? "none" : numbers.map((n) => `#${n}`).join(", ");
  let line =
    `Drift issues (one per ${report.per}) — opened: ${list(report.opened)}; ` +
    `updated: ${list(report.updated)}; closed: ${list(report.closed)}; ` +
    `unchanged: ${list(report.unchanged)}.`;
  if (unmanaged !== undefined) {
    line +=
      unmanaged.action === "none"
        ? ` Unmanaged access points issue: none (${unmanaged.reason}).`
        : ` Unmanaged access points issue: #${unmanaged.number} ${unmanaged.action}.`;
  }
  return { line, markdown: `### s3ap drift issues\n\n${line}\n` };
}
