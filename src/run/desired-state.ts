// The desired state of every command that reads the policy files (validate, plan, apply,
// accounts): the source opened (working tree, revision or clone), and s3ap.yaml and the policy
// files of that one tree loaded and checked, s3ap.yaml's dates and exceptions on the day `now`
// (ms since the epoch) is in. The source is closed when `use` is done.
import type { SourceInfo } from "../model.js";
import { openSource } from "../source/git-source.js";
import {
  type DesiredState,
  type LoadProgress,
  loadDesiredState,
} from "../validate/load-desired-state.js";
import type { SourceOptions } from "./options.js";

export async function withDesiredState<T>(
  options: SourceOptions,
  cwd: string,
  /** The day s3ap.yaml's rules are judged on; undefined: not at all (a base revision). */
  now: number | undefined,
  use: (source: SourceInfo, state: DesiredState) => Promise<T>,
  /** What to do with each valid file while the rest are checked (plan and apply read ahead). */
  progress?: (source: SourceInfo) => LoadProgress | undefined,
): Promise<T> {
  const source = await openSource({
    cwd,
    dir: options.dir,
    ...(options.repo !== undefined ? { repo: options.repo } : {}),
    ...(options.ref !== undefined ? { ref: options.ref } : {}),
  });
  performance.mark("s3ap:source-opened");
  try {
    const info: SourceInfo = {
      root: source.root,
      policiesDir: source.policiesDir,
      commit: source.commit,
      dirty: source.dirty,
      ...(source.noCommit !== undefined ? { noCommit: source.noCommit } : {}),
    };
    const state = await loadDesiredState(info, progress?.(info), now);
    performance.mark("s3ap:validated");
    return await use(info, state);
  } finally {
    await source.close();
  }
}

/**
 * Where report paths are shown from: the cwd for the working tree around --dir (editors and
 * terminals can jump to them); a revision or a clone lives in a temporary folder, so those show
 * repository paths.
 */
export function displayRoot(options: SourceOptions, cwd: string, source: SourceInfo): string {
  return options.repo === undefined && options.ref === undefined ? cwd : source.root;
}
