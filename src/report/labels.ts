import { accessPointKey } from "../access-point/arn.js";
import type { ChangeAction, PlannedChange } from "../reconcile/types.js";

export const SYMBOL: Record<ChangeAction, string> = {
  create: "+",
  update: "~",
  delete: "-",
  noop: "=",
  error: "!",
};

/** `account/region/[outpost/]name`: short, unique, and what --only matches. */
export function changeLabel(change: PlannedChange): string {
  return accessPointKey(change);
}

export function shortSha(commit: string | null): string {
  return commit === null ? "no commit (not a git repository)" : commit.slice(0, 12);
}

export function summaryLine(summary: Record<ChangeAction, number>): string {
  return (
    `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ` +
    `${summary.noop} unchanged, ${summary.error} ${summary.error === 1 ? "error" : "errors"}`
  );
}
