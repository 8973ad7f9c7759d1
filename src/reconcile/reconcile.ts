// One run of `plan` or `apply` over a desired state that run/ has read and checked: select →
// (Access Analyzer) → live → plan → (refusal checks) → (apply). Its I/O is the reader, writer and
// checker it is handed; it names no flag or input (refusals are data) and decides no exit code.
import { accessPointKey } from "../access-point/arn.js";
import { compileSelection } from "../access-point/only-pattern.js";
import type { OptionName } from "../errors.js";
import type {
  DesiredAccessPoint,
  LiveState,
  Problem,
  Refusal,
  RepositoryConfig,
  SourceInfo,
} from "../model.js";
import { compareProblems } from "../validate/load-desired-state.js";
import { locatePath } from "../validate/locate-path.js";
import { problemsFail } from "../validate/severity.js";
import { checkPlanWithAnalyzer, validateWithAnalyzer } from "./access-analysis.js";
import { applyPlan } from "./apply.js";
import { attributeDrift, DEFAULT_ATTRIBUTION_DAYS } from "./attribute-drift.js";
import { PartsStore, storeChange } from "./change-parts.js";
import { discoverUnmanaged } from "./discover-unmanaged.js";
import { changeGovernor, type FactsOf, governPlan, withRules } from "./govern.js";
import { type BaseInput, baseClassifier, withBaseOf } from "./origin.js";
import { planOf, planOne, withUnmanaged } from "./plan.js";
import type { ChangeHistory, PolicyChecker, PolicyReader, PolicyWriter } from "./ports.js";
import { readEach } from "./read-live.js";
import {
  type ChangeDocument,
  isWrite,
  type Phase,
  type Plan,
  type PlannedChange,
  type ReconcileOutcome,
} from "./types.js";

export interface ReconcileRequest {
  /** Where the files came from (run/ opened it). */
  source: SourceInfo;
  /** The policy files, loaded and checked (validate/load-desired-state.ts). */
  state: { desired: readonly DesiredAccessPoint[]; problems: readonly Problem[]; files: number };
  /** The policies directory as the user named it, for the refusal when it holds no file. */
  dir: string;
  /** Globs matched against the access point name, its file path, its label and its ARN (any). */
  only?: readonly string[];
  /** Only these accounts (a fan-out shard): exact ids. */
  accounts?: readonly string[];
  concurrency: number;
  /** Record why in-sync access points whose text differs are not drift (plan `notes`). */
  explain?: boolean;
  /** List the access points no file declares in the pairs the files use (default: off). */
  discover?: boolean;
  /** Warnings in the policy files stop the run like errors. */
  strict?: boolean;
  /** Set for a run that writes (apply, not a dry run): its refusal checks. */
  /**
   * The base revision's files (run/ read them): each change is classified as change, drift or
   * both. Its access points are selected like the head's.
   */
  base?: BaseInput;
  apply?: {
    allowDirty: boolean;
    maxChanges?: number;
    /** Write only the drift s3ap.yaml `remediate` says to revert; report the rest. */
    remediate?: boolean;
  };
  /** s3ap.yaml of the same tree: trust, exceptions, remediate, paused (null: none). */
  config?: RepositoryConfig | null;
  /** Ask CloudTrail who made each drift, this many days back (--attribute-drift). */
  attributeDays?: number;
}

export interface ReconcileDeps {
  /** Read access to live state: all that `plan` and `apply --dry-run` ever get. */
  reader: PolicyReader;
  /**
   * Write access: given only to a run that writes, and used only after every refusal check has
   * passed.
   */
  writer?: PolicyWriter;
  /** IAM Access Analyzer: given only when the run asks for it (it is charged per call). */
  checker?: PolicyChecker;
  /** CloudTrail: given only when the run asks who made the drift. */
  history?: ChangeHistory;
  /** The wall clock (ms since the epoch) s3ap.yaml's dates and CloudTrail's window use. */
  today?: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  verifyDelaysMs?: readonly number[];
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /**
   * Called once with the plan of a run that writes, after every refusal check and just before
   * the first write: an entry shows what is being written (as Terraform does). What it returns
   * runs alongside the writes and is awaited before the run ends, so a long plan text does not
   * hold the writes back.
   */
  onPlanned?: (plan: Plan) => void | Promise<void>;
  /** How the entry names the options the plan's messages name (default: the CLI's flags). */
  optionName?: OptionName;
  /**
   * Where the plan's report parts are kept (default: in memory up to 8 MB of them, then in an
   * unlinked temporary file).
   */
  parts?: PartsStore;
}

/**
 * The checks that need nothing from AWS: invalid files, nothing to plan, a refused dirty tree. A
 * run they stop is over before any reader exists (run/ asks before it opens AWS access).
 */
export function stopsBeforeReading(request: ReconcileRequest): ReconcileOutcome | undefined {
  return selectionOf(request).stop;
}

function selectionOf(request: ReconcileRequest): {
  stop?: ReconcileOutcome;
  inAccounts: DesiredAccessPoint[];
  desired: DesiredAccessPoint[];
} {
  const { source, state } = request;
  const none = { inAccounts: [], desired: [] };
  if (problemsFail(state.problems, request.strict === true)) {
    const stop: ReconcileOutcome = {
      status: "invalid",
      source,
      problems: [...state.problems],
      files: state.files,
    };
    return { stop, ...none };
  }
  // Only warnings are left: they go with every report, and the run goes on.
  const refused = (refusal: Refusal) => {
    const stop: ReconcileOutcome = {
      status: "refused",
      source,
      warnings: [...state.problems],
      plan: null,
      refusal,
    };
    return { stop, ...none };
  };
  if (state.files === 0) return refused({ kind: "no-policy-files", dir: request.dir });
  if (request.apply !== undefined && source.dirty && !request.apply.allowDirty) {
    return refused({
      kind: "dirty",
      ...(source.noCommit !== undefined ? { noCommit: source.noCommit } : {}),
    });
  }
  // A shard (accounts) sees only its accounts: their files, their unmanaged access points.
  const inAccounts = selectAccounts(state.desired, request.accounts);
  if (inAccounts.length === 0 && request.accounts !== undefined) {
    return refused({ kind: "accounts-match-nothing", accounts: request.accounts });
  }
  const desired = selectOnly(inAccounts, request.only);
  if (desired.length === 0 && request.only !== undefined && request.only.length > 0) {
    return refused({
      kind: "only-matches-nothing",
      only: request.only,
      among: inAccounts.length,
      of: "declared",
    });
  }
  return { inAccounts, desired };
}

export async function reconcile(
  request: ReconcileRequest,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const { source, state } = request;
  const { stop, inAccounts, desired } = selectionOf(request);
  if (stop !== undefined) return stop;
  let warnings = [...state.problems];
  const { checker, reader } = deps;
  const validation =
    checker === undefined
      ? undefined
      : await validateWithAnalyzer(desired, checker, {
          concurrency: request.concurrency,
          locate: (ap, path) => locatePath(source.root, ap, path),
        });
  if (validation !== undefined) {
    // Access Analyzer's findings weigh like the files' own problems: errors stop the run,
    // warnings (SECURITY_WARNING, WARNING, SUGGESTION) do only with strict.
    const all = [...warnings, ...validation.problems].sort(compareProblems);
    if (problemsFail(validation.problems, request.strict === true)) {
      return { status: "invalid", source, problems: all, files: state.files };
    }
    warnings = all;
  }
  const planned = await makePlan(request, deps, desired, inAccounts, validation);
  if (request.apply === undefined) return { status: "planned", source, warnings, plan: planned };

  const holdBack = holdBackOf(planned, request.apply.remediate === true);
  const writes = planned.changes.filter((c) => isWrite(c) && holdBack(c) === undefined).length;
  const limit = request.apply.maxChanges;
  if (limit !== undefined && writes > limit) {
    return {
      status: "refused",
      source,
      warnings,
      plan: planned,
      refusal: { kind: "max-changes", writes, limit },
    };
  }
  if (deps.writer === undefined) throw new Error("a run that writes was given no writer");
  // The plan is shown while the first writes go out: what is written was decided above, and the
  // text of 10,000 changes (15 MB) no longer holds the writes back.
  // Its failure (a closed stdout) is held until the writes are done: left unhandled meanwhile it
  // would end the process in the middle of an apply.
  const shown =
    writes > 0
      ? Promise.resolve(deps.onPlanned?.(planned)).then(
          () => undefined,
          (error: unknown) => ({ error }),
        )
      : undefined;
  performance.mark("s3ap:apply-start");
  const results = await applyPlan(planned, {
    reader,
    writer: deps.writer,
    concurrency: request.concurrency,
    sleep: deps.sleep,
    now: deps.now,
    ...(deps.verifyDelaysMs !== undefined ? { verifyDelaysMs: deps.verifyDelaysMs } : {}),
    onProgress: (done, total) => deps.onProgress?.("apply", done, total),
    holdBack,
  });
  performance.mark("s3ap:apply-done");
  const notShown = await shown;
  if (notShown !== undefined) throw notShown.error;
  return { status: "applied", source, warnings, plan: planned, results };
}

/**
 * Reads, plans and classifies every selected access point: the plan, and nothing else of the
 * way to it. Its own function, so that what only the way needs (the entries before they are
 * sorted, each stage's copy of them) is garbage by the time apply runs.
 */
async function makePlan(
  request: ReconcileRequest,
  deps: ReconcileDeps,
  desired: DesiredAccessPoint[],
  inAccounts: DesiredAccessPoint[],
  validation: Awaited<ReturnType<typeof validateWithAnalyzer>> | undefined,
): Promise<Plan> {
  const { source } = request;
  const { checker, reader } = deps;
  performance.mark("s3ap:reader-opened");
  const planOptions = { explain: request.explain === true, provenance: source };
  // Each access point is planned as its answer arrives, while the other reads are on their way:
  // after the last read only its own plan is left, and no answer is kept once it is compared.
  const entries: PlannedChange[] = [];
  // Each change is classified against the base revision as it is planned, too: only the plan's
  // own summary is left after the last read, and writes start sooner.
  const base = request.base !== undefined ? selectBase(request) : undefined;
  const classify = base !== undefined ? baseClassifier(desired, base) : (c: ChangeDocument) => c;
  // Each change's report parts go to the store as it is planned (reconcile/change-parts.ts).
  const store = deps.parts ?? new PartsStore();
  // s3ap.yaml's dates are judged on the day the plan starts.
  const rules = { config: request.config ?? null, now: (deps.today ?? Date.now)() };
  // s3ap.yaml's rules go over each change as it is planned too, while its parts are at hand (not
  // read back from the store for it); with IAM Access Analyzer, after its checks, which may turn
  // a change into an error.
  const analyzed = checker !== undefined && validation !== undefined;
  const govern = analyzed ? undefined : changeGovernor(factsOf(request), rules);
  const planEach = (ap: DesiredAccessPoint, live: LiveState): PlannedChange => {
    const change = classify(planOne(ap, live, planOptions));
    return storeChange(govern === undefined ? change : govern(change, () => change), store);
  };
  const [, discovered] = await Promise.all([
    readEach(
      desired,
      reader,
      {
        concurrency: request.concurrency,
        onProgress: (done, total) => deps.onProgress?.("read", done, total),
      },
      (ap, live) => entries.push(planEach(ap, live)),
    ),
    request.discover === true
      ? discoverUnmanaged(inAccounts, reader, {
          concurrency: request.concurrency,
          selects: compileSelection(request.only),
          within: desired,
          ...(deps.optionName !== undefined ? { optionName: deps.optionName } : {}),
        })
      : undefined,
  ]);
  performance.mark("s3ap:read-done");
  const compared = planOf(entries, source.commit, planOptions);
  let planned =
    discovered === undefined
      ? compared
      : withUnmanaged(compared, discovered.discovery, discovered.unmanaged);
  if (base !== undefined) planned = withBaseOf(planned, desired, base);
  if (request.only !== undefined && request.only.length > 0) {
    // Every report says the run was narrowed: an all-green plan of 3 is not one of 300.
    const only = {
      patterns: [...request.only],
      selected: desired.length,
      declared: inAccounts.length,
    };
    planned = { ...planned, only };
  }
  if (checker !== undefined && validation !== undefined) {
    planned = await checkPlanWithAnalyzer(planned, validation, checker, {
      concurrency: request.concurrency,
    });
  }
  planned = analyzed ? governPlan(planned, factsOf(request), rules) : withRules(planned, rules);
  const today = (deps.today ?? Date.now)();
  if (deps.history !== undefined) {
    planned = await attributeDrift(planned, deps.history, {
      now: today,
      windowDays: request.attributeDays ?? DEFAULT_ATTRIBUTION_DAYS,
    });
  }
  return planned;
}

/** The base revision's access points, selected as the head's are (accounts, then only). */
function selectBase(request: ReconcileRequest): BaseInput {
  const base = request.base as BaseInput;
  if ("unreadable" in base) return base;
  return {
    ...base,
    desired: selectOnly(selectAccounts(base.desired, request.accounts), request.only),
  };
}

/**
 * Whether a run with these `accounts` and `only` plans this access point: what selectAccounts
 * and selectOnly keep, decided for one access point (the run reads ahead by it).
 */
export function selects(
  accounts: readonly string[] | undefined,
  only: readonly string[] | undefined,
): (ap: DesiredAccessPoint) => boolean {
  const wanted = accounts === undefined ? undefined : new Set(accounts);
  const matches = compileSelection(only);
  return (ap) => (wanted === undefined || wanted.has(ap.accountId)) && matches(ap);
}

/**
 * Where each change comes from and its base policy, for s3ap.yaml's rules. With a base revision
 * the classification says (a file new at head, or invalid at base, is measured from live);
 * without one, every difference is drift from the files planned, which are then the base.
 */
function factsOf(request: ReconcileRequest): FactsOf {
  const base = request.base;
  const declared =
    base !== undefined && !("unreadable" in base)
      ? new Map(base.desired.map((ap) => [accessPointKey(ap), ap]))
      : undefined;
  return (change, parts) => {
    if (change.origin === undefined) {
      if (declared !== undefined) return undefined;
      const differs =
        change.action === "create" || change.action === "update" || change.action === "delete";
      if (!differs) return undefined;
      return change.scope === undefined
        ? { origin: "drift", base: change.after }
        : { origin: "drift", base: change.after, baseScope: change.scope.after };
    }
    const key = accessPointKey(change);
    const baseAp = change.baseFile !== undefined ? undefined : declared?.get(key);
    const basePolicy =
      change.baseFile !== undefined
        ? parts().before
        : baseAp !== undefined
          ? baseAp.policy
          : change.after;
    // A directory-bucket access point's scope at the same base (live's, a file's, or head's).
    const scope = change.scope;
    const baseScope =
      scope === undefined
        ? undefined
        : change.baseFile !== undefined
          ? scope.before
          : baseAp !== undefined
            ? (baseAp.scope ?? null)
            : scope.after;
    const { driftDiff } = change.origin === "change" ? {} : parts();
    return {
      origin: change.origin,
      base: basePolicy,
      ...(baseScope !== undefined ? { baseScope } : {}),
      ...(change.driftAccess !== undefined ? { driftAccess: change.driftAccess } : {}),
      ...(driftDiff !== undefined ? { driftDiff } : {}),
    };
  };
}

/** Why s3ap.yaml holds a write back: a pause, or `apply --remediate` reverting only some drift. */
function holdBackOf(plan: Plan, remediate: boolean): (change: PlannedChange) => string | undefined {
  return (change) => {
    if (plan.paused !== undefined) {
      return `held back: paused until ${plan.paused.until} (${plan.paused.reason}): every run reports only`;
    }
    if (!remediate) return undefined;
    if (change.remediation === undefined) {
      return "held back: the files changed: a plain apply writes changes, remediation reverts drift only";
    }
    return change.remediation.action === "revert"
      ? undefined
      : `held back: ${change.remediation.text}`;
  };
}

export function selectAccounts(
  desired: readonly DesiredAccessPoint[],
  accounts: readonly string[] | undefined,
): DesiredAccessPoint[] {
  if (accounts === undefined) return [...desired];
  const wanted = new Set(accounts);
  return desired.filter((ap) => wanted.has(ap.accountId));
}

/** The access points `only` selects (any of its globs); all when it is absent or empty. */
export function selectOnly(
  desired: readonly DesiredAccessPoint[],
  only: readonly string[] | undefined,
): DesiredAccessPoint[] {
  const selects = compileSelection(only);
  return desired.filter((ap) => selects(ap));
}
