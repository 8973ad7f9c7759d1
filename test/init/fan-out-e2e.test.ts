// The fan-out workflows `s3ap init` wrote (S3AP_FAN_OUT = true), run job by job where they can hurt
// users: a pull request one of whose shards fails (or that breaks a file), the scheduled drift
// check that syncs drift issues from the merged plan, and the remediating schedule (also with one
// account's apply role refused). Each runs against moto (behind a proxy that can refuse a role),
// s3ap's local endpoint as CloudTrail, and a fake GitHub API; most compare with the one job.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { count } from "../../src/count.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { type FakeIssue, useFakeGitHub } from "../github/fake-github.js";
import { ACCOUNT } from "../support/account.js";
import { cloudTrailRecord } from "../support/cloudtrail-records.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  actionsPolicy,
  actionsPolicyYaml,
  createPolicyRepo,
  type PolicyRepo,
} from "../support/policy-repo.js";
import { type RecordingProxy, startRecordingProxy } from "../support/recording-proxy.js";
import {
  gitIn,
  PLAN_WORKFLOW,
  pullRequestEvent,
  RECONCILE_WORKFLOW,
  type RunOptions,
  type WorkflowEvent,
  workflowRunner,
} from "./workflow-harness.js";

const OTHER = "444455556666";
const ROLE_TEMPLATE = "arn:aws:iam::${accountId}:role/s3ap-plan";
const roleOf = (account: string) => `arn:aws:iam::${account}:role/s3ap-plan`;

const github = useFakeGitHub();
let moto: MotoServer;
let proxy: RecordingProxy;
/** s3ap's local endpoint, as CloudTrail: it replays recorded events of who edited a policy. */
let cloudTrail: LocalEndpoint;
let seed: LiveSeed;
let folder: string;
let repo: PolicyRepo;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.url);
  cloudTrail = await startLocalEndpoint();
  seed = new LiveSeed(moto.url);
  folder = mkdtempSync(join(tmpdir(), "s3ap-fan-out-e2e-"));
}, 60_000);

afterAll(async () => {
  seed?.destroy();
  await proxy?.stop();
  await cloudTrail?.close();
  await moto?.stop();
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  github.reset();
  proxy.refuse.clear();
  proxy.clear();
  cloudTrail.reset();
  await moto.reset();
  repo = createPolicyRepo();
  const result = await runner.init(repo.root);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return () => repo.remove();
}, 60_000);

/** What configure-aws-credentials leaves for the s3ap steps: the test endpoints. */
const awsEnv = () => ({
  ...TEST_AWS_ENV,
  AWS_ENDPOINT_URL_S3_CONTROL: proxy.url,
  AWS_ENDPOINT_URL_STS: proxy.url,
  AWS_ENDPOINT_URL_CLOUDTRAIL: cloudTrail.url,
});
const runner = workflowRunner(github, () => folder, awsEnv);
/** The shard of `account` fails at its first AWS step (the hub role, or the runner, is gone). */
const shardDies =
  (account: string): NonNullable<RunOptions["aws"]> =>
  (_role, place) =>
    place.matrix?.shard === account ? "fail" : awsEnv();
const git = (...args: string[]) => gitIn(repo.root, ...args);
const file = (account: string, name: string, actions: string[]) =>
  actionsPolicyYaml(account, name, actions);
const policyPath = (account: string, name: string) => `policies/${account}/us-east-1/${name}.yaml`;

/** The actions of the first statement of an access point's live policy, sorted. */
const liveActions = async (account: string, name: string) => {
  const text = await seed.policyText(account, name);
  const statement = JSON.parse(text ?? "{}").Statement?.[0];
  return [statement?.Action].flat().sort();
};

/** The plan JSON's changes, in ARN order. */
const changesOf = (text: string | undefined) =>
  // biome-ignore lint/suspicious/noExplicitAny: the plan JSON, checked field by field
  (JSON.parse(text ?? "{}").changes as any[]).sort((a, b) =>
    String(a.arn).localeCompare(String(b.arn)),
  );

/** alpha-ap in ACCOUNT and beta-ap in OTHER, in sync on main; returns main's commit. */
async function twoAccounts(): Promise<string> {
  repo.write(policyPath(ACCOUNT, "alpha-ap"), file(ACCOUNT, "alpha-ap", ["s3:GetObject"]));
  repo.write(policyPath(OTHER, "beta-ap"), file(OTHER, "beta-ap", ["s3:GetObject"]));
  const base = repo.commit("two accounts");
  await seed.accessPoint(ACCOUNT, "alpha-ap", actionsPolicy(ACCOUNT, "alpha-ap", ["s3:GetObject"]));
  await seed.accessPoint(OTHER, "beta-ap", actionsPolicy(OTHER, "beta-ap", ["s3:GetObject"]));
  return base;
}

/**
 * Seeds an access point as the account's own credentials: what a run with roles per account reads
 * (moto keeps one store per account of the signing key; the base key's is another one).
 */
async function seedAsAccount(account: string, name: string, actions: string[]): Promise<void> {
  const own = asAccount(account);
  try {
    await own.accessPoint(account, name, actionsPolicy(account, name, actions));
  } finally {
    own.destroy();
  }
}

/** A seed signing as the account's own role (destroy it after use). */
function asAccount(account: string): LiveSeed {
  return new LiveSeed(
    moto.url,
    "us-east-1",
    fromTemporaryCredentials({
      params: { RoleArn: `arn:aws:iam::${account}:role/seed`, RoleSessionName: "seed" },
      clientConfig: { region: "us-east-1", endpoint: moto.url },
    }),
  );
}

describe("a fan-out pull request one of whose shards fails", () => {
  /** A pull request (#9) that lets the readers of `accounts` upload. */
  async function pullRequest(accounts = [ACCOUNT, OTHER]): Promise<WorkflowEvent> {
    const base = await twoAccounts();
    git("checkout", "-q", "-b", "readers-upload");
    for (const [account, name] of [
      [ACCOUNT, "alpha-ap"],
      [OTHER, "beta-ap"],
    ] as const) {
      if (!accounts.includes(account)) continue;
      repo.write(policyPath(account, name), file(account, name, ["s3:GetObject", "s3:PutObject"]));
    }
    const head = repo.commit("readers upload");
    github.pulls.set(9, head);
    return pullRequestEvent(github.repository, 9, head, base);
  }
  const comment = () => github.comments.find((c) => c.issue === 9)?.body ?? "";
  const titleOf = (body: string) => body.split("\n").find((line) => line.startsWith("## ")) ?? "";
  /** A comment without the run it links to, under the one job's title. */
  const comparable = (body: string) => body.replace(/actions\/runs\/\d+/g, "actions/runs/N");
  const withRoles = { S3AP_ACCOUNT_PLAN_ROLE: ROLE_TEMPLATE };
  const refusedRole = `cannot assume role ${roleOf(OTHER)} (from input role-arn) for account ${OTHER}`;

  test("its account's role cannot be assumed: the merged plan and the comment name the account, as the one job's do, and the run fails", async () => {
    const event = await pullRequest();
    await seedAsAccount(ACCOUNT, "alpha-ap", ["s3:GetObject"]);
    proxy.refuse.add(roleOf(OTHER));

    const single = await runner.run(repo.root, PLAN_WORKFLOW, event, { vars: withRoles });
    expect(single.results["pr-plan"]).toBe("failure");
    const singleComment = comment();
    const singlePlan = single.artifacts.get("s3ap-plan-pr-9");

    const run = await runner.run(repo.root, PLAN_WORKFLOW, event, {
      fanOut: true,
      vars: withRoles,
    });
    expect(run.ran).toEqual(["pr-gate", "pr-shards", "pr-plan-shard", "pr-plan-merge"]);
    expect(run.results["pr-plan-shard"]).toBe("failure");
    // The run fails: the merge step fails after it posted the comment.
    expect(run.results["pr-plan-merge"]).toBe("failure");
    expect(run.stepsRun.slice(-3)).toEqual([
      "pr-plan-merge: acme/s3ap merge-plans",
      "pr-plan-merge: actions/upload-artifact",
      "pr-plan-merge: acme/s3ap pr-comment",
    ]);
    const merged = changesOf(run.artifacts.get("s3ap-plan-pr-9"));
    expect(merged.map((c) => [c.accountId, c.name, c.action])).toEqual([
      [ACCOUNT, "alpha-ap", "update"],
      [OTHER, "beta-ap", "error"],
    ]);
    expect(merged[1].reason).toContain(refusedRole);
    expect(merged).toEqual(changesOf(singlePlan));

    const body = comment();
    expect(github.comments.filter((c) => c.issue === 9)).toHaveLength(1);
    expect(titleOf(body)).toBe(
      "## s3ap plan · this pull request ⚠️ **widens access** · ❌ 1 access point not planned",
    );
    expect(body).toContain("> ❌ **1 access point could not be read or planned**");
    expect(body).toContain(`<code>${OTHER}/us-east-1/beta-ap</code>`);
    expect(body).toContain(refusedRole.replace(/:/g, "&#58;"));
    expect(body).not.toContain("✅");
    expect(comparable(body)).toEqual(comparable(singleComment));
    expect(run.summaryOf("pr-plan-merge", "merge-plans")).toContain(
      "## s3ap plan (2 shards merged) · this pull request ⚠️ **widens access** · ❌ 1 access point not planned",
    );
    // Nothing was read in the refused account; the other was planned with its own role.
    expect([...new Set(proxy.s3control.map((r) => r.accountId))]).toEqual([ACCOUNT]);
  }, 120_000);

  test("the pull request changes only the refused account: the title says what was not planned, not that nothing changes", async () => {
    const event = await pullRequest([OTHER]);
    await seedAsAccount(ACCOUNT, "alpha-ap", ["s3:GetObject"]);
    proxy.refuse.add(roleOf(OTHER));
    const run = await runner.run(repo.root, PLAN_WORKFLOW, event, {
      fanOut: true,
      vars: withRoles,
    });
    expect(run.results["pr-plan-merge"]).toBe("failure");
    const body = comment();
    expect(titleOf(body)).toBe("## s3ap plan · ❌ 1 access point not planned");
    expect(body).not.toContain("changes no access point's policy");
    expect(body).toContain(
      "This pull request changes the policy of no access point that was planned; the errors above say which were not.",
    );
  }, 120_000);

  test("its job dies before it uploads a plan: the merged plan and the comment name the account, and the run fails", async () => {
    const event = await pullRequest();
    await seed.accessPoint(
      ACCOUNT,
      "alpha-ap",
      actionsPolicy(ACCOUNT, "alpha-ap", ["s3:GetObject"]),
    );
    const run = await runner.run(repo.root, PLAN_WORKFLOW, event, {
      fanOut: true,
      aws: shardDies(OTHER),
    });
    expect(run.ran).toEqual(["pr-gate", "pr-shards", "pr-plan-shard", "pr-plan-merge"]);
    expect(run.results["pr-plan-shard"]).toBe("failure");
    expect(run.results["pr-plan-merge"]).toBe("failure");
    expect(run.stepsRun.filter((s) => s.endsWith("acme/s3ap plan"))).toEqual([
      `pr-plan-shard (${ACCOUNT}): acme/s3ap plan`,
    ]);
    expect([...run.artifacts.keys()].filter((name) => name.includes(OTHER))).toEqual([]);
    const merged = JSON.parse(run.artifacts.get("s3ap-plan-pr-9") ?? "{}");
    expect(merged.missingAccounts).toEqual([OTHER]);
    expect(changesOf(JSON.stringify(merged)).map((c) => [c.accountId, c.action])).toEqual([
      [ACCOUNT, "update"],
    ]);
    const body = comment();
    expect(titleOf(body)).toBe(
      "## s3ap plan · this pull request ⚠️ **widens access** · ❌ no plan for 1 account",
    );
    expect(body).toContain(
      `> ❌ **No plan for 1 account** (their shard jobs failed): <code>${OTHER}</code>.`,
    );
    expect(body).not.toContain("✅");
  }, 120_000);
});

/** The hourly run of reconcile.yml at main's `sha`. */
const schedule = (sha: string): WorkflowEvent => ({
  name: "schedule",
  sha,
  ref: "refs/heads/main",
  payload: { schedule: "17 * * * *" },
});
/** An issue as people read it, without the run it links to. */
const readable = (issue: FakeIssue) => ({
  title: issue.title,
  state: issue.state,
  labels: issue.labels,
  body: issue.body.replace(/actions\/runs\/\d+/g, "actions/runs/N"),
});
const driftIssues = () =>
  github.issues.filter((i) => i.title.startsWith("s3ap drift:")).map(readable);
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");

/** Drift that widens in both accounts: alpha-ap's reader may delete, beta-ap's may upload. */
async function widenBoth(): Promise<void> {
  await seed.accessPoint(
    ACCOUNT,
    "alpha-ap",
    actionsPolicy(ACCOUNT, "alpha-ap", ["s3:GetObject", "s3:DeleteObject"]),
  );
  await seed.accessPoint(
    OTHER,
    "beta-ap",
    actionsPolicy(OTHER, "beta-ap", ["s3:GetObject", "s3:PutObject"]),
  );
}

describe("the scheduled drift check in fan-out mode", () => {
  test("drift in two accounts opens one issue per access point as the one job does, with who made it; a second run writes nothing; fixed drift closes its issue, changed drift updates its own; a dead shard's issue is left open", async () => {
    const main = await twoAccounts();
    // Console edits (by an SSO user in ACCOUNT, by carol in OTHER).
    await widenBoth();
    const edits = () => [
      cloudTrailRecord("sso-user--console-edit", {
        eventTime: anHourAgo(),
        accessPoint: "alpha-ap",
      }),
      cloudTrailRecord("iam-user--cli", {
        eventTime: anHourAgo(),
        accessPoint: "beta-ap",
        accountId: OTHER,
      }),
    ];
    cloudTrail.replayCloudTrail(edits());
    const vars = { S3AP_ATTRIBUTE_DRIFT: "true" };

    const single = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), { vars });
    expect(single.ran).toEqual(["drift"]);
    expect(single.results.drift, single.log).toBe("success");
    const singleIssues = driftIssues();
    expect(singleIssues.map((i) => i.title)).toEqual([
      `s3ap drift: ${ACCOUNT}/us-east-1/alpha-ap — live widens access`,
      `s3ap drift: ${OTHER}/us-east-1/beta-ap — live widens access`,
    ]);
    for (const issue of singleIssues) {
      expect(issue.body).toMatch(/<!-- s3ap-drift-state: [0-9a-f]{64} -->/);
      expect(issue.body).toMatch(/<!-- s3ap-drift-who: [0-9a-f]{64} -->/);
    }

    // The same drift, seen by the fan-out run in a repository with no issues yet.
    github.reset();
    const fanned = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars,
      fanOut: true,
    });
    expect(fanned.ran).toEqual(["shards", "drift-shard", "drift-merge"]);
    for (const job of fanned.ran) expect(fanned.results[job], fanned.log).toBe("success");
    expect(fanned.stepsRun.slice(-2)).toEqual([
      "drift-merge: actions/upload-artifact",
      "drift-merge: acme/s3ap drift-issues",
    ]);
    expect(driftIssues()).toEqual(singleIssues);
    // Who made each drift, from its own account's CloudTrail, first.
    expect(singleIssues[0]?.body).toContain(
      "**Who changed it:** PutAccessPointPolicy by alice&#64;&#8203;example.com (IAM Identity Center",
    );
    expect(singleIssues[1]?.body).toContain(
      "**Who changed it:** PutAccessPointPolicy by IAM user carol with the AWS CLI",
    );

    // --- the next hour: the same drift writes nothing to GitHub.
    const writes = github.writeRequests().length;
    const again = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars,
      fanOut: true,
    });
    expect(again.results["drift-merge"], again.log).toBe("success");
    expect(github.writeRequests().length).toBe(writes);
    expect(driftIssues()).toEqual(singleIssues);

    // --- alpha-ap is put back by hand; beta-ap's reader may now delete as well.
    await seed.accessPoint(
      ACCOUNT,
      "alpha-ap",
      actionsPolicy(ACCOUNT, "alpha-ap", ["s3:GetObject"]),
    );
    await seed.accessPoint(
      OTHER,
      "beta-ap",
      actionsPolicy(OTHER, "beta-ap", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    );
    const later = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars,
      fanOut: true,
    });
    expect(later.results["drift-merge"], later.log).toBe("success");
    const [alpha, beta] = driftIssues();
    expect(github.issues.filter((i) => i.title.startsWith("s3ap drift:"))).toHaveLength(2);
    expect(alpha?.state).toBe("closed");
    expect(beta?.state).toBe("open");
    expect(beta?.body).not.toEqual(singleIssues[1]?.body);
    expect(beta?.body).toContain("s3&#58;DeleteObject");
    // One comment and a close for alpha-ap, one edit for beta-ap, nothing opened.
    expect(github.writeRequests().slice(writes)).toEqual([
      `POST /repos/${github.repository}/issues/1/comments`,
      `PATCH /repos/${github.repository}/issues/1`,
      `PATCH /repos/${github.repository}/issues/2`,
    ]);

    // --- beta-ap is put back too, but OTHER's shard dies: its issue is left as it is, the run fails.
    await seed.accessPoint(OTHER, "beta-ap", actionsPolicy(OTHER, "beta-ap", ["s3:GetObject"]));
    const quiet = github.writeRequests().length;
    const broken = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars,
      fanOut: true,
      aws: shardDies(OTHER),
    });
    expect(broken.results["drift-shard"]).toBe("failure");
    expect(broken.results["drift-merge"]).toBe("failure");
    expect(broken.stepsRun.at(-1)).toBe("drift-merge: acme/s3ap drift-issues");
    expect(github.writeRequests().length).toBe(quiet);
    expect(driftIssues()[1]?.state).toBe("open");
    // The next run that plans OTHER closes it.
    const healed = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars,
      fanOut: true,
    });
    expect(healed.results["drift-merge"], healed.log).toBe("success");
    expect(driftIssues().map((i) => i.state)).toEqual(["closed", "closed"]);
  }, 180_000);
});

describe("the remediating schedule in fan-out mode (S3AP_REMEDIATE = true)", () => {
  test("each shard reverts the drift remediate says to and reports the rest; the merged summary and the issues say what was written, as the one job's do", async () => {
    const config = readFileSync(join(repo.root, "s3ap.yaml"), "utf8");
    repo.write("s3ap.yaml", `${config}remediate:\n  widening: revert\n  narrowing: report\n`);
    repo.write(
      policyPath(OTHER, "gamma-ap"),
      file(OTHER, "gamma-ap", ["s3:GetObject", "s3:PutObject"]),
    );
    const main = await twoAccounts();
    /** Widening drift in both accounts, narrowing drift in OTHER. */
    const drift = async () => {
      await widenBoth();
      await seed.accessPoint(OTHER, "gamma-ap", actionsPolicy(OTHER, "gamma-ap", ["s3:GetObject"]));
    };
    const live = async () => ({
      alpha: await liveActions(ACCOUNT, "alpha-ap"),
      beta: await liveActions(OTHER, "beta-ap"),
      gamma: await liveActions(OTHER, "gamma-ap"),
    });
    const remediate = { S3AP_REMEDIATE: "true" };
    const comments = () =>
      github.comments.map((c) => ({
        issue: c.issue,
        body: c.body.replace(/actions\/runs\/\d+/g, "actions/runs/N"),
      }));

    // The one job: the hourly check opens the issues, then remediation is turned on.
    await drift();
    const opened = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main));
    expect(opened.results.drift, opened.log).toBe("success");
    expect(driftIssues().filter((i) => i.state === "open")).toHaveLength(3);
    const single = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      vars: remediate,
    });
    expect(single.ran).toEqual(["remediate"]);
    expect(single.results.remediate, single.log).toBe("success");
    const singleLive = await live();
    const singleIssues = driftIssues();
    const singleComments = comments();
    const singleSummary = single.summaryOf("remediate", "apply");

    // The same drift again, in a repository with no issues yet, fanned out.
    github.reset();
    await drift();
    const fannedOpen = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      fanOut: true,
    });
    expect(fannedOpen.results["drift-merge"], fannedOpen.log).toBe("success");
    const fanned = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      fanOut: true,
      vars: remediate,
    });
    expect(fanned.ran).toEqual(["shards", "remediate-shard", "drift-merge"]);
    for (const job of fanned.ran) expect(fanned.results[job], fanned.log).toBe("success");
    expect(fanned.stepsRun.filter((s) => s.includes("acme/s3ap"))).toEqual([
      "shards: acme/s3ap accounts",
      `remediate-shard (${ACCOUNT}): acme/s3ap apply`,
      `remediate-shard (${OTHER}): acme/s3ap apply`,
      "drift-merge: acme/s3ap merge-plans",
      "drift-merge: acme/s3ap drift-issues",
    ]);
    // Each shard wrote back its own widening drift; the narrowing drift is left, as one job does.
    expect(singleLive).toEqual({
      alpha: ["s3:GetObject"],
      beta: ["s3:GetObject"],
      gamma: ["s3:GetObject"],
    });
    expect(await live()).toEqual(singleLive);
    // The reverted drift closed its issues saying so; the reported one keeps its issue.
    expect(singleIssues.map((i) => [i.title.replace(/^s3ap drift: /, ""), i.state])).toEqual([
      [`${ACCOUNT}/us-east-1/alpha-ap — live widens access`, "closed"],
      [`${OTHER}/us-east-1/beta-ap — live widens access`, "closed"],
      [`${OTHER}/us-east-1/gamma-ap — live narrows access`, "open"],
    ]);
    expect(singleComments.map((c) => c.issue)).toEqual([1, 2]);
    expect(singleComments[0]?.body).toContain(
      `s3ap wrote the file's policy back to <code>${ACCOUNT}/us-east-1/alpha-ap</code> in this run`,
    );
    expect(driftIssues()).toEqual(singleIssues);
    expect(comments()).toEqual(singleComments);
    // The merged summary says what was written, and what was not, as the one job's does.
    const merged = fanned.summaryOf("drift-merge", "merge-plans");
    expect(merged).toMatch(/^## s3ap apply \(2 shards merged\) · ⚠️ \*\*live widens access\*\*/);
    const results = (summary: string) => summary.slice(summary.indexOf("\n## s3ap apply\n"));
    expect(results(singleSummary)).toContain(
      "2 applied and verified, 0 failed, 0 in sync, 0 observed (not written), 1 reported (held back by s3ap.yaml); 0 retries.",
    );
    expect(results(merged)).toEqual(results(singleSummary));
    const applySection = (summary: string) =>
      summary.slice(
        summary.indexOf("### What apply will do"),
        summary.indexOf("\n## s3ap apply\n"),
      );
    expect(applySection(singleSummary)).toContain(
      "| us-east-1 | update | enforce | not written: remediate.narrowing: report |",
    );
    expect(applySection(merged)).toEqual(applySection(singleSummary));
  }, 240_000);
});

describe("a fan-out pull request that breaks a file", () => {
  test("there are no shards: the comment is the one job's failure for that head, with the file's line", async () => {
    const base = await twoAccounts();
    git("checkout", "-q", "-b", "broken");
    repo.write(
      policyPath(OTHER, "beta-ap"),
      actionsPolicyYaml(OTHER, "beta-ap", ["s3:GetObject"], "mode: sometimes\n"),
    );
    const head = repo.commit("oops");
    github.pulls.set(10, head);
    const event = pullRequestEvent(github.repository, 10, head, base);
    const comment = () => github.comments.find((c) => c.issue === 10)?.body ?? "";
    const single = await runner.run(repo.root, PLAN_WORKFLOW, event);
    expect(single.results["pr-plan"]).toBe("failure");
    const singleComment = comment();
    expect(singleComment).toContain("s3ap plan · ❌ failed");

    const run = await runner.run(repo.root, PLAN_WORKFLOW, event, { fanOut: true });
    expect(run.ran).toEqual(["pr-gate", "pr-shards", "pr-plan-merge"]);
    expect(run.results["pr-shards"]).toBe("failure");
    expect(run.results["pr-plan-merge"]).toBe("success");
    expect(run.stepsRun.filter((s) => s.startsWith("pr-plan-merge"))).toEqual([
      "pr-plan-merge: actions/checkout",
      "pr-plan-merge: acme/s3ap pr-comment",
    ]);
    expect(github.comments.filter((c) => c.issue === 10)).toHaveLength(1);
    expect(comment()).toContain(`<!-- s3ap-head: ${head} -->`);
    expect(comment()).toMatch(/policies\/444455556666\/us-east-1\/beta-ap\.yaml&#58;\d+&#58;\d+/);
    const withoutRun = (body: string) => body.replace(/actions\/runs\/\d+/g, "actions/runs/N");
    expect(withoutRun(comment())).toEqual(withoutRun(singleComment));
  }, 120_000);
});

describe("a remediating shard whose account's apply role is refused", () => {
  test("the other shard reverts its drift; the refused account's issue stays open, the merged summary names the error, and the run fails", async () => {
    const config = readFileSync(join(repo.root, "s3ap.yaml"), "utf8");
    repo.write("s3ap.yaml", `${config}remediate:\n  widening: revert\n`);
    const main = await twoAccounts();
    for (const [account, name] of [
      [ACCOUNT, "alpha-ap"],
      [OTHER, "beta-ap"],
    ] as const) {
      await seedAsAccount(account, name, ["s3:GetObject", "s3:DeleteObject"]);
    }
    const vars = {
      S3AP_ACCOUNT_PLAN_ROLE: ROLE_TEMPLATE,
      S3AP_ACCOUNT_APPLY_ROLE: "arn:aws:iam::${accountId}:role/s3ap-apply",
    };
    const opened = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      fanOut: true,
      vars,
    });
    expect(opened.results["drift-merge"], opened.log).toBe("success");
    expect(driftIssues().map((i) => i.state)).toEqual(["open", "open"]);

    proxy.refuse.add(`arn:aws:iam::${OTHER}:role/s3ap-apply`);
    const run = await runner.run(repo.root, RECONCILE_WORKFLOW, schedule(main), {
      fanOut: true,
      vars: { ...vars, S3AP_REMEDIATE: "true" },
    });
    expect(run.ran).toEqual(["shards", "remediate-shard", "drift-merge"]);
    expect(run.results["remediate-shard"]).toBe("failure");
    expect(run.results["drift-merge"]).toBe("failure");
    expect(run.stepsRun.at(-1)).toBe("drift-merge: acme/s3ap drift-issues");
    const policyOf = async (account: string, name: string) => {
      const own = asAccount(account);
      try {
        const text = await own.policyText(account, name);
        return [JSON.parse(text ?? "{}").Statement?.[0]?.Action].flat().sort();
      } finally {
        own.destroy();
      }
    };
    expect(await policyOf(ACCOUNT, "alpha-ap")).toEqual(["s3:GetObject"]);
    expect(await policyOf(OTHER, "beta-ap")).toEqual(["s3:DeleteObject", "s3:GetObject"]);
    expect(driftIssues().map((i) => i.state)).toEqual(["closed", "open"]);
    const summary = run.summaryOf("drift-merge", "merge-plans");
    expect(summary).toContain("> ❌ **1 access point could not be read or planned**");
    // The shards' retries, added up.
    const retries = [ACCOUNT, OTHER]
      .map((account) => run.summaryOf(`remediate-shard (${account})`, "apply"))
      .reduce((sum, summary) => sum + Number(/; (\d+) retr(?:y|ies)\.\n/.exec(summary)?.[1]), 0);
    expect(summary).toContain(
      `1 applied and verified, 1 failed, 0 in sync, 0 observed (not written); ${count(retries, "retry", "retries")}.`,
    );
    expect(summary).toContain(`**Failed:** <code>${OTHER}/us-east-1/beta-ap</code>.`);
    expect(summary).toContain(
      `cannot assume role arn&#58;aws&#58;iam&#58;&#58;${OTHER}&#58;role/s3ap-apply`,
    );
    // Only the reverted drift's issue was written to: a comment saying so, then closed.
    expect(github.comments.map((c) => c.issue)).toEqual([1]);
    expect(github.comments[0]?.body).toContain(
      `s3ap wrote the file's policy back to <code>${ACCOUNT}/us-east-1/alpha-ap</code> in this run`,
    );
  }, 180_000);
});
