// Plans for the GitHub-facing tests, built the way the planner shapes them.
import { accessPointArn } from "../../src/access-point/arn.js";
import { PartsStore, storeChange } from "../../src/reconcile/change-parts.js";
import type {
  ChangeAction,
  Plan,
  PlannedChange,
  UnmanagedAccessPoint,
} from "../../src/reconcile/types.js";

const store = new PartsStore();

export function change(
  name: string,
  action: ChangeAction,
  accountId = "111122223333",
): PlannedChange {
  const ref = { accountId, region: "us-east-1", name };
  return storeChange(
    {
      ...ref,
      arn: accessPointArn(ref),
      file: `policies/${name}.yaml`,
      action,
      mode: "enforce",
      reason: action === "noop" ? "in sync" : `${action}: the live policy differs`,
      before: null,
      after: { Version: "2012-10-17", Statement: [] },
      diff: null,
      notes: [],
    },
    store,
  );
}

export function planOf(
  changes: PlannedChange[],
  commit = "a".repeat(40),
  unmanaged: UnmanagedAccessPoint[] = [],
): Plan {
  const summary = {
    create: 0,
    update: 0,
    delete: 0,
    noop: 0,
    error: 0,
    unmanaged: unmanaged.length,
  };
  for (const c of changes) summary[c.action] += 1;
  return {
    formatVersion: 1,
    commit,
    dirty: false,
    summary,
    changes,
    unmanaged,
    discovery: { enabled: true, warnings: [] },
  };
}
