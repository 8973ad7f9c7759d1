// What `s3ap import` found and did, as plain data for the reports (report/import-text.ts).
import type { AccessPointRef, Mode, Problem, Refusal } from "../model.js";

export interface ImportedFile {
  ref: AccessPointRef;
  arn: string;
  /** Path relative to `root`, POSIX separators. */
  file: string;
  text: string;
  hasPolicy: boolean;
  /** allowPublic: true was written because the live policy is public. */
  public: boolean;
}

export interface ImportFailure {
  /** The access point's ARN, or the account/region that could not be listed. */
  target: string;
  message: string;
}

export type ImportOutcome =
  | {
      status: "refused";
      refusal: Refusal;
      /** Existing files that could not be read as declaring an access point. */
      problems: Problem[];
      root: string;
    }
  | {
      status: "imported";
      dryRun: boolean;
      /** The mode written into every file (--mode). */
      mode: Mode;
      /** What report paths are relative to. */
      root: string;
      /** Access points listed (after --only). */
      listed: number;
      /** Files written (in a dry run: that would be written). */
      written: ImportedFile[];
      /** Access points some file already declares: left alone. */
      skipped: { ref: AccessPointRef; arn: string; file: string }[];
      failures: ImportFailure[];
      /** What must be decided in the written files, at file:line:col. */
      problems: Problem[];
      /** What the user should know about the listing (e.g. Outposts not listed). */
      notes: string[];
    };
