// The terminal report of `s3ap import`: what was written (or would be), skipped and failed, the
// problems to decide at file:line:col, and what to do next.
import { accessPointKey } from "../access-point/arn.js";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { ImportOutcome } from "../import/types.js";
import type { Problem, Refusal } from "../model.js";
import { renderProblemsText } from "./problems-text.js";
import { terminalText } from "./sinks/terminal.js";

export interface ImportTextOptions {
  cwd: string;
  /** Also list the access points skipped because a file declares them. */
  verbose?: boolean;
  /** The entry's words for a refusal (it names its own options). */
  word: (refusal: Refusal) => string;
}

export function renderImportText(outcome: ImportOutcome, options: ImportTextOptions): string {
  const source = { root: outcome.root, policiesDir: outcome.root, commit: null, dirty: false };
  if (outcome.status === "refused") {
    return `${renderProblemsText(outcome.problems, source, options.cwd)}s3ap import: refused: ${terminalText(options.word(outcome.refusal))}; nothing was written.\n`;
  }
  const lines: string[] = [];
  const verb = outcome.dryRun ? "would write" : "wrote";
  for (const file of outcome.written) {
    const what = file.hasPolicy ? (file.public ? "public policy" : "policy") : "no policy";
    lines.push(
      `+ ${terminalText(accessPointKey(file.ref))} (${what}): ${verb} ${terminalText(file.file)}`,
    );
    if (outcome.dryRun) {
      // The file's text quotes the live policy: every line through the terminal sink.
      appendAll(
        lines,
        file.text
          .trimEnd()
          .split("\n")
          .map((line) => `    ${terminalText(line)}`),
      );
      lines.push("");
    }
  }
  if (options.verbose) {
    for (const skipped of outcome.skipped) {
      lines.push(
        `= ${terminalText(accessPointKey(skipped.ref))}: already declared in ${terminalText(skipped.file)}`,
      );
    }
  }
  for (const failure of outcome.failures) {
    lines.push(`! ${terminalText(failure.target)}: ${terminalText(failure.message)}`);
  }
  let text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (outcome.problems.length > 0) {
    text += `\nTo decide before you commit (the files were ${outcome.dryRun ? "not written: dry run" : "written"}):\n`;
    text += renderProblemsText(outcome.problems, source, options.cwd);
    if (outcome.problems.some((p) => p.severity === "warning")) {
      text += "(warnings make import exit 1 only with --strict, as in validate, plan and apply)\n";
    }
  }
  for (const note of outcome.notes) text += `note: ${terminalText(note)}\n`;
  const written = outcome.written.length;
  const withoutPolicy = outcome.written.filter((f) => !f.hasPolicy).length;
  text +=
    `\n${outcome.dryRun ? "Dry run: would import" : "Imported"} ${count(written, "access point")}` +
    `${withoutPolicy > 0 ? ` (${withoutPolicy} without a policy)` : ""} of ${outcome.listed} listed; ` +
    `${outcome.skipped.length} already declared (skipped), ${count(outcome.failures.length, "failure")}, ` +
    `${toDecide(outcome.problems)} to decide.\n`;
  if (outcome.dryRun) text += "Nothing was written (--dry-run).\n";
  else if (written > 0) text += `${nextStep(outcome)}\n`;
  return text;
}

/** What to do with the written files, as it is true for them: errors first, then plan. */
function nextStep(outcome: Extract<ImportOutcome, { status: "imported" }>): string {
  if (outcome.problems.some((p) => p.severity === "error")) {
    return (
      "Next: decide each error above in its file until s3ap validate passes, then commit the " +
      "files and run s3ap plan."
    );
  }
  const observe =
    outcome.mode === "observe"
      ? ", then change mode: observe to mode: enforce where s3ap should write"
      : "";
  return (
    "Next: review the files, commit them and run s3ap plan (every imported access point is in " +
    `sync)${observe}.`
  );
}

/** `1 error, 2 warnings` (or `no problems`): the count by severity, as validate prints it. */
function toDecide(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return "no problems";
  return [errors > 0 ? count(errors, "error") : "", warnings > 0 ? count(warnings, "warning") : ""]
    .filter((part) => part !== "")
    .join(", ");
}
