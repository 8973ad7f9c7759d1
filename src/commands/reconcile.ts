// `s3ap plan` and `s3ap apply`: thin shells over reconcile() that print reports and pick the exit code.
import { rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { createS3ControlStore, DEFAULT_REQUEST_TIMEOUT_MS } from "../aws/s3control-store.js";
import type { StoreEvent } from "../aws/store-events.js";
import { exitCodeOf } from "../reconcile/exit-code.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { ReconcileOutcome } from "../reconcile/types.js";
import { renderApplyMarkdown, renderApplyText } from "../report/apply-text.js";
import { renderPlanJson } from "../report/plan-json.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { createProgress } from "../report/progress.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { type CommandIO, useColor } from "./io.js";
import {
  nonNegativeInteger,
  oneOf,
  positiveInteger,
  positiveNumber,
  resolveEndpointUrl,
} from "./options.js";

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_RATE = 50;

type Format = "text" | "json" | "markdown";

interface ReconcileFlags {
  dir: string;
  repo?: string;
  ref?: string;
  only?: string;
  format: Format;
  out?: string;
  endpointUrl?: string;
  concurrency: number;
  rate: number;
  requestTimeoutMs: number;
  maxChanges?: number;
  allowDirty?: boolean;
  dryRun?: boolean;
  color?: boolean;
  verbose?: boolean;
}

function addReconcileOptions(command: Command): Command {
  return command
    .option("--dir <dir>", "policies directory", "policies")
    .option(
      "--repo <path|url>",
      "read the desired state from this git repository (a URL is cloned shallowly)",
    )
    .option("--ref <ref>", "read the desired state at this git revision")
    .option(
      "--only <glob>",
      "only access points whose name, file, account/region/name or ARN match",
    )
    .option(
      "--format <format>",
      "text | json | markdown",
      oneOf("--format", ["text", "json", "markdown"] as const),
      "text",
    )
    .option("--out <file>", "also write the plan as JSON to this file")
    .option(
      "--endpoint-url <url>",
      "send every S3 Control request to this URL (or AWS_ENDPOINT_URL_S3_CONTROL)",
    )
    .option(
      "--concurrency <n>",
      "requests in flight at once",
      positiveInteger("--concurrency"),
      DEFAULT_CONCURRENCY,
    )
    .option(
      "--rate <n>",
      "requests per second per account and region",
      positiveNumber("--rate"),
      DEFAULT_RATE,
    )
    .option(
      "--request-timeout-ms <ms>",
      "abort and retry a request with no complete answer after this long",
      positiveInteger("--request-timeout-ms"),
      DEFAULT_REQUEST_TIMEOUT_MS,
    )
    .option("--no-color", "no ANSI colours (also NO_COLOR)")
    .option("-v, --verbose", "also list access points that are in sync");
}

export function registerReconcile(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  addReconcileOptions(
    program
      .command("plan")
      .description("read-only: compare desired policies with live state (exit 2: changes pending)"),
  ).action(async (flags: ReconcileFlags) => onExit(await runReconcile(flags, false, io)));
  addReconcileOptions(
    program
      .command("apply")
      .description("write the drift, then read it back (--dry-run: plan only)"),
  )
    .option("--dry-run", "plan only: never write (exit 2: changes pending)")
    .option(
      "--max-changes <n>",
      "refuse, writing nothing, when more than N writes are planned",
      nonNegativeInteger("--max-changes"),
    )
    .option("--allow-dirty", "apply even with uncommitted changes under the policies directory")
    .action(async (flags: ReconcileFlags) => onExit(await runReconcile(flags, !flags.dryRun, io)));
}

async function runReconcile(flags: ReconcileFlags, apply: boolean, io: CommandIO): Promise<number> {
  limitHeapGrowth();
  const endpointUrl = resolveEndpointUrl(flags.endpointUrl, io.env);
  const color = useColor(io, flags.color) && flags.format === "text";
  const progress = createProgress({
    write: io.stderr,
    isTTY: io.isTTY && flags.format === "text",
    now: Date.now,
  });
  let retries = 0;
  const onEvent = (event: StoreEvent) => {
    if (event.type === "retry") retries += 1;
  };
  let store: ReturnType<typeof createS3ControlStore> | undefined;
  const openStore = () => {
    store ??= createS3ControlStore({
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
      ratePerSecond: flags.rate,
      requestTimeoutMs: flags.requestTimeoutMs,
      onEvent,
    });
    return store;
  };
  const outcome = await reconcile(
    {
      cwd: io.cwd,
      dir: flags.dir,
      ...(flags.repo !== undefined ? { repo: flags.repo } : {}),
      ...(flags.ref !== undefined ? { ref: flags.ref } : {}),
      ...(flags.only !== undefined ? { only: flags.only } : {}),
      apply,
      allowDirty: flags.allowDirty === true,
      ...(flags.maxChanges !== undefined ? { maxChanges: flags.maxChanges } : {}),
      concurrency: flags.concurrency,
      // Notes are shown by --verbose and kept in the JSON plan; the plain text report omits them.
      explain: flags.verbose === true || flags.format === "json" || flags.out !== undefined,
    },
    {
      // One store behind both views, so reads and writes share the rate limit.
      openReader: openStore,
      openWriter: openStore,
      sleep: (ms) => sleep(ms),
      now: Date.now,
      onProgress: (phase, done, total) => progress.update(phase, done, total),
    },
  ).finally(() => {
    progress.finish();
    store?.destroy();
  });
  await report(outcome, flags, io, color, retries);
  return exitCodeOf(outcome);
}

async function report(
  outcome: ReconcileOutcome,
  flags: ReconcileFlags,
  io: CommandIO,
  color: boolean,
  retries: number,
): Promise<void> {
  if (outcome.status === "invalid") {
    // A revision or a clone lives in a temporary folder: show repository paths for those.
    const workingTree = flags.repo === undefined && flags.ref === undefined;
    io.stderr(
      renderProblemsText(
        outcome.problems,
        outcome.source,
        workingTree ? io.cwd : outcome.source.root,
      ),
    );
    io.stderr(
      `s3ap: ${outcome.problems.length} problems in the policy files; nothing was sent to AWS.\n`,
    );
    return;
  }
  const plan = outcome.plan;
  if (plan !== null && flags.out !== undefined)
    await writeAtomically(resolve(io.cwd, flags.out), renderPlanJson(plan));
  if (plan !== null) {
    const results = outcome.status === "applied" ? outcome.results : undefined;
    if (flags.format === "json") io.stdout(renderPlanJson(plan, results));
    else if (flags.format === "markdown") {
      io.stdout(renderPlanMarkdown(plan));
      if (results) io.stdout(`\n${renderApplyMarkdown(results, { retries })}`);
    } else {
      io.stdout(renderPlanText(plan, { color, verbose: flags.verbose === true }));
      if (results) io.stdout(`\n${renderApplyText(plan.commit, results, { retries }, { color })}`);
    }
  }
  if (outcome.status === "refused") io.stderr(`s3ap: refused: ${outcome.reason}\n`);
}

/** Writes via a temporary file and rename, so a reader never sees half a plan. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.s3ap-tmp`);
  await writeFile(temporary, content);
  await rename(temporary, path);
}
