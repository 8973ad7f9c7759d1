// `s3ap plan` and `s3ap apply`: commander flags from the shared option tables, then the shared
// run layer (run/); this file only routes the report to stdout, stderr and --out.
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { exitCodeOf } from "../reconcile/exit-code.js";
import { renderPlanJson } from "../report/plan-json.js";
import { createProgress } from "../report/progress.js";
import {
  ALL_OPTIONS,
  type CliReportOptions,
  type ReconcileOptions,
  type RunCommand,
} from "../run/options.js";
import { displayRoot, renderReport } from "../run/outcome-text.js";
import { runReconcile } from "../run/run-reconcile.js";
import { addFlags, optionsOf } from "./flags.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { type CommandIO, useColor } from "./io.js";
import { checkOutPath, writeOutFile } from "./out-file.js";

type CliFlags = Omit<ReconcileOptions, "allowDirty" | "dryRun" | "verbose"> &
  Omit<CliReportOptions, "color"> & {
    allowDirty?: boolean;
    dryRun?: boolean;
    verbose?: boolean;
    color?: boolean;
  };

export function registerReconcile(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  const descriptions: Record<RunCommand, string> = {
    plan: "read-only: compare desired policies with live state (exit 2: changes pending)",
    apply: "write the drift, then read it back (--dry-run: plan only)",
  };
  for (const name of ["plan", "apply"] as const) {
    addFlags(
      program.command(name).description(descriptions[name]),
      optionsOf(ALL_OPTIONS, name),
    ).action(async (flags: CliFlags) => onExit(await runCommand(name, flags, io)));
  }
}

async function runCommand(command: RunCommand, flags: CliFlags, io: CommandIO): Promise<number> {
  limitHeapGrowth();
  // A bad --out fails before anything is read, not after the plan has been made.
  const outPath = flags.out !== undefined ? await checkOutPath(io.cwd, flags.out) : undefined;
  const options: ReconcileOptions = {
    ...flags,
    allowDirty: flags.allowDirty === true,
    dryRun: flags.dryRun === true,
    verbose: flags.verbose === true,
  };
  const progress = createProgress({
    write: io.stderr,
    isTTY: io.isTTY && flags.format === "text",
    now: Date.now,
  });
  const { outcome, retries, notices } = await runReconcile(command, options, {
    cwd: io.cwd,
    env: io.env,
    sleep: (ms) => sleep(ms),
    now: Date.now,
    // Notes are kept in the JSON plan; the plain text report shows them only with --verbose.
    explain: flags.format === "json" || flags.out !== undefined,
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  }).finally(() => progress.finish());

  const report = renderReport(outcome, {
    format: flags.format,
    color: useColor(io, flags.color) && flags.format === "text",
    verbose: options.verbose,
    retries,
    notices,
    root: displayRoot(options, io.cwd, outcome.source),
  });
  io.stdout(report.stdout);
  io.stderr(report.stderr);
  // The same document as --format json (with `results` after an apply), written after the
  // report so that a failed write never hides what an apply did.
  if (
    flags.out !== undefined &&
    outPath !== undefined &&
    "plan" in outcome &&
    outcome.plan !== null
  ) {
    const results = outcome.status === "applied" ? outcome.results : undefined;
    await writeOutFile(flags.out, outPath, renderPlanJson(outcome.plan, results));
  }
  return exitCodeOf(outcome);
}
