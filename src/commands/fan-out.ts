// `s3ap accounts` (the shards of a fan-out run, as GitHub Actions matrix input) and
// `s3ap merge-plans` (the shard plans merged into the plan one job would have made): the run
// layer's accounts and merge-plans, printed.
import { renderApplyMarkdown, renderApplyText } from "../report/apply-text.js";
import { missingShardsText } from "../report/merge-text.js";
import { mergedPlanJsonChunks } from "../report/plan-json.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { refusalLine, refusedShardText } from "../report/refusal-text.js";
import { renderShardMatrix, renderShardsText } from "../report/shards.js";
import { terminalText } from "../report/sinks/terminal.js";
import { runAccounts } from "../run/accounts.js";
import type { AccountsOptions, MergeOptions } from "../run/commands.js";
import { displayRoot } from "../run/desired-state.js";
import { mergedApply, mergedExitCode, runMergePlans } from "../run/merge-plans.js";
import { CLI_NAMES } from "../run/option-names.js";
import { failOnReason } from "../run/outcome-text.js";
import type { CommandIO } from "./io.js";
import { checkOutPath, writeOutFile } from "./out-file.js";

export async function cliAccounts(options: AccountsOptions, io: CommandIO): Promise<number> {
  const outcome = await runAccounts(options, io.cwd, Date.now());
  switch (outcome.status) {
    case "invalid":
      io.stderr(
        renderProblemsText(
          outcome.problems,
          outcome.source,
          displayRoot(options, io.cwd, outcome.source),
        ),
      );
      io.stderr("s3ap: the policy files have problems; no shards were computed.\n");
      return 1;
    case "refused":
      io.stderr(`s3ap: ${terminalText(refusalLine(outcome.refusal, CLI_NAMES))}\n`);
      return 1;
    case "sharded":
      io.stdout(
        options.format === "json"
          ? renderShardMatrix(outcome.shards)
          : renderShardsText(outcome.shards),
      );
      return 0;
  }
}

export async function cliMergePlans(
  paths: string[],
  options: MergeOptions,
  io: CommandIO,
): Promise<number> {
  const outPath = options.out !== undefined ? await checkOutPath(io.cwd, options.out) : undefined;
  const { merged } = runMergePlans({
    paths,
    cwd: io.cwd,
    ...(options.shards !== undefined ? { shards: { file: options.shards } } : {}),
    names: CLI_NAMES,
  });
  if (options.out !== undefined && outPath !== undefined) {
    await writeOutFile(options.out, outPath, mergedPlanJsonChunks(merged));
  }
  // Merged apply shards: what they wrote follows the plan, as after a one-job apply.
  const applied = mergedApply(merged);
  if (options.format === "json") for (const chunk of mergedPlanJsonChunks(merged)) io.stdout(chunk);
  else if (options.format === "markdown") {
    io.stdout(renderPlanMarkdown(merged, { names: CLI_NAMES }));
    if (applied !== undefined) {
      io.stdout(`\n${renderApplyMarkdown(applied.results, applied.stats)}`);
    }
  } else {
    io.stdout(renderPlanText(merged, { color: false }));
    if (applied !== undefined) {
      io.stdout(`\n${renderApplyText(merged, applied.results, applied.stats, { color: false })}`);
    }
  }
  const missing = missingShardsText(merged);
  if (missing !== "") io.stderr(`s3ap: ${terminalText(missing)}\n`);
  for (const shard of merged.refusedShards ?? []) {
    io.stderr(`s3ap: ${terminalText(refusedShardText(shard, CLI_NAMES))}\n`);
  }
  const failOn = options.failOn ?? [];
  const trustFailure = failOnReason(merged, failOn, CLI_NAMES);
  if (trustFailure !== undefined) io.stderr(`s3ap: ${terminalText(trustFailure)}\n`);
  return mergedExitCode(merged, failOn);
}
