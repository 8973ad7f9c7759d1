// The sticky PR comment always describes the pull request's head commit: a push whose plan fails
// replaces the plan with the failure, and a run for an older head never overwrites a newer one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { runAction } from "../../src/github/run-action.js";
import { PLAN_COMMENT_MARKER } from "../../src/github/sticky-comment.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderMarkdown, visibleText } from "../report/sinks/render-markdown.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
const folder = mkdtempSync(join(tmpdir(), "s3ap-sticky-truth-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => github.reset());

const A = "a".repeat(40);
const B = "b".repeat(40);
const PR = 7;

/** One pr-comment step of the run for head `head`, in the workspace `workspace`. */
async function commentStep(
  head: string,
  workspace: string,
  inputs: Record<string, string>,
  runId = "100",
): Promise<{ code: number; log: string }> {
  const eventPath = join(folder, `event-${head.slice(0, 1)}.json`);
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR, head: { sha: head } } }));
  const env: NodeJS.ProcessEnv = {
    INPUT_COMMAND: "pr-comment",
    "INPUT_GITHUB-TOKEN": github.token,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: runId,
    GITHUB_EVENT_PATH: eventPath,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const lines: string[] = [];
  const code = await runAction({
    env,
    cwd: workspace,
    log: (text) => lines.push(text),
    sleep: async () => {},
    now: () => 0,
    gitHubMsPerSecond: 0.1,
  });
  return { code, log: lines.join("") };
}

function workspaceWith(name: string, files: Record<string, string>): string {
  const root = join(folder, name);
  mkdirSync(join(root, "policies"), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
  return root;
}

const ours = () => github.comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));

describe("sticky truth", () => {
  test("a push whose files are invalid replaces the plan with the failure for that head, problems at file:line", async () => {
    github.pulls.set(PR, A);
    const good = workspaceWith("good", {});
    const planPath = join(folder, "plan-a.json");
    const widening = { ...change("a-ap", "update"), access: "widens" as const, accessReasons: [] };
    writeFileSync(planPath, renderPlanJson(planOf([widening], A)));
    const first = await commentStep(A, good, { "plan-path": planPath });
    expect(first.code, first.log).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toContain(`<!-- s3ap-head: ${A} -->`);
    expect(ours()[0]?.body).toContain("widens access");

    // The next push (B) has an invalid file: the plan step failed and left no plan.
    github.pulls.set(PR, B);
    const broken = workspaceWith("broken", {
      "policies/bad.yaml":
        "accountId: 111122223333\nregion: us-east-1\nname: bad-ap\npolicy: null\n",
    });
    const failed = await commentStep(
      B,
      broken,
      {
        "plan-path": "",
        "failure-reason": "1 problem in the policy files; nothing was sent to AWS",
      },
      "101",
    );
    expect(failed.code, failed.log).toBe(0);
    expect(ours()).toHaveLength(1);
    const body = ours()[0]?.body ?? "";
    expect(body).toContain(`<!-- s3ap-head: ${B} -->`);
    expect(body).not.toContain("widens access");
    const html = renderMarkdown(body);
    const text = visibleText(html);
    expect(text).toContain("s3ap plan · ❌ failed");
    expect(text).toContain(
      `No plan could be made for commit ${B.slice(0, 12)}, the head of this pull request`,
    );
    expect(text).toMatch(/1 problem in 1 policy file; nothing was sent to AWS/);
    expect(html).toMatch(
      /<td><a [^>]*><code>policies\/bad\.yaml:1:12<\/code><\/a><\/td>\s*<td>accountId was read as the number/,
    );
    expect(html).toContain(
      `<a href="https://github.example/octo/policies/blob/${B}/policies/bad.yaml#L1">`,
    );
    expect(html).toContain(
      `<a href="https://github.example/octo/policies/commit/${B}"><code>${B.slice(0, 12)}</code></a>`,
    );
    expect(html).toContain('href="https://github.example/octo/policies/actions/runs/101"');
  });

  test("a plan that failed for another reason says that reason, for that head", async () => {
    github.pulls.set(PR, B);
    const result = await commentStep(B, workspaceWith("valid", {}), {
      "failure-reason": "no AWS credentials: the chain found none (set up OIDC)",
    });
    expect(result.code, result.log).toBe(0);
    const text = visibleText(renderMarkdown(ours()[0]?.body ?? ""));
    expect(text).toContain(
      "The plan failed: no AWS credentials: the chain found none (set up OIDC)",
    );
  });

  test("a re-run of an older run (head A) never overwrites the comment of the newer head B", async () => {
    github.pulls.set(PR, B);
    const planB = join(folder, "plan-b.json");
    writeFileSync(planB, renderPlanJson(planOf([change("b-ap", "noop")], B)));
    await commentStep(B, workspaceWith("b", {}), { "plan-path": planB }, "200");
    const before = ours()[0]?.body;
    github.requests.length = 0;

    const planA = join(folder, "plan-a-again.json");
    writeFileSync(planA, renderPlanJson(planOf([change("a-ap", "update")], A)));
    const rerun = await commentStep(A, workspaceWith("a", {}), { "plan-path": planA }, "100");
    expect(rerun.code, rerun.log).toBe(0);
    expect(rerun.log).toMatch(/Pull request #7 is at bbbbbbbbbbbb now, not aaaaaaaaaaaa/);
    expect(github.writeRequests()).toEqual([]);
    expect(ours()[0]?.body).toBe(before);
  });
});
