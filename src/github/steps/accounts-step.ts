// The Action's accounts: the run layer's shards as the matrix output and a job summary table.

import { renderProblemsText } from "../../report/problems-text.js";
import { refusalLine } from "../../report/refusal-text.js";
import { renderShardMatrix, renderShardsMarkdown } from "../../report/shards.js";
import { terminalText } from "../../report/sinks/terminal.js";
import { workflowCommand } from "../../report/sinks/workflow-command.js";
import { runAccounts } from "../../run/accounts.js";
import type { AccountsOptions } from "../../run/commands.js";
import { displayRoot } from "../../run/desired-state.js";
import { ACTION_NAMES } from "../../run/option-names.js";
import { writeOutputs } from "../outputs.js";
import type { ActionContext } from "../step-context.js";
import { appendSummary } from "../summary.js";

export async function accountsStep(
  context: ActionContext,
  options: AccountsOptions,
): Promise<number> {
  const outcome = await runAccounts(options, context.cwd, context.now());
  if (outcome.status !== "sharded") {
    let reason: string;
    if (outcome.status === "invalid") {
      context.log(
        renderProblemsText(
          outcome.problems,
          outcome.source,
          displayRoot(options, context.cwd, outcome.source),
        ),
      );
      reason = "the policy files have problems; run s3ap validate";
    } else reason = refusalLine(outcome.refusal, ACTION_NAMES);
    context.log(workflowCommand("error", { title: "s3ap accounts failed" }, reason));
    writeOutputs(context.env, { matrix: "", "failure-reason": reason });
    return 1;
  }
  const { shards } = outcome;
  appendSummary(context.env, renderShardsMarkdown(shards));
  context.log(
    `s3ap: ${shards.length} shard(s): ${terminalText(shards.map((s) => s.shard).join(", "))}\n`,
  );
  writeOutputs(context.env, {
    matrix: renderShardMatrix(shards).trimEnd(),
    shards: String(shards.length),
    "failure-reason": "",
  });
  return 0;
}
