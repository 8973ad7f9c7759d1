// One run of plan or apply for either entry: reads the desired state (s3ap.yaml of the same tree
// included), opens AWS access with its roles, hands the engine the ready reader (and writer, only
// to a run that writes; checker, only when asked for), closes everything, and counts retries.
import { availableParallelism } from "node:os";
import type { RepositoryConfig, SourceInfo } from "../model.js";
import { type ReadAhead, readAhead } from "../reconcile/read-ahead.js";
import {
  type ReconcileRequest,
  reconcile,
  selects,
  stopsBeforeReading,
} from "../reconcile/reconcile.js";
import type { Phase, Plan, ReconcileOutcome } from "../reconcile/types.js";
import type { OptionNames } from "../report/refusal-text.js";
import type { DesiredState, LoadProgress } from "../validate/load-desired-state.js";
import { type AwsAccess, type AwsFactories, openAwsAccess } from "./aws-access.js";
import { readBaseRevision } from "./base-revision.js";
import { withDesiredState } from "./desired-state.js";
import { limitHeapGrowth } from "./heap-growth.js";
import type { ApplyOptions, PlanOptions } from "./options.js";
import { workerEntry } from "./worker-entry.js";

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
  /** The plan of a run that writes, as its first writes go out (reconcile.ts). */
  onPlanned?: (plan: Plan) => void | Promise<void>;
  /** How the entry names its options in the messages the run writes (run/option-names.ts). */
  names: OptionNames;
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
  return applyOf(run) !== undefined;
}

/** The options of a run that writes; undefined for plan and apply --dry-run. */
function applyOf(run: ReconcileRun): ApplyOptions | undefined {
  return run.command === "apply" && !run.options.dryRun ? run.options : undefined;
}

export async function runReconcile(run: ReconcileRun, deps: RunDeps): Promise<RunResult> {
  // Both entries, the CLI and the Action, hold the heap the same way (heap-growth.ts).
  limitHeapGrowth("checking");
  const { options } = run;
  const apply = applyOf(run);
  // AWS access is opened once, by the first valid file read ahead or after the checks.
  let aws: AwsAccess | undefined;
  const openAws = (config: RepositoryConfig | null, commit: string | null): AwsAccess => {
    aws ??= openAwsAccess({
      options,
      env: deps.env,
      now: deps.now,
      config,
      command: apply !== undefined ? "apply" : "plan",
      commit,
      accessAnalyzer: options.accessAnalyzer,
      attributeDrift: options.attributeDrift,
      optionName: deps.names.name,
      ...(deps.createHistory !== undefined ? { createHistory: deps.createHistory } : {}),
      ...(deps.createStore !== undefined ? { createStore: deps.createStore } : {}),
      ...(deps.createChecker !== undefined ? { createChecker: deps.createChecker } : {}),
      ...(deps.assumeRole !== undefined ? { assumeRole: deps.assumeRole } : {}),
      ...(deps.resolveCredentials !== undefined
        ? { resolveCredentials: deps.resolveCredentials }
        : {}),
      ...workersOf(),
    });
    return aws;
  };
  let ahead: ReadAhead | undefined;
  // Reading ahead starts the live reads of valid files while the rest of the tree is checked.
  // Not for a run the tree's state refuses anyway (apply of a dirty tree), and not with Access
  // Analyzer, whose findings may stop the run before anything is read. It stops at the first
  // problem that stops the run: such a tree is never planned, so nothing more is read for it.
  // A shard (--account) checks only its accounts' files.
  const accounts = options.account !== undefined ? { accounts: new Set(options.account) } : {};
  const readsAhead = (source: SourceInfo): LoadProgress => {
    if (options.accessAnalyzer) return accounts;
    if (apply !== undefined && source.dirty && !apply.allowDirty) return accounts;
    const selected = selects(options.account, options.only);
    let failed = false;
    return {
      ...accounts,
      strict: options.strict,
      onValid(ap, config) {
        if (failed || !selected(ap)) return;
        try {
          // Each read waits for the credential check: nothing is sent before it.
          ahead ??= readAhead(openAws(config, source.commit).checkedReader(), options.concurrency);
        } catch {
          // AWS access cannot be opened (a malformed role template): the run says so after the
          // checks, where the tree's own problems come first.
          failed = true;
          return;
        }
        ahead.start(ap);
      },
    };
  };
  try {
    return await withDesiredState(
      options,
      deps.cwd,
      deps.now(),
      async (source, state) => {
        // The tree is checked: from here on the heap holds mostly the plan (reads that started
        // while the files were checked were planned as they answered).
        limitHeapGrowth("planning");
        const request = requestOf(run, source, state, deps.explain);
        // A run stopped by the files alone reads nothing more (and opened no AWS access unless a
        // valid file came before the first problem).
        const stop = stopsBeforeReading(request);
        if (stop !== undefined) {
          ahead?.stop();
          return { outcome: stop, retries: 0, notices: [] };
        }
        // The base revision is loaded while the reads started ahead are on their way.
        const base = await readBaseRevision(options, deps.cwd, source, state);
        if (base !== undefined) request.base = base;
        return reconcileWith(request, openAws(state.config, source.commit), ahead, deps);
      },
      readsAhead,
    );
  } finally {
    ahead?.stop();
    aws?.destroy();
  }
}

/**
 * Worker threads for the S3 Control calls when the job holds more than one account: with the main
 * thread, one per core. None without a bundle to start them from.
 */
function workersOf(): { workers?: { entry: URL; count: number } } {
  const entry = workerEntry();
  const cores = availableParallelism();
  return entry !== undefined && cores > 1 ? { workers: { entry, count: cores - 1 } } : {};
}

function requestOf(
  run: ReconcileRun,
  source: SourceInfo,
  state: DesiredState,
  explain: boolean,
): ReconcileRequest {
  const { options } = run;
  const apply = applyOf(run);
  return {
    source,
    state,
    dir: options.dir,
    ...(options.only !== undefined ? { only: options.only } : {}),
    ...(options.account !== undefined ? { accounts: options.account } : {}),
    concurrency: options.concurrency,
    explain: explain || options.verbose,
    discover: options.discover,
    strict: options.strict,
    config: state.config,
    ...(options.attributeDrift ? { attributeDays: options.attributeDays } : {}),
    ...(apply !== undefined
      ? {
          apply: {
            allowDirty: apply.allowDirty,
            ...(apply.maxChanges !== undefined ? { maxChanges: apply.maxChanges } : {}),
            remediate: apply.remediate,
          },
        }
      : {}),
  };
}

async function reconcileWith(
  request: ReconcileRequest,
  aws: AwsAccess,
  ahead: ReadAhead | undefined,
  deps: RunDeps,
): Promise<RunResult> {
  // One error for a credential chain that yields nothing, not one per access point (reads
  // started ahead wait for this same check, and are dropped with the run).
  await aws.requireCredentials();
  const outcome = await reconcile(request, {
    reader: ahead?.reader ?? aws.store,
    // One store behind both, so reads and writes share the rate limit of each account.
    ...(request.apply !== undefined ? { writer: aws.store } : {}),
    ...(aws.checker !== undefined ? { checker: aws.checker } : {}),
    ...(aws.history !== undefined ? { history: aws.history } : {}),
    sleep: deps.sleep,
    now: deps.now,
    today: deps.now,
    optionName: deps.names.name,
    ...(deps.onProgress !== undefined ? { onProgress: deps.onProgress } : {}),
    ...(deps.onPlanned !== undefined ? { onPlanned: deps.onPlanned } : {}),
  });
  return { outcome, retries: aws.retries(), notices: aws.notices };
}
