// The bundled action's pr-comment and drift-issues commands against a fake GitHub REST API on
// loopback, given a plan JSON file the way a plan step leaves it in RUNNER_TEMP.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PLAN_COMMENT_MARKER } from "../../src/github/sticky-comment.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { useFakeGitHub } from "../github/fake-github.js";
import { change, planOf } from "../github/plan-fixture.js";
import { runBundledAction } from "./bundled-action.js";

const github = useFakeGitHub();
let folder: string;
let planPath: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "s3ap-action-gh-"));
  planPath = join(folder, "plan.json");
  writeFileSync(
    planPath,
    renderPlanJson(planOf([change("a-ap", "update"), change("b-ap", "noop")])),
  );
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const run = (inputs: Record<string, string>, event: object = {}) =>
  runBundledAction({
    inputs: { "github-token": github.token, "plan-path": planPath, ...inputs },
    workspace: folder,
    env: { GITHUB_API_URL: github.url },
    event,
  });

test("pr-comment posts one sticky comment on the pull request and updates it on the next run", async () => {
  const event = { pull_request: { number: 12 } };
  const first = await run(
    { command: "pr-comment", "full-plan-url": "https://github.example/a/1" },
    event,
  );
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(first.outputs["comment-url"]).toMatch(/^https:\/\/github\.example\/c\/\d+$/);
  const second = await run({ command: "pr-comment" }, event);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/plan comment (updated|unchanged) on pull request #12/);
  const ours = github.comments.filter((c) => c.issue === 12);
  expect(ours).toHaveLength(1);
  expect(ours[0]?.body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
  expect(ours[0]?.body).toContain("https://github.example/octo/policies/actions/runs/4242");
});

test("pr-comment outside a pull request is a notice, not a failure", async () => {
  const result = await run({ command: "pr-comment" });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^::notice title=s3ap::Not a pull request event/m);
});

test("drift-issues opens one issue per drifted access point and reports it in the summary", async () => {
  const result = await run({ command: "drift-issues" });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const opened = github.issues.filter((i) => i.title.startsWith("s3ap drift:"));
  expect(opened.map((i) => i.title)).toEqual(["s3ap drift: 111122223333/us-east-1/a-ap"]);
  expect(result.outputs["issues-opened"]).toBe(String(opened[0]?.number));
  expect(result.summary).toContain("### s3ap drift issues");
});

test("drift-issues also opens one issue for the unmanaged access points, unless unmanaged-issue is false", async () => {
  const unmanagedPlan = join(folder, "unmanaged-plan.json");
  const stray = {
    accountId: "111122223333",
    region: "us-east-1",
    name: "legacy-ap",
    arn: "arn:aws:s3:us-east-1:111122223333:accesspoint/legacy-ap",
    hasPolicy: true,
  };
  writeFileSync(
    unmanagedPlan,
    renderPlanJson(planOf([change("b-ap", "noop")], "a".repeat(40), [stray])),
  );
  const off = await run({
    command: "drift-issues",
    "plan-path": unmanagedPlan,
    "unmanaged-issue": "false",
  });
  expect(off.code, off.stdout).toBe(0);
  expect(github.issues.filter((i) => i.title.includes("unmanaged"))).toEqual([]);
  const on = await run({ command: "drift-issues", "plan-path": unmanagedPlan });
  expect(on.code, on.stdout).toBe(0);
  const issue = github.issues.find((i) => i.title === "1 unmanaged access point");
  expect(issue?.body).toContain("111122223333/us-east-1/legacy-ap");
  expect(on.outputs["unmanaged-issue"]).toBe(String(issue?.number));
  expect(on.summary).toContain(`Unmanaged access points issue: #${issue?.number} opened.`);
});

test("a missing plan-path or a token GitHub refuses fails the step with the reason", async () => {
  const noPlan = await runBundledAction({
    inputs: { command: "drift-issues", "github-token": github.token },
    workspace: folder,
    env: { GITHUB_API_URL: github.url },
  });
  expect(noPlan.code).toBe(1);
  expect(noPlan.outputs["failure-reason"]).toMatch(/plan-path is required/);
  const refused = await run({ command: "drift-issues", "github-token": "wrong" });
  expect(refused.code).toBe(1);
  expect(refused.outputs["failure-reason"]).toMatch(/HTTP 401/);
  expect(refused.stdout).toMatch(/^::error title=s3ap drift-issues failed::GitHub API GET/m);
});
