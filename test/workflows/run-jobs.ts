// Which jobs of a workflow run for an event, the way GitHub decides it: in order, each job's `if:`
// sees the `needs` context (result and outputs) of the jobs it needs, and a job whose `if:` has no
// status function runs only when every job it needs succeeded. Outputs come from walking the
// job's steps (runSteps), so a job that decides something (e.g. whether AWS can be reached)
// decides it here too; runJobsWith runs every step of every job, `uses:` steps by a handler, and a
// job with a `strategy.matrix` once per entry of its `include` (as fan-out's shard jobs are).
import { type Contexts, evaluateCondition, evaluateTemplate } from "./expressions.js";
import {
  runSteps,
  runStepsWith,
  type StepTrace,
  type UsedStep,
  type UsesResult,
} from "./run-steps.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by the tests themselves
type Yaml = any;

export type JobResult = "success" | "failure" | "skipped";

export interface JobsRun {
  /** The jobs that ran, in file order. */
  ran: string[];
  results: Record<string, JobResult>;
  /** What the jobs' steps printed while they were walked. */
  log: string;
  /** Each job's walk, for the jobs whose steps were walked. */
  traces: Record<string, StepTrace>;
}

/** A job to run now, with the contexts its steps see. */
interface DueJob {
  id: string;
  job: Yaml;
  contexts: Contexts;
}

/** The jobs in order: each one that runs is yielded and resumed with its walk (or none). */
function* schedule(
  workflow: Yaml,
  contexts: Contexts,
  fail: readonly string[],
): Generator<DueJob, JobsRun, StepTrace | undefined> {
  const results: Record<string, JobResult> = {};
  const outputs: Record<string, Record<string, string>> = {};
  const run: JobsRun = { ran: [], results, log: "", traces: {} };
  for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
    const needed: string[] = job.needs === undefined ? [] : [job.needs].flat();
    const needs: Record<string, unknown> = {};
    for (const other of needed) {
      const result = results[other];
      if (result === undefined) throw new Error(`job ${id} needs ${other}, which comes later`);
      needs[other] = { result, outputs: outputs[other] ?? {} };
    }
    const condition = job.if === undefined ? "success()" : String(job.if);
    if (/\b(success|failure|cancelled)\(\)/.test(condition) && job.if !== undefined)
      throw new Error(`job ${id}: only always() is modelled at job level`);
    const explicit = /\balways\(\)/.test(condition);
    const neededSucceeded = needed.every((other) => results[other] === "success");
    const runs =
      (explicit || neededSucceeded) && evaluateCondition(condition, { ...contexts, needs });
    if (!runs) {
      results[id] = "skipped";
      continue;
    }
    run.ran.push(id);
    const trace = yield { id, job, contexts: { ...contexts, needs } };
    let failed = fail.includes(id);
    if (trace !== undefined) {
      run.log += trace.log;
      run.traces[id] = trace;
      outputs[id] = trace.outputs;
      failed ||= trace.failedStep !== undefined;
    }
    results[id] = failed ? "failure" : "success";
  }
  return run;
}

/**
 * `fail`: jobs that fail when they run (e.g. a matrix job one of whose shards failed). Only jobs
 * with `outputs:` have their steps walked (their `uses:` steps recorded, not run). Jobs must come
 * after the jobs they need, as in the workflows here.
 */
export function runJobs(workflow: Yaml, contexts: Contexts, fail: readonly string[] = []): JobsRun {
  const jobs = schedule(workflow, contexts, fail);
  let next = jobs.next();
  while (!next.done) {
    const { job, contexts: scope } = next.value;
    next = jobs.next(job.outputs !== undefined ? runSteps(job, scope) : undefined);
  }
  return next.value;
}

export type MatrixEntry = Record<string, unknown>;

/** A job's matrix entries (its `include`, e.g. from fromJSON of an output), or none. */
export function matrixEntries(job: Yaml, contexts: Contexts): MatrixEntry[] | undefined {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return undefined;
  const expression = /^\$\{\{([\s\S]*)\}\}$/.exec(String(matrix).trim())?.[1];
  const value =
    expression === undefined
      ? matrix
      : JSON.parse(evaluateTemplate(`\${{ toJSON(${expression}) }}`, contexts));
  const keys = Object.keys(value ?? {});
  if (keys.length !== 1 || keys[0] !== "include" || !Array.isArray(value.include))
    throw new Error(
      `only a matrix of one \`include\` list is modelled, not ${JSON.stringify(value)}`,
    );
  return value.include;
}

/** The walks of a job's matrix entries as one: every step used, the first failure, the logs. */
function mergedTrace(traces: StepTrace[]): StepTrace {
  const merged: StepTrace = { used: [], log: "", outputs: {} };
  for (const trace of traces) {
    merged.used.push(...trace.used);
    merged.log += trace.log;
    if (trace.failedStep !== undefined) merged.failedStep ??= trace.failedStep;
    merged.outputs = trace.outputs;
  }
  return merged;
}

/**
 * Every step of every job that runs, each `uses:` step by `uses` (told which job it is in, and for
 * a matrix job which entry). A matrix job runs once per entry, one after the other, and fails
 * when one entry failed (fail-fast off, as in the workflows here).
 */
export async function runJobsWith(
  workflow: Yaml,
  contexts: Contexts,
  uses: (step: UsedStep, jobId: string, matrix?: MatrixEntry) => Promise<UsesResult>,
): Promise<JobsRun> {
  const jobs = schedule(workflow, contexts, []);
  let next = jobs.next();
  while (!next.done) {
    const { id, job, contexts: scope } = next.value;
    const entries = matrixEntries(job, scope);
    if (entries === undefined) {
      next = jobs.next(await runStepsWith(job, scope, (step) => uses(step, id)));
      continue;
    }
    const traces: StepTrace[] = [];
    for (const matrix of entries)
      traces.push(await runStepsWith(job, { ...scope, matrix }, (step) => uses(step, id, matrix)));
    next = jobs.next(mergedTrace(traces));
  }
  return next.value;
}
