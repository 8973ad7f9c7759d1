// The base revision of a plan (`--base`, default HEAD): its policy files, read and validated like
// the head's, so each change can say whether it comes from the files, from live, or both. Files
// that no longer validate at the base, or a base that cannot be read at all, are warnings of the
// plan: they never fail the head's plan.
import { count } from "../count.js";
import { MissingFolderError, S3apError } from "../errors.js";
import type { SourceInfo } from "../model.js";
import type { BaseInput } from "../reconcile/origin.js";
import type { DesiredState } from "../validate/load-desired-state.js";
import { withDesiredState } from "./desired-state.js";
import type { BaseOptions, SourceOptions } from "./options.js";

/** Base problems named one by one in the plan; the rest are counted. */
const LISTED_PROBLEMS = 10;

/**
 * Reads the base revision, or takes the head's files when they are the base (a clean working
 * tree at HEAD: a scheduled run), so that case costs nothing. Undefined outside git: no base.
 */
export async function readBaseRevision(
  options: SourceOptions & BaseOptions & { account?: readonly string[] },
  cwd: string,
  head: SourceInfo,
  headState: DesiredState,
): Promise<BaseInput | undefined> {
  const ref = options.base ?? "HEAD";
  if (head.noCommit === "not a git repository") return undefined;
  const headIsBase =
    (options.base === undefined &&
      options.ref === undefined &&
      options.repo === undefined &&
      head.commit !== null &&
      !head.dirty) ||
    (options.base !== undefined &&
      (options.base === options.ref || (options.base === head.commit && !head.dirty)));
  if (headIsBase) return baseOf(ref, head.commit, headState);
  if (head.noCommit === "no commit yet" && options.base === undefined) {
    // Nothing is committed: every file is new.
    return { ref, commit: null, desired: [], invalidFiles: new Set(), warnings: [] };
  }
  try {
    // The base's s3ap.yaml rules are not judged: its exceptions are the head's business.
    return await withDesiredState(
      { ...options, ref },
      cwd,
      undefined,
      async (source, state) => baseOf(ref, source.commit, state),
      // Checked in slices, so that the head's reads started ahead go on meanwhile; a shard's
      // base, like its head, only for its accounts.
      () => ({
        onValid: () => {},
        ...(options.account !== undefined ? { accounts: new Set(options.account) } : {}),
      }),
    );
  } catch (error) {
    // A base before the policies folder existed: every file of the head is new.
    if (error instanceof MissingFolderError) {
      return { ref, commit: null, desired: [], invalidFiles: new Set(), warnings: [] };
    }
    if (!(error instanceof S3apError)) throw error;
    return {
      ref,
      unreadable:
        `the base revision ${ref} could not be read (${error.message}): ` +
        "no change is told apart from drift in this plan",
    };
  }
}

function baseOf(ref: string, commit: string | null, state: DesiredState): BaseInput {
  const errors = state.problems.filter((p) => p.severity === "error");
  const listed = errors
    .slice(0, LISTED_PROBLEMS)
    .map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  const more = errors.length - LISTED_PROBLEMS;
  const warnings =
    errors.length === 0
      ? []
      : [
          `${count(new Set(errors.map((p) => p.file)).size, "file")} did not validate at the base revision ${ref}: their changes are measured from live`,
          ...listed,
          ...(more > 0 ? [`and ${count(more, "more problem")}`] : []),
        ];
  return {
    ref,
    commit,
    desired: state.desired,
    invalidFiles: new Set(errors.map((p) => p.file)),
    warnings,
  };
}
