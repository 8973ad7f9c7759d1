// `s3ap validate`: the run layer's check of every policy file (schemas + lint), printed as text,
// JSON or SARIF. Exit 0 valid, 1 invalid (an error, or with --strict a warning).

import { renderProblemsText } from "../report/problems-text.js";
import { refusalLine } from "../report/refusal-text.js";
import { sarifLog } from "../report/sarif.js";
import { jsonDocument } from "../report/sinks/json.js";
import { terminalText } from "../report/sinks/terminal.js";
import { renderValidateJson, validateSummaryLine } from "../report/validate-report.js";
import type { ValidateOptions } from "../run/commands.js";
import { displayRoot } from "../run/desired-state.js";
import { CLI_NAMES } from "../run/option-names.js";
import { runValidate, validateExitCode } from "../run/validate.js";
import type { CommandIO } from "./io.js";

export async function cliValidate(options: ValidateOptions, io: CommandIO): Promise<number> {
  const outcome = await runValidate(options, io.cwd, Date.now());
  if (outcome.status === "refused") {
    io.stderr(`s3ap: ${terminalText(refusalLine(outcome.refusal, CLI_NAMES))}\n`);
    return validateExitCode(outcome, options.strict);
  }
  const { source, problems, desired, files } = outcome;
  switch (options.format) {
    case "json":
      io.stdout(
        renderValidateJson({
          formatVersion: 1,
          commit: source.commit,
          dirty: source.dirty,
          files,
          accessPoints: desired.length,
          problems,
        }),
      );
      break;
    case "sarif":
      io.stdout(jsonDocument(sarifLog(problems, desired)));
      break;
    case "text":
      io.stdout(renderProblemsText(problems, source, displayRoot(options, io.cwd, source)));
      io.stdout(`${validateSummaryLine(files, desired.length, problems, source)}\n`);
      break;
  }
  return validateExitCode(outcome, options.strict);
}
