// `accounts` for any entry: the shards of a fan-out run (one per account, packed when there are
// more than a matrix holds), from the policy files, offline.
import type { Problem, Refusal, SourceInfo } from "../model.js";
import { selectOnly } from "../reconcile/reconcile.js";
import { shardsOf } from "../reconcile/shards.js";
import type { Shard } from "../reconcile/types.js";
import { problemsFail } from "../validate/severity.js";
import type { AccountsOptions } from "./commands.js";
import { withDesiredState } from "./desired-state.js";

export type AccountsOutcome =
  | { status: "sharded"; source: SourceInfo; shards: Shard[] }
  /** Errors in the files: no shards (warnings do not stop them, as they do not stop a plan). */
  | { status: "invalid"; source: SourceInfo; problems: Problem[] }
  | { status: "refused"; source: SourceInfo; refusal: Refusal };

export function runAccounts(
  options: Omit<AccountsOptions, "format">,
  cwd: string,
  now: number,
): Promise<AccountsOutcome> {
  return withDesiredState(options, cwd, now, async (source, state) => {
    // Warnings fail a plan only with --strict, which each shard's plan applies itself, so they
    // must not stop the shards either: fan-out would refuse what one job plans.
    if (problemsFail(state.problems, false)) {
      return { status: "invalid", source, problems: state.problems };
    }
    if (state.files === 0) {
      return { status: "refused", source, refusal: { kind: "no-policy-files", dir: options.dir } };
    }
    const selected = selectOnly(state.desired, options.only);
    if (selected.length === 0) {
      return {
        status: "refused",
        source,
        refusal: {
          kind: "only-matches-nothing",
          only: options.only ?? [],
          among: state.desired.length,
          of: "declared",
        },
      };
    }
    return { status: "sharded", source, shards: shardsOf(selected, options.maxShards) };
  });
}
