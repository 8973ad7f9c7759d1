// The Action's fan-out commands: `accounts` (the shards as a matrix output) and `merge-plans`
// (the shard plans of a matrix merged into one plan, job summary and plan-path output).
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { count } from "../count.js";
import { InputError } from "../errors.js";
import { hasDrift } from "../reconcile/exit-code.js";
import { mergePlans } from "../reconcile/merge-plans.js";
import { MAX_MATRIX_JOBS } from "../reconcile/shards.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { markdownCode, markdownText } from "../report/sinks/markdown.js";
import { terminalText } from "../report/sinks/terminal.js";
import { workflowCommand } from "../report/sinks/workflow-command.js";
import {
  computeShards,
  listPlanFiles,
  mergedExitCode,
  missingShardsText,
  readPlans,
  type ShardMatrix,
} from "../run/fan-out.js";
import type { ActionInputs } from "./action-inputs.js";
import { writeOutputs } from "./outputs.js";
import { appendSummary, summaryBudget } from "./summary.js";

interface StepContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: (text: string) => void;
}

export async function accountsStep(context: StepContext, inputs: ActionInputs): Promise<number> {
  const { shards, problems } = await computeShards(
    {
      dir: inputs.dir,
      ...(inputs.repo !== undefined ? { repo: inputs.repo } : {}),
      ...(inputs.ref !== undefined ? { ref: inputs.ref } : {}),
      ...(inputs.only !== undefined ? { only: inputs.only } : {}),
      maxShards: MAX_MATRIX_JOBS,
    },
    context.cwd,
  );
  if (problems !== "") {
    context.log(problems);
    const reason = "the policy files have problems; run s3ap validate";
    context.log(workflowCommand("error", { title: "s3ap failed" }, reason));
    writeOutputs(context.env, { matrix: "", "failure-reason": reason });
    return 1;
  }
  const matrix: ShardMatrix = { include: shards };
  const lines = [
    "## s3ap shards",
    "",
    `${shards.length} shard(s), one matrix job each.`,
    "",
    "| Shard | Access points | Regions |",
    "|---|---|---|",
    ...shards.map(
      (s) =>
        `| ${markdownCode(s.shard)} | ${s.accessPoints} | ${markdownText(s.regions.join(", "))} |`,
    ),
    "",
  ];
  appendSummary(context.env, lines.join("\n"));
  context.log(
    `s3ap: ${shards.length} shard(s): ${terminalText(shards.map((s) => s.shard).join(", "))}\n`,
  );
  writeOutputs(context.env, {
    matrix: JSON.stringify(matrix),
    shards: String(shards.length),
    "failure-reason": "",
  });
  return 0;
}

export async function mergePlansStep(context: StepContext, inputs: ActionInputs): Promise<number> {
  if (inputs.planPath === undefined) {
    throw new InputError(
      "input plan-path is required for command merge-plans: the folder the shard plans were downloaded to.",
    );
  }
  const expected = inputs.shards !== undefined ? shardAccounts(inputs.shards) : undefined;
  // download-artifact makes no folder when every shard failed before its upload.
  const nothingCameBack =
    expected !== undefined && !existsSync(resolve(context.cwd, inputs.planPath));
  const plans = nothingCameBack ? [] : readPlans(listPlanFiles([inputs.planPath], context.cwd));
  const merged = mergePlans(plans, expected, context.env.GITHUB_SHA);
  const path = join(context.env.RUNNER_TEMP || tmpdir(), `s3ap-plan-${randomUUID()}.json`);
  await writeFile(path, `${JSON.stringify(merged, null, 2)}\n`);

  const missing = missingShardsText(merged);
  context.log(renderPlanText(merged, { color: false }));
  // The Markdown names the accounts with no plan itself, so the PR comment of this plan does too.
  appendSummary(
    context.env,
    renderPlanMarkdown(merged, {
      title: `s3ap plan (${count(plans.length, "shard")} merged)`,
      maxBytes: summaryBudget(context.env),
      fullPlanHint: "the merged plan JSON (`plan-path` output)",
    }),
  );
  const code = mergedExitCode(merged);
  const reason =
    missing !== ""
      ? missing.trim()
      : code === 1
        ? "some access points could not be planned or applied; see the merged plan"
        : code === 2 && inputs.failOnDrift
          ? "drift found (fail-on-drift)"
          : "";
  writeOutputs(context.env, {
    changes: String(hasDrift(merged)),
    create: String(merged.summary.create),
    update: String(merged.summary.update),
    delete: String(merged.summary.delete),
    noop: String(merged.summary.noop),
    error: String(merged.summary.error),
    "plan-path": path,
    "missing-accounts": (merged.missingAccounts ?? []).join(","),
    "failure-reason": reason,
  });
  if (reason !== "") {
    context.log(workflowCommand("error", { title: "s3ap failed" }, reason));
    return 1;
  }
  return 0;
}

/** The `matrix` output of the accounts step, passed back as the `shards` input. */
function shardAccounts(text: string): string[] {
  let matrix: ShardMatrix;
  try {
    matrix = JSON.parse(text) as ShardMatrix;
  } catch (error) {
    throw new InputError(`input shards is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(matrix?.include)) {
    throw new InputError("input shards is not the matrix output of command accounts");
  }
  return matrix.include.flatMap((shard) => String(shard.accounts).split(","));
}
