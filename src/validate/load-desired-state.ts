import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { accessPointKey } from "../access-point/arn.js";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { DesiredAccessPoint, Problem, RepositoryConfig } from "../model.js";
import { CONFIG_FILE } from "../source/config-file.js";
import { listPolicyFiles, type PolicyFile } from "../source/policy-files.js";
import {
  checkListedFile,
  declaredAccount,
  type ListedFileResult,
  type ReadFile,
  readBounded,
} from "./check-listed-file.js";
import { loadS3apConfig } from "./check-s3ap-config.js";
import { configDateProblems } from "./config-dates.js";
import { Exceptions } from "./exceptions.js";
import { problemsFail } from "./severity.js";

export { MAX_FILE_BYTES } from "./check-listed-file.js";

export interface DesiredState {
  desired: DesiredAccessPoint[];
  problems: Problem[];
  /** How many policy files were found. */
  files: number;
  /** s3ap.yaml at the repository root; null when there is none (or it has problems). */
  config: RepositoryConfig | null;
}

/**
 * What a caller can do while the files are checked, one by one in list order: a run reads the
 * live state of each valid file while the rest of the tree is still being checked.
 */
export interface LoadProgress {
  /**
   * A file with no error, declaring this access point (before the tree-wide checks: it may
   * still turn out to be declared twice). Not called once a problem would stop the run.
   */
  onValid?(ap: DesiredAccessPoint, config: RepositoryConfig | null): void;
  /** Warnings stop a run too (`--strict`): then only files without any problem are valid. */
  strict?: boolean;
  /**
   * Only these accounts (a shard, `--account`): a file whose top-level `accountId` line names
   * another account is counted but not checked (declaredAccount); every other file is.
   */
  accounts?: ReadonlySet<string>;
}

/** How long the files are checked before the loop lets answers that arrived meanwhile in. */
const SLICE_MS = 8;

/**
 * Loads and validates every policy file under `policiesDir`. Callers must refuse to act when
 * `problems` is not empty. Throws InputError when the policies directory does not exist.
 * With `progress`, valid files are reported as they are checked, and the check yields to the
 * event loop every few milliseconds so that what they started gets on. With `now` (ms since the
 * epoch), s3ap.yaml's rules hold on that day: its dates are judged (an expired exception is an
 * error naming its owner) and the warnings its exceptions excuse are marked, file by file, before
 * anything is reported.
 */
export async function loadDesiredState(
  source: { root: string; policiesDir: string },
  progress?: LoadProgress,
  now?: number,
): Promise<DesiredState> {
  const listing = listPolicyFiles(source.root, source.policiesDir);
  // With --dir at the repository root, s3ap.yaml sits among the policy files: it is not one.
  listing.files = listing.files.filter((f) => f.file !== CONFIG_FILE);
  performance.mark("s3ap:listed");
  const checkedConfig = loadS3apConfig(source.root);
  const problems: Problem[] = [...listing.problems, ...checkedConfig.problems];
  let check = (entry: PolicyFile, read?: ReadFile) => checkListedFile(entry, read);
  if (now !== undefined) {
    appendAll(problems, configDateProblems(checkedConfig.dated, now));
    const exceptions = new Exceptions(checkedConfig.config?.exceptions, now);
    check = (entry, read) => {
      const result = checkListedFile(entry, read);
      const declared = result.desired !== undefined ? [result.desired] : [];
      return { ...result, problems: exceptions.markWarnings(result.problems, declared) };
    };
  }
  const accounts = progress?.accounts;
  if (accounts !== undefined) check = checkingOnly(accounts, check);
  // One thread, in list order: reading a file with the yaml package costs well under a
  // millisecond, so 10,000 files take seconds at most (BENCHMARKS.md) and threads would not pay.
  const checked =
    progress?.onValid === undefined
      ? listing.files.map((entry) => check(entry))
      : await checkReporting(listing.files, check, progress, {
          config: checkedConfig.config,
          stopped: problemsFail(problems, progress.strict === true),
        });

  const desired: DesiredAccessPoint[] = [];
  const byKey = new Map<string, ListedFileResult[]>();
  for (const result of checked) {
    appendAll(problems, result.problems);
    if (result.desired !== undefined) desired.push(result.desired);
    if (result.ref !== undefined) {
      const key = accessPointKey(result.ref);
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, [result]);
      else group.push(result);
    }
  }
  // One problem per file, naming the first file and counting the others: linear in files
  // (listing every file in every problem grew with the square of their number).
  const duplicated = new Set<string>();
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    const first = group[0] as ListedFileResult;
    const others = group.length - 1;
    for (const [index, result] of group.entries()) {
      duplicated.add(result.file);
      const position = result.namePosition ?? { line: 1, col: 1 };
      problems.push({
        file: result.file,
        line: position.line,
        col: position.col,
        severity: "error",
        rule: "duplicate-access-point",
        message:
          index === 0
            ? `access point ${key} is declared here and in ${count(others, "other file")}${others === 1 ? ` (${(group[1] as ListedFileResult).file})` : ""}; keep one`
            : `access point ${key} is already declared in ${first.file}${others > 1 ? ` (${count(others + 1, "file")} in all)` : ""}; keep one`,
      });
    }
  }
  problems.sort(compareProblems);
  return {
    desired: desired.filter((d) => !duplicated.has(d.file)),
    problems,
    files: listing.files.length,
    config: checkedConfig.config,
  };
}

/**
 * The files checked in list order, each valid one reported at once; none is reported after the
 * first problem that stops the run (a tree with an error is not planned, so nothing more is
 * started for it). Yields every SLICE_MS so that the answers to what was started are handled.
 */
async function checkReporting(
  files: readonly PolicyFile[],
  check: (entry: PolicyFile) => ListedFileResult,
  progress: LoadProgress,
  state: { config: RepositoryConfig | null; stopped: boolean },
): Promise<ListedFileResult[]> {
  const results: ListedFileResult[] = [];
  let sliceStart = performance.now();
  for (const entry of files) {
    const result = check(entry);
    results.push(result);
    if (problemsFail(result.problems, progress.strict === true)) state.stopped = true;
    if (!state.stopped && result.desired !== undefined)
      progress.onValid?.(result.desired, state.config);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return results;
}

/**
 * `check` for the files of these accounts only: another account's file (by its accountId line)
 * is read that far and counted, with nothing to report; it is that account's run's to check.
 */
function checkingOnly(
  accounts: ReadonlySet<string>,
  check: (entry: PolicyFile, read?: ReadFile) => ListedFileResult,
): (entry: PolicyFile) => ListedFileResult {
  return (entry) => {
    let bytes: Buffer | number;
    try {
      bytes = readBounded(entry.absolute);
    } catch {
      return check(entry);
    }
    // The line is ASCII: latin1 decodes it as UTF-8 would, without validating the rest.
    const account =
      typeof bytes === "number" ? undefined : declaredAccount(bytes.toString("latin1"));
    if (account !== undefined && !accounts.has(account)) return { file: entry.file, problems: [] };
    return check(entry, () => bytes);
  };
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}
