// `s3ap init` end to end: in an empty git repository it writes workflows actionlint finds clean,
// never overwrites, and each workflow's steps run as a runner would run them (the s3ap steps are
// the bundled action, against moto and a fake GitHub API): a pull request, a push to main, the
// schedule and a manual dry run.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { VERSION } from "../../src/version.js";
import { runBundledAction } from "../action/bundled-action.js";
import { useFakeGitHub } from "../github/fake-github.js";
import { ACCOUNT } from "../support/account.js";
import { CLI_PATH, spawnNode } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  actionsPolicy,
  actionsPolicyYaml,
  createPolicyRepo,
  type PolicyRepo,
} from "../support/policy-repo.js";
import { actionlint } from "../workflows/actionlint.js";
import { runJobsWith } from "../workflows/run-jobs.js";
import type { UsedStep, UsesResult } from "../workflows/run-steps.js";

const PIN_SHA = "0123456789abcdef0123456789abcdef01234567";
const PIN = `acme/s3ap@${PIN_SHA}`;
const PLAN_ROLE = "arn:aws:iam::999988887777:role/s3ap-hub-plan";
const APPLY_ROLE = "arn:aws:iam::999988887777:role/s3ap-hub-apply";
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

/** The bundled CLI installed the way npm installs it from a commit of GitHub. */
function installedCli(): string {
  const project = join(folder, "tools");
  const dist = join(project, "node_modules", "s3ap", "dist");
  mkdirSync(dist, { recursive: true });
  copyFileSync(CLI_PATH, join(dist, "cli.js"));
  const lock = {
    lockfileVersion: 3,
    packages: {
      "node_modules/s3ap": {
        version: VERSION,
        resolved: `https://github.com/acme/s3ap/archive/${PIN_SHA}.tar.gz`,
      },
    },
  };
  writeFileSync(join(project, "node_modules", ".package-lock.json"), JSON.stringify(lock));
  return join(dist, "cli.js");
}

async function init(...args: string[]) {
  return spawnNode(installedCli(), ["init", ...args], {
    cwd: repo.root,
    env: { ...process.env, NO_COLOR: "1" },
  }).done;
}

const file = (name: string, actions: string[], extra = "") =>
  actionsPolicyYaml(ACCOUNT, name, actions, extra);
const live = (actions: string[]) => actionsPolicy(ACCOUNT, "app-ap", actions);

const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo.root, encoding: "utf8", stdio: "pipe" }).trim();

const liveActions = async () => {
  const text = await seed.policyText(ACCOUNT, "app-ap");
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
  let runId = 100;

  /** Runs one workflow for one event; the s3ap steps are the bundled action. */
  async function runWorkflow(
    path: string,
    event: { name: string; payload: object; sha: string; ref: string },
    inputs: Record<string, unknown> = {},
  ) {
    runId += 1;
    const workflow = parse(readFileSync(join(repo.root, path), "utf8"));
    const temp = mkdtempSync(join(folder, "runner-"));
    const eventPath = join(temp, "event.json");
    writeFileSync(eventPath, JSON.stringify(event.payload));
    const contexts = {
      github: {
        event_name: event.name,
        event: event.payload,
        sha: event.sha,
        ref: event.ref,
        repository: github.repository,
        run_id: runId,
        token: github.token,
      },
      inputs,
      vars: {
        S3AP_PLAN_ROLE_ARN: PLAN_ROLE,
        S3AP_ROLE_ARN: APPLY_ROLE,
        AWS_REGION: "us-east-1",
        S3AP_FAN_OUT: "",
      },
      runner: { temp },
      matrix: {},
    };
    const stepsRun: string[] = [];
    let awsEnv: NodeJS.ProcessEnv = {};
    const uses = async (step: UsedStep, jobId: string): Promise<UsesResult> => {
      stepsRun.push(
        `${jobId}: ${step.uses.split("@")[0]}${step.with.command ? ` ${step.with.command}` : ""}`,
      );
      if (step.uses.startsWith("actions/checkout@")) {
        git("checkout", "-q", "--detach", step.with.ref || "main");
        return { outputs: {}, ok: true };
      }
      if (step.uses.startsWith("aws-actions/configure-aws-credentials@")) {
        expect(step.with["role-to-assume"]).toMatch(/^arn:aws:iam::999988887777:role\//);
        awsEnv = { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_S3_CONTROL: moto.url };
        return { outputs: {}, ok: true };
      }
      if (step.uses.startsWith("actions/upload-artifact@")) {
        expect(readFileSync(step.with.path ?? "", "utf8")).toContain('"formatVersion": 1');
        return {
          outputs: { "artifact-url": `https://github.example/artifacts/${runId}` },
          ok: true,
        };
      }
      expect(step.uses).toBe(PIN);
      const run = await runBundledAction({
        inputs: { "github-token": github.token, ...step.with },
        workspace: repo.root,
        event: event.payload,
        sha: event.sha,
        env: {
          ...awsEnv,
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: github.repository,
          GITHUB_RUN_ID: String(runId),
          RUNNER_TEMP: temp,
        },
      });
      return { outputs: run.outputs, ok: run.code === 0 };
    };
    const run = await runJobsWith(workflow, contexts, uses);
    return { ...run, stepsRun };
  }

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
    const pullRequest = (sha: string) => ({
      name: "pull_request",
      sha: "f".repeat(40), // GitHub's temporary merge commit: never planned
      ref: "refs/pull/7/merge",
      payload: {
        pull_request: {
          number: 7,
          head: { sha, repo: { full_name: github.repository } },
          base: { sha: base },
        },
      },
    });
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
