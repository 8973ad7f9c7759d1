// `s3ap import`: the run layer's import, reported on the terminal.
import { renderImportText } from "../report/import-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { refusalText } from "../report/refusal-text.js";
import type { ImportOptions } from "../run/commands.js";
import { importExitCode, runImportCommand } from "../run/import.js";
import { CLI_NAMES } from "../run/option-names.js";
import type { CommandIO } from "./io.js";

export async function cliImport(options: ImportOptions, io: CommandIO): Promise<number> {
  if (options.account === undefined || options.region === undefined) {
    io.stderr(
      "s3ap import: give at least one --account and one --region (repeat them or separate with commas).\n",
    );
    return 1;
  }
  const run = await runImportCommand(options, {
    cwd: io.cwd,
    env: io.env,
    now: Date.now,
    names: CLI_NAMES,
  });
  if (run.status === "invalid-config") {
    const here = { root: run.root, policiesDir: run.root, commit: null, dirty: true };
    io.stderr(renderProblemsText(run.problems, here, io.cwd));
    return importExitCode(run, options.strict);
  }
  const { outcome } = run;
  const text = renderImportText(outcome, {
    cwd: io.cwd,
    verbose: options.verbose,
    word: (refusal) => refusalText(refusal, CLI_NAMES),
  });
  if (outcome.status === "refused") io.stderr(text);
  else io.stdout(text);
  return importExitCode(run, options.strict);
}
