// `s3ap validate`: offline check of every policy file (schemas + lint), as text, JSON or SARIF.
// Exit 0 valid, 1 invalid (an error, or with --strict a warning).
import type { Command } from "commander";
import { count } from "../count.js";
import type { Problem } from "../model.js";
import { type Provenance, provenanceText } from "../report/labels.js";
import { renderProblemsText } from "../report/problems-text.js";
import { sarifLog } from "../report/sarif.js";
import { jsonDocument } from "../report/sinks/json.js";
import { type AnyOption, oneOf, RECONCILE_OPTIONS } from "../run/options.js";
import { openSource } from "../source/git-source.js";
import { loadDesiredState } from "../validate/load-desired-state.js";
import { noPolicyFiles } from "../validate/nothing-selected.js";
import { countBySeverity, problemsFail } from "../validate/severity.js";
import { addFlags } from "./flags.js";
import type { CommandIO } from "./io.js";

// NOTE for the option tables: the Action has no validate command (plan and apply validate first
// and annotate every problem), so these flags have no action inputs.
const VALIDATE_FORMATS = ["text", "json", "sarif"] as const;
const VALIDATE_OPTIONS: ReadonlyArray<readonly [string, AnyOption]> = [
  ["dir", RECONCILE_OPTIONS.dir],
  ["repo", RECONCILE_OPTIONS.repo],
  ["ref", RECONCILE_OPTIONS.ref],
  [
    "format",
    {
      kind: "value",
      flag: "--format <format>",
      description: VALIDATE_FORMATS.join(" | "),
      commands: [],
      parse: oneOf(VALIDATE_FORMATS),
      default: "text",
    },
  ],
  ["strict", RECONCILE_OPTIONS.strict],
];

interface ValidateFlags {
  dir: string;
  repo?: string;
  ref?: string;
  format: (typeof VALIDATE_FORMATS)[number];
  strict: boolean;
}

/** The JSON report of `s3ap validate --format json` (paths relative to the repository root). */
export interface ValidateReport {
  formatVersion: 1;
  commit: string | null;
  dirty: boolean;
  files: number;
  accessPoints: number;
  problems: Problem[];
}

export function registerValidate(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  addFlags(
    program
      .command("validate")
      .description(
        "offline: check every policy file against the schemas and lint rules (exit 1: invalid)",
      ),
    VALIDATE_OPTIONS,
  ).action(async (flags: ValidateFlags) => onExit(await runValidate(flags, io)));
}

export async function runValidate(flags: ValidateFlags, io: CommandIO): Promise<number> {
  const source = await openSource({
    cwd: io.cwd,
    dir: flags.dir,
    ...(flags.repo !== undefined ? { repo: flags.repo } : {}),
    ...(flags.ref !== undefined ? { ref: flags.ref } : {}),
  });
  try {
    const state = await loadDesiredState(source);
    if (state.files === 0 && state.problems.length === 0) throw noPolicyFiles(flags.dir);
    if (flags.format === "json") {
      const report: ValidateReport = {
        formatVersion: 1,
        commit: source.commit,
        dirty: source.dirty,
        files: state.files,
        accessPoints: state.desired.length,
        problems: state.problems,
      };
      io.stdout(jsonDocument(report));
    } else if (flags.format === "sarif") {
      io.stdout(jsonDocument(sarifLog(state.problems, state.desired)));
    } else {
      // Paths are relative to the cwd only for the working tree around --dir (editors can jump to
      // them); a revision or a clone lives in a temporary folder, so paths are repository paths.
      const workingTree = flags.repo === undefined && flags.ref === undefined;
      io.stdout(renderProblemsText(state.problems, source, workingTree ? io.cwd : source.root));
      io.stdout(
        `${summaryLine(state.files, state.desired.length, state.problems)}${origin(source)}\n`,
      );
    }
    return problemsFail(state.problems, flags.strict) ? 1 : 0;
  } finally {
    await source.close();
  }
}

/** `N files, M access points, K problems (E errors, W warnings)`. */
export function summaryLine(
  files: number,
  accessPoints: number,
  problems: readonly Problem[],
): string {
  const bySeverity = problems.length > 0 ? ` (${countBySeverity(problems)})` : "";
  return `${count(files, "file")}, ${count(accessPoints, "access point")}, ${count(problems.length, "problem")}${bySeverity}`;
}

function origin(source: Provenance): string {
  return source.commit === null ? ` (${provenanceText(source)})` : ` at ${provenanceText(source)}`;
}
