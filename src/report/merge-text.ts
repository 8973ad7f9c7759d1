// The sentence a merge of shard plans adds when some shards left no plan (stderr, the Action's
// failure-reason); the Markdown says the same in its own note.
import type { MergedPlan } from "../reconcile/types.js";

export function missingShardsText(merged: MergedPlan): string {
  const missing = merged.missingAccounts ?? [];
  if (missing.length === 0) return "";
  return (
    `${missing.length} account(s) have no shard plan (their jobs failed): ${missing.join(", ")}. ` +
    "Their access points are not in this plan, and their drift issues are left as they are."
  );
}
