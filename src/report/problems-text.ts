import { join, relative, sep } from "node:path";
import type { Problem, SourceInfo } from "../model.js";
import { terminalText } from "./sinks/terminal.js";

/**
 * `path:line:col: error: message [rule]` (or `warning:`), one line a problem: the form compilers
 * use, so editors and CI log matchers pick the severity up. Paths are relative to the current
 * directory when the files are there (so editors and terminals can jump to them), and relative
 * to the repository root when they were read from a clone or another revision. A warning an
 * s3ap.yaml exception excuses says so, with the exception's id, owner and date.
 */
export function renderProblemsText(
  problems: readonly Problem[],
  source: SourceInfo,
  cwd: string,
): string {
  return problems
    .map(
      (p) =>
        `${terminalText(displayPath(p.file, source, cwd))}:${p.line}:${p.col}: ${p.severity}: ${terminalText(p.message)} [${terminalText(p.rule)}]${exceptedText(p)}\n`,
    )
    .join("");
}

export function displayPath(file: string, source: SourceInfo, cwd: string): string {
  const absolute = join(source.root, file);
  const fromCwd = relative(cwd, absolute);
  if (fromCwd.startsWith("..") || fromCwd === "") return file;
  return fromCwd.split(sep).join("/");
}

/** ` (excepted: exception "id" of owner until D)` for a warning s3ap.yaml excuses, else "". */
export function exceptedText(problem: Problem): string {
  const e = problem.exception;
  if (e === undefined) return "";
  return terminalText(
    ` (excepted: s3ap.yaml exception "${e.id}" of ${e.owner} until ${e.expires})`,
  );
}
