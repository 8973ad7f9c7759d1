// apply(plan): writes enforce-mode drift, at most `concurrency` at a time per (account, region)
// (the store adds the rate limit of each), then reads every write back until it is equivalent.
// The writes wait as the changes themselves in their scope's list (scoped-queue.ts): 10,000 of
// them queued through scopedLimit held a closure, a promise and p-limit's entries each (~1 KB).

import type { AccessPointRef, LiveState } from "../model.js";
import { equivalent } from "../policy/equivalent.js";
import { sameScope } from "../policy/scope-access.js";
import type { PolicyReader, PolicyWriter } from "./ports.js";
import { scopedQueue } from "./scoped-queue.js";
import {
  type ApplyResult,
  type ApplyStatus,
  isWrite,
  type Plan,
  type PlannedChange,
  partsOf,
} from "./types.js";

export interface ApplyOptions {
  reader: PolicyReader;
  writer: PolicyWriter;
  concurrency: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /**
   * Pauses between read-back attempts. AWS applies a policy after a short delay (about 10 s was
   * observed), so a read right after the write may still show the old one.
   */
  verifyDelaysMs?: readonly number[];
  onProgress?: (done: number, total: number) => void;
  /**
   * Why an s3ap.yaml rule holds a write back (`paused`, `apply --remediate`), or undefined to
   * write it: held-back changes are `reported`, with that reason.
   */
  holdBack?: (change: PlannedChange) => string | undefined;
}

export const DEFAULT_VERIFY_DELAYS_MS = [0, 500, 1000, 2000, 3000, 5000] as const;

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult[]> {
  const held = new Map<PlannedChange, string>();
  for (const change of plan.changes.filter(isWrite)) {
    const reason = options.holdBack?.(change);
    if (reason !== undefined) held.set(change, reason);
  }
  const writes = plan.changes.filter((change) => isWrite(change) && !held.has(change));
  let done = 0;
  const written = new Map<PlannedChange, ApplyResult>();
  const queue = scopedQueue<PlannedChange>(options.concurrency, async (change) => {
    written.set(change, await writeAndVerify(change, options));
    done += 1;
    options.onProgress?.(done, writes.length);
  });
  for (const change of writes) queue.push(change);
  await queue.drained();
  return plan.changes.map((change) => written.get(change) ?? notWritten(change, held.get(change)));
}

function notWritten(change: PlannedChange, heldBack: string | undefined): ApplyResult {
  const result = (status: ApplyStatus, message: string): ApplyResult => ({
    change,
    status,
    verified: false,
    message,
    durationMs: 0,
  });
  if (change.action === "error") return result("failed", change.reason);
  if (change.action === "noop") return result("unchanged", "in sync");
  if (heldBack !== undefined) return result("reported", heldBack);
  if (change.exception?.status === "excepted") {
    const { id, owner, expires } = change.exception;
    return result(
      "reported",
      `drift reported, not written: exception "${id}" of ${owner} excuses it until ${expires}`,
    );
  }
  return result("observed", "drift reported, not written (observe mode)");
}

function refOf(change: PlannedChange): AccessPointRef {
  return {
    accountId: change.accountId,
    region: change.region,
    name: change.name,
    ...(change.outpostId !== undefined ? { outpostId: change.outpostId } : {}),
  };
}

/** Whether the policy itself must be written (a directory bucket's change may be its scope only). */
function policyDiffers(change: PlannedChange): boolean {
  if (change.scope === undefined) return true;
  const { before } = partsOf(change);
  if (before === null || change.after === null) return before !== change.after;
  const partition = change.arn.split(":")[1] ?? "aws";
  return !equivalent(before, change.after, { partition }).equal;
}

async function writeAndVerify(change: PlannedChange, options: ApplyOptions): Promise<ApplyResult> {
  const started = options.now();
  const ref = refOf(change);
  const finish = (ok: boolean, message: string): ApplyResult => ({
    change,
    status: ok ? "applied" : "failed",
    verified: ok,
    message,
    durationMs: options.now() - started,
  });
  try {
    if (policyDiffers(change)) {
      if (change.after === null) await options.writer.deletePolicy(ref);
      else await options.writer.putPolicy(ref, JSON.stringify(change.after));
    }
    // A directory bucket's scope after its policy: if the scope write fails, the read-back
    // and the next plan show the scope still to be written.
    if (change.scope?.changed === true) {
      if (change.scope.after === null) await options.writer.deleteScope(ref);
      else await options.writer.putScope(ref, change.scope.after);
    }
  } catch (error) {
    return finish(false, error instanceof Error ? error.message : String(error));
  }
  const verb =
    !policyDiffers(change) && change.scope?.changed === true
      ? "scope written"
      : change.after === null
        ? "deleted"
        : "written";
  let last: LiveState | undefined;
  for (const delay of options.verifyDelaysMs ?? DEFAULT_VERIFY_DELAYS_MS) {
    if (delay > 0) await options.sleep(delay);
    last = await options.reader.getPolicy(ref);
    if (matches(change, last)) return finish(true, `${verb} and verified`);
  }
  return finish(false, `${verb}, but the read-back ${describeMismatch(change, last)}`);
}

function matches(change: PlannedChange, live: LiveState): boolean {
  if (change.scope !== undefined) {
    if (live.kind === "error" || !sameScope(live.scope ?? null, change.scope.after)) return false;
  }
  if (change.after === null) return live.kind === "none";
  if (live.kind !== "policy") return false;
  const partition = change.arn.split(":")[1] ?? "aws";
  return equivalent(live.policy, change.after, { partition }).equal;
}

function describeMismatch(change: PlannedChange, live: LiveState | undefined): string {
  if (live === undefined) return "was never attempted";
  if (live.kind === "error") return `failed: ${live.message} [${live.code}]`;
  if (change.scope !== undefined && !sameScope(live.scope ?? null, change.scope.after)) {
    return "shows a scope that differs from the desired one; re-run apply to retry";
  }
  if (change.after === null) return "still shows a policy; re-run apply to retry";
  if (live.kind === "none") return "shows no policy yet; re-run apply to retry";
  return "differs from the desired policy (AWS may have changed it, or another writer did); re-run plan to see the difference";
}
