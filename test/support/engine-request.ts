// A reconcile() request over the policies folder of a real repository, read and checked as the
// run layer reads it (run/desired-state.ts), with the engine's defaults for tests.
import type { ReconcileRequest } from "../../src/reconcile/reconcile.js";
import { withDesiredState } from "../../src/run/desired-state.js";

export function engineRequest(
  cwd: string,
  overrides: Partial<ReconcileRequest> = {},
): Promise<ReconcileRequest> {
  return withDesiredState({ dir: "policies" }, cwd, Date.now(), async (source, state) => ({
    source,
    state,
    dir: "policies",
    concurrency: 4,
    ...overrides,
  }));
}
