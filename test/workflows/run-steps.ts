// Walks a job's steps the way a runner would: `if:` and `env:` are evaluated by GitHub's
// expression evaluator (a failed step skips the steps after it unless their `if:` asks for
// always(), failure() or !cancelled()); `run:` steps that decide something (they have an `id:` or
// an `if:`) run in bash with a GITHUB_OUTPUT file; other run steps (npm ci, builds) are recorded,
// not run. `uses:` steps are recorded (runSteps), or handed to a handler that runs them
// (runStepsWith: an action in a test, against test servers).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Contexts, evaluateCondition, evaluateTemplate } from "./expressions.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by the tests themselves
type Yaml = any;

export interface UsedStep {
  uses: string;
  /** The evaluated `with:` inputs. */
  with: Record<string, string>;
}

export interface StepTrace {
  /** The `uses:` steps reached, with their evaluated `with:` inputs. */
  used: UsedStep[];
  /** Everything the run steps printed. */
  log: string;
  /** The first step that failed the job, if one did. */
  failedStep?: string;
  /** The job's `outputs:`, evaluated once its steps are done. */
  outputs: Record<string, string>;
}

/** What a `uses:` step did: its outputs, and whether it succeeded. */
export interface UsesResult {
  outputs: Record<string, string>;
  ok: boolean;
}

/** The steps as a sequence: each `uses:` step is yielded, and resumed with what it did. */
function* walk(job: Yaml, contexts: Contexts): Generator<UsedStep, StepTrace, UsesResult> {
  const folder = mkdtempSync(join(tmpdir(), "s3ap-steps-"));
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const trace: StepTrace = { used: [], log: "", outputs: {} };
  try {
    for (const [index, step] of (job.steps as Yaml[]).entries()) {
      const scope = { ...contexts, steps };
      if (!evaluateCondition(step.if, scope, trace.failedStep !== undefined)) continue;
      const name = String(step.name ?? step.id ?? step.uses ?? index);
      if (step.uses !== undefined) {
        const inputs: Record<string, string> = {};
        for (const [key, value] of Object.entries(step.with ?? {}))
          inputs[key] = evaluateTemplate(value, scope);
        const used = { uses: String(step.uses), with: inputs };
        trace.used.push(used);
        const result = yield used;
        if (step.id) {
          steps[step.id] = {
            outputs: result.outputs,
            outcome: result.ok ? "success" : "failure",
          };
        }
        if (!result.ok) trace.failedStep ??= name;
        continue;
      }
      if (step.id === undefined && step.if === undefined) continue;
      const outputFile = join(folder, `output-${index}`);
      writeFileSync(outputFile, "");
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_OUTPUT: outputFile };
      for (const [key, value] of Object.entries(step.env ?? {}))
        env[key] = evaluateTemplate(value, scope);
      const script = evaluateTemplate(step.run, scope);
      const result = spawnSync("bash", ["-e", "-c", script], { env, encoding: "utf8" });
      trace.log += result.stdout + result.stderr;
      const outputs: Record<string, string> = {};
      for (const line of readFileSync(outputFile, "utf8").split("\n")) {
        const at = line.indexOf("=");
        if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
      }
      if (step.id) {
        steps[step.id] = { outputs, outcome: result.status === 0 ? "success" : "failure" };
      }
      if (result.status !== 0) trace.failedStep ??= name;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  for (const [key, value] of Object.entries(job.outputs ?? {}))
    trace.outputs[key] = evaluateTemplate(value, { ...contexts, steps });
  return trace;
}

/** The job's steps, `uses:` steps recorded only (they succeed with no outputs). */
export function runSteps(job: Yaml, contexts: Contexts): StepTrace {
  const steps = walk(job, contexts);
  let next = steps.next();
  while (!next.done) next = steps.next({ outputs: {}, ok: true });
  return next.value;
}

/** The job's steps, each `uses:` step run by `uses`. */
export async function runStepsWith(
  job: Yaml,
  contexts: Contexts,
  uses: (step: UsedStep) => Promise<UsesResult>,
): Promise<StepTrace> {
  const steps = walk(job, contexts);
  let next = steps.next();
  while (!next.done) next = steps.next(await uses(next.value));
  return next.value;
}
