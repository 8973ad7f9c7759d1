// One run of `plan` or `apply`: source → validate → live → plan → (apply). I/O comes in through
// the source, the validator and the injected PolicyStore; exit codes are the entry points' job.
import { compileAccessPointGlob } from "../access-point/only-pattern.js";
import { count } from "../count.js";
import { InputError } from "../errors.js";
import type { AccessPointRef, DesiredAccessPoint, RepositoryConfig } from "../model.js";
import { openSource } from "../source/git-source.js";
import { compareProblems, loadDesiredState } from "../validate/load-desired-state.js";
import { locatePath } from "../validate/locate-path.js";
import { noPolicyFiles, onlyMatchesNothing } from "../validate/nothing-selected.js";
import { problemsFail } from "../validate/severity.js";
import { checkPlanWithAnalyzer, validateWithAnalyzer } from "./access-analysis.js";
import { applyPlan } from "./apply.js";
import { discoverUnmanaged } from "./discover-unmanaged.js";
import { plan, withUnmanaged } from "./plan.js";
import type { PolicyChecker, PolicyReader, PolicyWriter } from "./ports.js";
import { readLive } from "./read-live.js";
import { isWrite, type Phase, type ReconcileOutcome } from "./types.js";

export interface ReconcileRequest {
  cwd: string;
  dir: string;
  repo?: string;
  ref?: string;
  /** Glob matched against the access point name, its file path, its label and its ARN. */
  only?: string;
  /** Only these accounts (a fan-out shard): exact ids. */
  accounts?: readonly string[];
  apply: boolean;
  allowDirty: boolean;
  maxChanges?: number;
  concurrency: number;
  /** Record why in-sync access points whose text differs are not drift (plan `notes`). */
  explain?: boolean;
  /** List the access points no file declares in the pairs the files use (default: off). */
  discover?: boolean;
  /** Ask IAM Access Analyzer too (ValidatePolicy, CheckNoPublicAccess, CheckNoNewAccess). */
  accessAnalyzer?: boolean;
  /** Warnings in the policy files stop the run like errors (`--strict`). */
  strict?: boolean;
}

/** What the store needs from the desired state: which roles to assume, and for which commit. */
export interface StoreContext {
  /** s3ap.yaml of the desired state's repository (null: none). */
  config: RepositoryConfig | null;
  commit: string | null;
}

export interface ReconcileDeps {
  /** Read access to live state: all that `plan` and `apply --dry-run` ever get. */
  openReader: (context: StoreContext) => PolicyReader;
  /** Write access, opened only on the apply path after every refusal check has passed. */
  openWriter: (context: StoreContext) => PolicyWriter;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  verifyDelaysMs?: readonly number[];
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /** IAM Access Analyzer, opened only when the request asks for it (it is charged per call);
   *  the context's roles sign its calls as they sign the store's. */
  openChecker?: (context: StoreContext) => PolicyChecker;
}

export async function reconcile(
  request: ReconcileRequest,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const source = await openSource({
    cwd: request.cwd,
    dir: request.dir,
    ...(request.repo !== undefined ? { repo: request.repo } : {}),
    ...(request.ref !== undefined ? { ref: request.ref } : {}),
  });
  try {
    const info = {
      root: source.root,
      policiesDir: source.policiesDir,
      commit: source.commit,
      dirty: source.dirty,
      ...(source.noCommit !== undefined ? { noCommit: source.noCommit } : {}),
    };
    const loaded = await loadDesiredState(info);
    if (problemsFail(loaded.problems, request.strict === true)) {
      return { status: "invalid", source: info, problems: loaded.problems, files: loaded.files };
    }
    if (loaded.files === 0) throw noPolicyFiles(request.dir);
    // Only warnings are left: they go with every report, and the run goes on.
    let warnings = loaded.problems;
    if (request.apply && info.dirty && !request.allowDirty) {
      return {
        status: "refused",
        source: info,
        warnings,
        plan: null,
        reason:
          info.noCommit === "not a git repository"
            ? "the policies directory is not in a git repository, so no commit names what " +
              "would be applied; apply from a git repository or pass --allow-dirty"
            : info.noCommit === "no commit yet"
              ? "the repository has no commit yet; commit the policy files (the report names " +
                "the commit it applied) or pass --allow-dirty"
              : "the policies directory has uncommitted changes; commit them (the report names " +
                "the commit it applied) or pass --allow-dirty",
      };
    }
    // A shard (--account) sees only its accounts: their files, their unmanaged access points.
    const inAccounts = selectAccounts(loaded.desired, request.accounts);
    if (inAccounts.length === 0 && request.accounts !== undefined) {
      throw new InputError(
        `--account ${request.accounts.join(",")} matches no access point of the policy files`,
      );
    }
    const desired = selectOnly(inAccounts, request.only);
    if (desired.length === 0 && request.only !== undefined) {
      throw onlyMatchesNothing(request.only, inAccounts.length);
    }
    const storeContext: StoreContext = { config: loaded.config, commit: info.commit };
    let checker: PolicyChecker | undefined;
    if (request.accessAnalyzer === true) {
      if (deps.openChecker === undefined) throw new Error("accessAnalyzer needs openChecker");
      checker = deps.openChecker(storeContext);
    }
    const validation =
      checker === undefined
        ? undefined
        : await validateWithAnalyzer(desired, checker, {
            concurrency: request.concurrency,
            locate: (ap, path) => locatePath(info.root, ap, path),
          });
    if (validation !== undefined) {
      // Access Analyzer's findings weigh like the files' own problems: errors stop the run,
      // warnings (SECURITY_WARNING, WARNING, SUGGESTION) do only with --strict.
      const all = [...warnings, ...validation.problems].sort(compareProblems);
      if (problemsFail(validation.problems, request.strict === true)) {
        return { status: "invalid", source: info, problems: all, files: loaded.files };
      }
      warnings = all;
    }
    const reader = deps.openReader(storeContext);
    const [live, discovered] = await Promise.all([
      readLive(desired, reader, {
        concurrency: request.concurrency,
        onProgress: (done, total) => deps.onProgress?.("read", done, total),
      }),
      request.discover === true
        ? discoverUnmanaged(inAccounts, reader, {
            concurrency: request.concurrency,
            selects: onlyMatcher(request.only),
          })
        : undefined,
    ]);
    const compared = plan(desired, live, info.commit, {
      explain: request.explain === true,
      provenance: info,
    });
    let planned =
      discovered === undefined
        ? compared
        : withUnmanaged(compared, discovered.discovery, discovered.unmanaged);
    if (checker !== undefined && validation !== undefined) {
      planned = await checkPlanWithAnalyzer(planned, validation, checker, {
        concurrency: request.concurrency,
      });
    }
    if (!request.apply) return { status: "planned", source: info, warnings, plan: planned };

    const writes = planned.changes.filter(isWrite).length;
    if (request.maxChanges !== undefined && writes > request.maxChanges) {
      return {
        status: "refused",
        source: info,
        warnings,
        plan: planned,
        reason: `${count(writes, "change")} planned, more than --max-changes ${request.maxChanges}; nothing was written`,
      };
    }
    const results = await applyPlan(planned, {
      reader,
      writer: deps.openWriter(storeContext),
      concurrency: request.concurrency,
      sleep: deps.sleep,
      now: deps.now,
      ...(deps.verifyDelaysMs !== undefined ? { verifyDelaysMs: deps.verifyDelaysMs } : {}),
      onProgress: (done, total) => deps.onProgress?.("apply", done, total),
    });
    return { status: "applied", source: info, warnings, plan: planned, results };
  } finally {
    await source.close();
  }
}

export function selectAccounts(
  desired: readonly DesiredAccessPoint[],
  accounts: readonly string[] | undefined,
): DesiredAccessPoint[] {
  if (accounts === undefined) return [...desired];
  const wanted = new Set(accounts);
  return desired.filter((ap) => wanted.has(ap.accountId));
}

export function selectOnly(
  desired: readonly DesiredAccessPoint[],
  only: string | undefined,
): DesiredAccessPoint[] {
  if (only === undefined || only === "") return [...desired];
  return desired.filter(compileAccessPointGlob(only));
}

/** --only for an access point no file declares: its name, account/region/name or ARN. */
function onlyMatcher(
  only: string | undefined,
): ((ref: AccessPointRef & { arn: string }) => boolean) | undefined {
  if (only === undefined || only === "") return undefined;
  return compileAccessPointGlob(only);
}
