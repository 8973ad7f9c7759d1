import { accessPointKey } from "../access-point/arn.js";
import { count } from "../count.js";
import type { AccessPointRef, NoCommitReason } from "../model.js";
import type { ChangeAction, PlanSelection } from "../reconcile/types.js";

export const SYMBOL: Record<ChangeAction, string> = {
  create: "+",
  update: "~",
  delete: "-",
  noop: "=",
  error: "!",
};

/** `account/region/[outpost/]name`: short, unique, and what --only matches. */
export function changeLabel(change: AccessPointRef): string {
  return accessPointKey(change);
}

/**
 * The sentence that says --only (input only) narrowed the run, or undefined when it did not;
 * `shown` passes the patterns through the report's sink.
 */
export function narrowedText(
  only: PlanSelection | undefined,
  shown: (pattern: string) => string,
): string | undefined {
  if (only === undefined) return undefined;
  const are = only.selected === 1 ? "is" : "are";
  return (
    `Narrowed by only ${only.patterns.map(shown).join(", ")}: ${only.selected} of ` +
    `${count(only.declared, "declared access point")} ${are} in this plan.`
  );
}

/** The one length a commit is shown with in every human report (JSON keeps the full SHA). */
export const SHA_LENGTH = 12;

export function shortSha(commit: string | null): string {
  return commit === null ? "no commit (not a git repository)" : commit.slice(0, SHA_LENGTH);
}

export interface Provenance {
  commit: string | null;
  dirty: boolean;
  noCommit?: NoCommitReason;
}

/**
 * Where the files of a report came from, in the words every report uses: `commit 0123456789ab`,
 * `commit 0123456789ab with uncommitted changes`, `no commit: not a git repository`,
 * `no commit yet: the repository has none`. `code` formats the SHA for the sink (Markdown: a code span).
 */
export function provenanceText(
  source: Provenance,
  code: (sha: string) => string = (sha) => sha,
): string {
  if (source.commit === null) {
    return source.noCommit === "no commit yet"
      ? "no commit yet: the repository has none"
      : "no commit: not a git repository";
  }
  const sha = code(source.commit.slice(0, SHA_LENGTH));
  return `commit ${sha}${source.dirty ? " with uncommitted changes" : ""}`;
}

export function summaryLine(summary: Record<ChangeAction, number>): string {
  return (
    `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ` +
    `${summary.noop} unchanged, ${count(summary.error, "error")}`
  );
}
