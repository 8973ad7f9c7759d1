// The plain data of `s3ap init`: what it wrote, for the report.
import type { ActionPin } from "./workflow-files.js";

export interface InitFileResult {
  /** Relative to the repository root. */
  path: string;
  what: string;
  result: "written" | "exists" | "would write";
}

export interface InitOutcome {
  /** Where the files went: the repository's top level (or the folder, outside git). */
  root: string;
  /** false: not inside a git repository (the files are written all the same). */
  inGit: boolean;
  pin: ActionPin;
  dir: string;
  files: InitFileResult[];
}
