// Which jobs of a workflow run for an event, the way GitHub decides it: in order, each job's `if:`
// sees the `needs` context (result and outputs) of the jobs it needs, and a job whose `if:` has no
// status function runs only when every job it needs succeeded. Outputs come from walking the
// job's steps (runSteps), so a job that decides something (e.g. whether AWS can be reached)
// decides it here too.
import { type Contexts, evaluateCondition } from "./expressions.js";
import { runSteps } from "./run-steps.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by the tests themselves
type Yaml = any;

export type JobResult = "success" | "failure" | "skipped";

export interface JobsRun {
  /** The jobs that ran, in file order. */
  ran: string[];
  results: Record<string, JobResult>;
  /** What the jobs with `outputs:` printed while their steps were walked. */
  log: string;
}

/**
 * `fail`: jobs that fail when they run (e.g. a matrix job one of whose shards failed).
 * Jobs must come after the jobs they need, as in the workflows here.
 */
export function runJobs(workflow: Yaml, contexts: Contexts, fail: readonly string[] = []): JobsRun {
  const results: Record<string, JobResult> = {};
  const outputs: Record<string, Record<string, string>> = {};
  const run: JobsRun = { ran: [], results, log: "" };
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
    let failed = fail.includes(id);
    if (job.outputs !== undefined) {
      const trace = runSteps(job, { ...contexts, needs });
      run.log += trace.log;
      outputs[id] = trace.outputs;
      failed ||= trace.failedStep !== undefined;
    }
    results[id] = failed ? "failure" : "success";
  }
  return run;
}
