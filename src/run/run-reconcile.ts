// One run of plan or apply for either entry: opens the S3 Control store (lazily, once, for reads
// and writes alike), runs the engine, closes the store, and counts retries for the report.
import { type AccessAnalyzerOptions, createAccessAnalyzerChecker } from "../aws/access-analyzer.js";
import type { AssumeRole } from "../aws/assume-role.js";
import { runCredentials } from "../aws/run-credentials.js";
import { createS3ControlStore, type S3ControlStoreOptions } from "../aws/s3control-store.js";
import type { PolicyChecker, PolicyStore } from "../reconcile/ports.js";
import { reconcile, type StoreContext } from "../reconcile/reconcile.js";
import type { Phase, ReconcileOutcome } from "../reconcile/types.js";
import { redactUrl } from "../redact-url.js";
import { resolveEndpointUrl } from "./endpoint-url.js";
import type { ReconcileOptions, RunCommand } from "./options.js";

export type StoreSettings = Pick<
  S3ControlStoreOptions,
  "endpointUrl" | "ratePerSecond" | "requestTimeoutMs" | "onEvent" | "accountCredentials"
>;

export interface RunDeps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Record why in-sync access points whose text differs are not drift (plan JSON `notes`). */
  explain: boolean;
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /** The real S3 Control store unless a test passes another. */
  createStore?: (settings: StoreSettings) => PolicyStore & { destroy(): void };
  /** The real IAM Access Analyzer (--access-analyzer) unless a test passes another. */
  createChecker?: (settings: CheckerSettings) => PolicyChecker & { destroy(): void };
  /** The SDK's STS AssumeRole unless a test passes another. */
  assumeRole?: AssumeRole;
}

export type CheckerSettings = Pick<
  AccessAnalyzerOptions,
  "ratePerSecond" | "requestTimeoutMs" | "onEvent" | "accountCredentials"
>;

export interface RunResult {
  outcome: ReconcileOutcome;
  /** Requests retried after throttling or transient failures (the apply report shows it). */
  retries: number;
  /** How the run reached AWS, for --verbose (placeholder credentials on a loopback endpoint). */
  notices: string[];
}

/** Whether this run may write: `apply` without `--dry-run`. */
export function writes(command: RunCommand, options: ReconcileOptions): boolean {
  return command === "apply" && !options.dryRun;
}

export async function runReconcile(
  command: RunCommand,
  options: ReconcileOptions,
  deps: RunDeps,
): Promise<RunResult> {
  const endpointUrl = resolveEndpointUrl(options.endpointUrl, deps.env);
  const createStore = deps.createStore ?? createS3ControlStore;
  let retries = 0;
  const notices: string[] = [];
  // What the store and Access Analyzer share, made once per run: the roles per account
  // (--role-arn, S3AP_ROLE_ARN, s3ap.yaml; none: the SDK's default chain), so each account's role
  // is assumed once and signs both (its analyzer calls never run as the hub identity), the rate,
  // the timeout and the events the report counts.
  let shared: CheckerSettings | undefined;
  const settingsFor = (context: StoreContext): CheckerSettings => {
    if (shared !== undefined) return shared;
    const accountCredentials = runCredentials({
      flags: {
        ...(options.roleArn !== undefined ? { roleArn: options.roleArn } : {}),
        ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
      },
      env: deps.env,
      config: context.config,
      command: writes(command, options) ? "apply" : "plan",
      commit: context.commit,
      now: deps.now,
      ...(deps.assumeRole !== undefined ? { assumeRole: deps.assumeRole } : {}),
    });
    shared = {
      ...(accountCredentials !== undefined ? { accountCredentials } : {}),
      ...(options.rate !== undefined ? { ratePerSecond: options.rate } : {}),
      requestTimeoutMs: options.requestTimeoutMs,
      onEvent: (event) => {
        if (event.type === "retry") retries += 1;
        if (event.type === "placeholder-credentials") {
          notices.push(
            `no AWS credentials are configured; requests to the loopback endpoint ` +
              `${redactUrl(event.endpointUrl)} are signed with placeholder credentials ` +
              "(a real endpoint needs real ones)",
          );
        }
      },
    };
    return shared;
  };
  let store: (PolicyStore & { destroy(): void }) | undefined;
  // One store behind both views, so reads and writes share the rate limit; opened only when the
  // engine asks, so an invalid tree never creates an AWS client.
  const openStore = (context: StoreContext) => {
    store ??= createStore({
      ...settingsFor(context),
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    });
    return store;
  };
  const createChecker = deps.createChecker ?? createAccessAnalyzerChecker;
  let checker: (PolicyChecker & { destroy(): void }) | undefined;
  // Access Analyzer's endpoint comes from the SDK's own settings (AWS_ENDPOINT_URL_ACCESSANALYZER):
  // --endpoint-url names an S3 Control endpoint.
  const openChecker = (context: StoreContext) => {
    checker ??= createChecker(settingsFor(context));
    return checker;
  };
  const outcome = await reconcile(
    {
      cwd: deps.cwd,
      dir: options.dir,
      ...(options.repo !== undefined ? { repo: options.repo } : {}),
      ...(options.ref !== undefined ? { ref: options.ref } : {}),
      ...(options.only !== undefined ? { only: options.only } : {}),
      ...(options.account !== undefined ? { accounts: options.account } : {}),
      apply: writes(command, options),
      allowDirty: options.allowDirty,
      ...(options.maxChanges !== undefined ? { maxChanges: options.maxChanges } : {}),
      concurrency: options.concurrency,
      explain: deps.explain || options.verbose,
      discover: options.discover,
      accessAnalyzer: options.accessAnalyzer,
      strict: options.strict,
    },
    {
      openReader: openStore,
      openWriter: openStore,
      sleep: deps.sleep,
      now: deps.now,
      ...(deps.onProgress !== undefined ? { onProgress: deps.onProgress } : {}),
      openChecker,
    },
  ).finally(() => {
    store?.destroy();
    checker?.destroy();
  });
  return { outcome, retries, notices };
}
