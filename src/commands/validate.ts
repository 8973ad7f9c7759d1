// `s3ap validate`: offline check of every policy file (schemas + lint). Exit 0 valid, 1 invalid.
import type { Command } from "commander";
import type { Problem } from "../model.js";
import { renderProblemsText } from "../report/problems-text.js";
import { openSource } from "../source/git-source.js";
import { loadDesiredState } from "../validate/load-desired-state.js";
import type { CommandIO } from "./io.js";
import { oneOf } from "./options.js";

interface ValidateFlags {
  dir: string;
  repo?: string;
  ref?: string;
  format: "text" | "json";
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
  program
    .command("validate")
    .description(
      "offline: check every policy file against the schemas and lint rules (exit 1: invalid)",
    )
    .option("--dir <dir>", "policies directory", "policies")
    .option(
      "--repo <path|url>",
      "read the files from this git repository (a URL is cloned shallowly)",
    )
    .option("--ref <ref>", "read the files at this git revision")
    .option(
      "--format <format>",
      "text | json",
      oneOf("--format", ["text", "json"] as const),
      "text",
    )
    .action(async (flags: ValidateFlags) => onExit(await runValidate(flags, io)));
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
    if (flags.format === "json") {
      const report: ValidateReport = {
        formatVersion: 1,
        commit: source.commit,
        dirty: source.dirty,
        files: state.files,
        accessPoints: state.desired.length,
        problems: state.problems,
      };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      // Paths are relative to the cwd only for the working tree around --dir (editors can jump to
      // them); a revision or a clone lives in a temporary folder, so paths are repository paths.
      const workingTree = flags.repo === undefined && flags.ref === undefined;
      io.stdout(renderProblemsText(state.problems, source, workingTree ? io.cwd : source.root));
      io.stdout(
        `${summaryLine(state.files, state.desired.length, state.problems.length)}${origin(source)}\n`,
      );
    }
    return state.problems.length === 0 ? 0 : 1;
  } finally {
    await source.close();
  }
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** `N files, M access points, K problems`. */
export function summaryLine(files: number, accessPoints: number, problems: number): string {
  return `${count(files, "file")}, ${count(accessPoints, "access point")}, ${count(problems, "problem")}`;
}

function origin(source: { commit: string | null; dirty: boolean }): string {
  if (source.commit === null) return " (not a git repository)";
  return ` at commit ${source.commit}${source.dirty ? " with uncommitted changes" : ""}`;
}
