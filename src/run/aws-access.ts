// How every command that talks to AWS (plan, apply, import) reaches it: the roles per account
// (flags, environment, s3ap.yaml of the desired state), one S3 Control store whose reads and writes
// share the rate limit, IAM Access Analyzer when asked for, and what the report counts (retries,
// placeholder credentials). The engines get the ready store and checker; nothing calls back here.
import type { AccessAnalyzerOptions } from "../aws/access-analyzer.js";
import type { AssumeRole } from "../aws/assume-role.js";
import { type ResolveCredentials, requireBaseCredentials } from "../aws/base-credentials.js";
import { isLoopbackUrl } from "../aws/loopback-credentials.js";
import { runCredentials } from "../aws/run-credentials.js";
import { createS3ControlStore, type S3ControlStoreOptions } from "../aws/s3control-store.js";
import type { StoreEvent } from "../aws/store-events.js";
import type { OptionName } from "../errors.js";
import type { RepositoryConfig } from "../model.js";
import type {
  ChangeHistory,
  Destroyable,
  PolicyChecker,
  PolicyReader,
  PolicyStore,
} from "../reconcile/ports.js";
import { redactUrl } from "../redact-url.js";
import { resolveEndpointUrl } from "./endpoint-url.js";
import type { AwsOptions } from "./options.js";
import { routedStore, threadChannel } from "./worker-store.js";

export type StoreSettings = Pick<
  S3ControlStoreOptions,
  | "endpointUrl"
  | "ratePerSecond"
  | "requestTimeoutMs"
  | "onEvent"
  | "accountCredentials"
  | "optionName"
>;

export type CheckerSettings = Pick<
  AccessAnalyzerOptions,
  "ratePerSecond" | "requestTimeoutMs" | "onEvent" | "accountCredentials" | "optionName"
>;

/** The options the adapters' messages name ("lower --rate or --concurrency", …). */
const ADAPTER_OPTIONS = ["rate", "concurrency", "endpointUrl", "accessAnalyzer"] as const;

/** The real adapters unless a test passes others. */
export interface AwsFactories {
  createStore?: (settings: StoreSettings) => Destroyable<PolicyStore>;
  createChecker?: (settings: CheckerSettings) => Destroyable<PolicyChecker>;
  createHistory?: (settings: CheckerSettings) => Destroyable<ChangeHistory>;
  /** The SDK's STS AssumeRole unless a test passes another. */
  assumeRole?: AssumeRole;
  /** The SDK's default credential chain unless a test passes another. */
  resolveCredentials?: ResolveCredentials;
}

export interface AwsAccessRequest extends AwsFactories {
  options: AwsOptions;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** s3ap.yaml of the desired state's repository (null: none). */
  config: RepositoryConfig | null;
  /** How the entry names its options in the adapters' messages (run/option-names.ts). */
  optionName: OptionName;
  /** For the STS session name, so CloudTrail shows which run of which commit acted. */
  command: "plan" | "apply" | "import";
  commit: string | null;
  /** Open IAM Access Analyzer too (charged per check). */
  accessAnalyzer: boolean;
  /** Open CloudTrail too, to tell who made each drift. */
  attributeDrift?: boolean;
  /**
   * Spread S3 Control calls over up to `count` worker threads started from `entry`, by account
   * (run/worker-store.ts). Only for the real store (a test's store stays on its thread).
   */
  workers?: { entry: URL; count: number };
}

export interface AwsAccess {
  store: PolicyStore;
  checker?: PolicyChecker;
  history?: ChangeHistory;
  /** Requests retried after throttling or transient failures (the apply report shows it). */
  retries(): number;
  /** How the run reached AWS, for --verbose (placeholder credentials on a loopback endpoint). */
  notices: string[];
  /**
   * Resolves the default credential chain once, where the run needs it (to sign, or to assume
   * the roles with): a chain that yields nothing rejects with one AwsError naming the cause.
   * Every call answers with that one check.
   */
  requireCredentials(): Promise<void>;
  /**
   * The store's reads, each sent only after the credential check passed: for reads that start
   * before the run has checked (read-ahead), so that no request, and no credential provider
   * (SSO refresh, credential_process, STS), runs before it.
   */
  checkedReader(): PolicyReader;
  destroy(): void;
}

/**
 * Creates no AWS client yet: the store and the checker make one per (account, region) on their
 * first request, so a run that stops before reading anything never opens a connection.
 */
export function openAwsAccess(request: AwsAccessRequest): AwsAccess {
  const { options } = request;
  const endpointUrl = resolveEndpointUrl(options.endpointUrl, request.env);
  let retries = 0;
  const notices: string[] = [];
  // Each account's role is assumed once and signs both the store's and the analyzer's calls (its
  // analyzer calls never run as the hub identity).
  const accountCredentials = runCredentials({
    flags: {
      ...(options.roleArn !== undefined ? { roleArn: options.roleArn } : {}),
      ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
    },
    env: request.env,
    config: request.config,
    command: request.command,
    commit: request.commit,
    now: request.now,
    optionName: request.optionName,
    ...(request.assumeRole !== undefined ? { assumeRole: request.assumeRole } : {}),
  });
  const onEvent = (event: StoreEvent): void => {
    if (event.type === "retry") retries += 1;
    // Once, though every worker thread's store says it.
    if (event.type === "placeholder-credentials" && notices.length === 0) {
      notices.push(
        `no AWS credentials are configured; requests to the loopback endpoint ` +
          `${redactUrl(event.endpointUrl)} are signed with placeholder credentials ` +
          "(a real endpoint needs real ones)",
      );
    }
  };
  const shared: CheckerSettings = {
    ...(accountCredentials !== undefined ? { accountCredentials } : {}),
    ...(options.rate !== undefined ? { ratePerSecond: options.rate } : {}),
    requestTimeoutMs: options.requestTimeoutMs,
    onEvent,
    optionName: request.optionName,
  };
  const storeSettings = { ...shared, ...(endpointUrl !== undefined ? { endpointUrl } : {}) };
  const local = (request.createStore ?? createS3ControlStore)(storeSettings);
  const { workers } = request;
  const store =
    workers === undefined || request.createStore !== undefined
      ? local
      : routedStore(
          local,
          () =>
            threadChannel(
              workers.entry,
              {
                ...(endpointUrl !== undefined ? { endpointUrl } : {}),
                ...(options.rate !== undefined ? { ratePerSecond: options.rate } : {}),
                requestTimeoutMs: options.requestTimeoutMs,
                roles: accountCredentials !== undefined,
                optionNames: Object.fromEntries(
                  ADAPTER_OPTIONS.map((key) => [key, request.optionName(key)]),
                ),
              },
              onEvent,
              accountCredentials,
            ),
          workers.count,
        );
  // Access Analyzer's endpoint comes from the SDK's own settings (AWS_ENDPOINT_URL_ACCESSANALYZER):
  // --endpoint-url names an S3 Control endpoint.
  const checker = request.accessAnalyzer
    ? (request.createChecker ?? accessAnalyzerChecker)(shared)
    : undefined;
  // CloudTrail's endpoint likewise comes from the SDK (AWS_ENDPOINT_URL_CLOUDTRAIL); each
  // account's LookupEvents are signed by its role, as its S3 Control calls are.
  const history =
    request.attributeDrift === true
      ? (request.createHistory ?? cloudTrailHistory)(shared)
      : undefined;
  // The base chain signs AssumeRole with roles, and the requests themselves without; a loopback
  // S3 Control endpoint takes placeholder credentials (loopback-credentials.ts). Adapters a test
  // passes in place of the SDK's sign nothing with it.
  const assumesRoles = accountCredentials !== undefined;
  const needsBase =
    request.resolveCredentials !== undefined ||
    (assumesRoles && request.assumeRole === undefined) ||
    (!assumesRoles &&
      request.createStore === undefined &&
      !(endpointUrl !== undefined && isLoopbackUrl(endpointUrl))) ||
    (!assumesRoles && checker !== undefined && request.createChecker === undefined) ||
    (!assumesRoles && history !== undefined && request.createHistory === undefined);
  let checked: Promise<void> | undefined;
  const requireCredentials = (): Promise<void> => {
    checked ??= needsBase
      ? requireBaseCredentials({
          env: request.env,
          assumesRoles,
          ...(request.resolveCredentials !== undefined
            ? { resolve: request.resolveCredentials }
            : {}),
        })
      : Promise.resolve();
    return checked;
  };
  return {
    store,
    ...(checker !== undefined ? { checker } : {}),
    ...(history !== undefined ? { history } : {}),
    retries: () => retries,
    notices,
    requireCredentials,
    checkedReader: () => ({
      getPolicy: (ap) => requireCredentials().then(() => store.getPolicy(ap)),
      listAccessPoints: (accountId, region, outpostId) =>
        requireCredentials().then(() => store.listAccessPoints(accountId, region, outpostId)),
      listDirectoryAccessPoints: (accountId, region) =>
        requireCredentials().then(() => store.listDirectoryAccessPoints(accountId, region)),
      listMultiRegionAccessPoints: (accountId) =>
        requireCredentials().then(() => store.listMultiRegionAccessPoints(accountId)),
    }),
    destroy() {
      store.destroy();
      checker?.destroy();
      history?.destroy();
    },
  };
}

// Loaded only by a run that uses them (--access-analyzer, --attribute-drift): each SDK client's
// module is ~0.5 MB of heap and a few ms of start-up that a plain plan or apply never needs.

/** The IAM Access Analyzer adapter, its module loaded on creation. */
function accessAnalyzerChecker(settings: CheckerSettings): Destroyable<PolicyChecker> {
  const loaded = import("../aws/access-analyzer.js").then((m) =>
    m.createAccessAnalyzerChecker(settings),
  );
  return {
    validatePolicy: (ap, json) => loaded.then((c) => c.validatePolicy(ap, json)),
    checkNoPublicAccess: (ap, json) => loaded.then((c) => c.checkNoPublicAccess(ap, json)),
    checkNoNewAccess: (ap, existing, next) =>
      loaded.then((c) => c.checkNoNewAccess(ap, existing, next)),
    destroy: () => destroyWhenLoaded(loaded),
  };
}

/** The CloudTrail adapter, its module loaded on creation. */
function cloudTrailHistory(settings: CheckerSettings): Destroyable<ChangeHistory> {
  const loaded = import("../aws/cloudtrail.js").then((m) => m.createCloudTrailHistory(settings));
  return {
    policyWrites: (accountId, region, eventNames, window) =>
      loaded.then((h) => h.policyWrites(accountId, region, eventNames, window)),
    destroy: () => destroyWhenLoaded(loaded),
  };
}

/** Destroys an adapter once its module is in (at once when it already is). */
function destroyWhenLoaded(loaded: Promise<{ destroy(): void }>): void {
  void loaded.then((adapter) => adapter.destroy());
}
