// One run of plan or apply for either entry: reads the desired state (s3ap.yaml of the same tree
// included), opens AWS access with its roles, hands the engine the ready reader (and writer, only
// to a run that writes; checker, only when asked for), closes everything, and counts retries.
import { type ReconcileRequest, reconcile, stopsBeforeReading } from "../reconcile/reconcile.js";
import type { Phase, ReconcileOutcome } from "../reconcile/types.js";
import { type AwsFactories, openAwsAccess } from "./aws-access.js";
import { readBaseRevision } from "./base-revision.js";
import { withDesiredState } from "./desired-state.js";
import type { ApplyOptions, PlanOptions } from "./options.js";

export type RunCommand = "plan" | "apply";

/** What to run: plan has no apply options at all. */
export type ReconcileRun =
  | { command: "plan"; options: PlanOptions }
  | { command: "apply"; options: ApplyOptions };

export interface RunDeps extends AwsFactories {
  cwd: string;
  env: NodeJS.ProcessEnv;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Record why in-sync access points whose text differs are not drift (plan JSON `notes`). */
  explain: boolean;
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export interface RunResult {
  outcome: ReconcileOutcome;
  /** Requests retried after throttling or transient failures (the apply report shows it). */
  retries: number;
  /** How the run reached AWS, for --verbose (placeholder credentials on a loopback endpoint). */
  notices: string[];
}

/** Whether this run may write: `apply` without `--dry-run`. */
export function writes(run: ReconcileRun): boolean {
  return run.command === "apply" && !run.options.dryRun;
}

export async function runReconcile(run: ReconcileRun, deps: RunDeps): Promise<RunResult> {
  const { options } = run;
  const apply = run.command === "apply" && !run.options.dryRun ? run.options : undefined;
  return withDesiredState(options, deps.cwd, async (source, state) => {
    const request: ReconcileRequest = {
      source,
      state,
      dir: options.dir,
      ...(options.only !== undefined ? { only: options.only } : {}),
      ...(options.account !== undefined ? { accounts: options.account } : {}),
      concurrency: options.concurrency,
      explain: deps.explain || options.verbose,
      discover: options.discover,
      strict: options.strict,
      ...(apply !== undefined
        ? {
            apply: {
              allowDirty: apply.allowDirty,
              ...(apply.maxChanges !== undefined ? { maxChanges: apply.maxChanges } : {}),
            },
          }
        : {}),
    };
    // A run stopped by the files alone opens no AWS access at all.
    const stop = stopsBeforeReading(request);
    if (stop !== undefined) return { outcome: stop, retries: 0, notices: [] };
    const base = await readBaseRevision(options, deps.cwd, source, state);
    if (base !== undefined) request.base = base;
    const aws = openAwsAccess({
      options,
      env: deps.env,
      now: deps.now,
      config: state.config,
      command: apply !== undefined ? "apply" : "plan",
      commit: source.commit,
      accessAnalyzer: options.accessAnalyzer,
      ...(deps.createStore !== undefined ? { createStore: deps.createStore } : {}),
      ...(deps.createChecker !== undefined ? { createChecker: deps.createChecker } : {}),
      ...(deps.assumeRole !== undefined ? { assumeRole: deps.assumeRole } : {}),
    });
    try {
      const outcome = await reconcile(request, {
        reader: aws.store,
        // One store behind both, so reads and writes share the rate limit of each account.
        ...(apply !== undefined ? { writer: aws.store } : {}),
        ...(aws.checker !== undefined ? { checker: aws.checker } : {}),
        sleep: deps.sleep,
        now: deps.now,
        ...(deps.onProgress !== undefined ? { onProgress: deps.onProgress } : {}),
      });
      return { outcome, retries: aws.retries(), notices: aws.notices };
    } finally {
      aws.destroy();
    }
  });
}
