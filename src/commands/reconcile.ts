// `s3ap plan` and `s3ap apply`: the run layer's plan or apply, with this file routing the report
// to stdout, stderr and --out.
import { setTimeout as sleep } from "node:timers/promises";
import type { Plan } from "../reconcile/types.js";
import { outcomePlanJson } from "../report/plan-json.js";
import { planTextChunks } from "../report/plan-text.js";
import { createProgress } from "../report/progress.js";
import { terminalText } from "../report/sinks/terminal.js";
import type { AwsFactories } from "../run/aws-access.js";
import { displayRoot } from "../run/desired-state.js";
import { exitCodeOf } from "../run/exit-code.js";
import { CLI_NAMES } from "../run/option-names.js";
import type { ApplyOptions, PlanOptions, ReportOptions } from "../run/options.js";
import { failOnReason, renderReport } from "../run/outcome-text.js";
import { type ReconcileRun, runReconcile } from "../run/run-reconcile.js";
import { type CommandIO, useColor } from "./io.js";
import { checkOutPath, writeOutFile } from "./out-file.js";

export type CliRun =
  | { command: "plan"; options: PlanOptions & ReportOptions }
  | { command: "apply"; options: ApplyOptions & ReportOptions };

/**
 * `factories` replace the AWS adapters in tests. A text report shows the plan of an apply as soon
 * as it is made, before the first write (the results follow when the writes are done), so a
 * terminal shows what is about to be written while it is written.
 */
export async function cliReconcile(
  run: CliRun,
  io: CommandIO,
  factories: AwsFactories = {},
): Promise<number> {
  const { options } = run;
  // A bad --out fails before anything is read, not after the plan has been made.
  const outPath = options.out !== undefined ? await checkOutPath(io.cwd, options.out) : undefined;
  const progress = createProgress({
    write: io.stderr,
    isTTY: io.isTTY && options.format === "text",
    now: Date.now,
  });
  const color = useColor(io, options.color) && options.format === "text";
  let planShown = false;
  /** The plan's text is being written while apply runs. */
  let showing = false;
  const { outcome, retries, notices } = await runReconcile(run as ReconcileRun, {
    ...factories,
    cwd: io.cwd,
    env: io.env,
    sleep: (ms) => sleep(ms),
    now: Date.now,
    names: CLI_NAMES,
    // Notes are kept in the JSON plan; the plain text report shows them only with --verbose.
    explain: options.format === "json" || options.out !== undefined,
    onProgress: (phase, done, total) => {
      // No bar cuts into the plan's text while it is still being shown.
      if (phase === "apply" && showing) return;
      progress.update(phase, done, total);
    },
    ...(options.format === "text"
      ? {
          onPlanned: async (plan: Plan) => {
            showing = true;
            progress.finish();
            // In chunks: the text of 10,000 changes is never held as one string. Between chunks
            // the first writes go out (apply runs alongside), then the next chunk is shown.
            const text = { color, verbose: options.verbose, names: CLI_NAMES };
            for (const chunk of planTextChunks(plan, text)) {
              io.stdout(chunk);
              await new Promise((resolve) => setImmediate(resolve));
            }
            io.stdout("\n");
            showing = false;
            planShown = true;
          },
        }
      : {}),
  }).finally(() => progress.finish());

  const report = renderReport(outcome, {
    format: options.format,
    color,
    verbose: options.verbose,
    retries,
    notices,
    root: displayRoot(options, io.cwd, outcome.source),
    names: CLI_NAMES,
    planShown,
    remediate: run.command === "apply" && run.options.remediate === true,
  });
  io.stderr(report.notes);
  io.stdout(report.stdout);
  if (report.json !== undefined) for (const chunk of report.json) io.stdout(chunk);
  io.stderr(report.stderr);
  const failOn = options.failOn ?? [];
  const trustFailure =
    "plan" in outcome && outcome.plan !== null
      ? failOnReason(outcome.plan, failOn, CLI_NAMES)
      : undefined;
  if (trustFailure !== undefined) io.stderr(`s3ap: ${terminalText(trustFailure)}\n`);
  // The same document as --format json (with `results` after an apply, `refusal` after a refused
  // one), written after the report so that a failed write never hides what an apply did.
  // Made only for --out: for 10,000 changes it is tens of megabytes.
  const planJson = outPath !== undefined ? outcomePlanJson(outcome, retries) : undefined;
  if (options.out !== undefined && outPath !== undefined && planJson !== undefined) {
    await writeOutFile(options.out, outPath, planJson);
  }
  return exitCodeOf(outcome, failOn);
}
