// Walks a job's steps the way a runner would, far enough to see what credentials it asks for:
// `if:` and `env:` are evaluated by GitHub's expression evaluator; `run:` steps that decide
// something (they have an `id:` or an `if:`) run in bash with a GITHUB_OUTPUT file; other run
// steps (npm ci, builds) and `uses:` steps are recorded, not run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Contexts, evaluateCondition, evaluateTemplate } from "./expressions.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by the tests themselves
type Yaml = any;

export interface StepTrace {
  /** The `uses:` steps reached, with their evaluated `with:` inputs. */
  used: { uses: string; with: Record<string, string> }[];
  /** Everything the run steps printed. */
  log: string;
  /** The run step that failed the job, if one did. */
  failedStep?: string;
  /** The job's `outputs:`, evaluated once its steps are done. */
  outputs: Record<string, string>;
}

export function runSteps(job: Yaml, contexts: Contexts): StepTrace {
  const folder = mkdtempSync(join(tmpdir(), "s3ap-steps-"));
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const trace: StepTrace = { used: [], log: "", outputs: {} };
  try {
    for (const [index, step] of (job.steps as Yaml[]).entries()) {
      const scope = { ...contexts, steps };
      if (!evaluateCondition(step.if, scope)) continue;
      if (step.uses !== undefined) {
        const inputs: Record<string, string> = {};
        for (const [key, value] of Object.entries(step.with ?? {}))
          inputs[key] = evaluateTemplate(value, scope);
        trace.used.push({ uses: String(step.uses), with: inputs });
        if (step.id) steps[step.id] = { outputs: {} };
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
      if (step.id) steps[step.id] = { outputs };
      if (result.status !== 0) {
        trace.failedStep = String(step.name ?? step.id ?? index);
        break;
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  for (const [key, value] of Object.entries(job.outputs ?? {}))
    trace.outputs[key] = evaluateTemplate(value, { ...contexts, steps });
  return trace;
}
