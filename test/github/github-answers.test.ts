// The Action's GitHub steps against what GitHub (or someone on it) answers: comments by other
// users carrying s3ap's marker, pagination links to another origin, secondary rate limits on
// 500 drift issues, and a token that lacks the permission.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { runAction } from "../../src/github/run-action.js";
import { PLAN_COMMENT_MARKER } from "../../src/github/sticky-comment.js";
import type { PlannedChange } from "../../src/reconcile/types.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
const folder = mkdtempSync(join(tmpdir(), "s3ap-gh-answers-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => github.reset());

async function runStep(
  command: "pr-comment" | "drift-issues",
  changes: PlannedChange[],
  inputs: Record<string, string> = {},
): Promise<{ code: number; log: string }> {
  const planPath = join(folder, "plan.json");
  writeFileSync(planPath, renderPlanJson(planOf(changes)));
  const eventPath = join(folder, "event.json");
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 7 } }));
  const lines: string[] = [];
  const code = await runAction({
    env: {
      INPUT_COMMAND: command,
      "INPUT_PLAN-PATH": planPath,
      "INPUT_GITHUB-TOKEN": github.token,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_EVENT_PATH: eventPath,
      ...inputs,
    },
    cwd: folder,
    log: (text) => lines.push(text),
    sleep: async () => {},
    now: () => 0,
    // GitHub's waits in tenths of a millisecond instead of seconds.
    gitHubMsPerSecond: 0.1,
  });
  return { code, log: lines.join("") };
}

describe("the sticky plan comment", () => {
  test("a comment by someone else that carries the marker is never edited", async () => {
    github.comments.push({
      id: 1,
      issue: 7,
      body: `${PLAN_COMMENT_MARKER}\nLooks good, merge it! (not a plan)`,
      author: "mallory",
    });
    const first = await runStep("pr-comment", [change("a-ap", "update")]);
    expect(first.code, first.log).toBe(0);
    expect(github.comments[0]?.body).toBe(
      `${PLAN_COMMENT_MARKER}\nLooks good, merge it! (not a plan)`,
    );
    const ours = github.comments.filter((c) => c.author === github.login);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);

    // The next plan edits s3ap's own comment, still not mallory's.
    const second = await runStep("pr-comment", [change("a-ap", "noop")]);
    expect(second.code, second.log).toBe(0);
    expect(github.comments).toHaveLength(2);
    expect(github.comments[0]?.author).toBe("mallory");
    expect(github.comments[1]?.body).toContain("No changes");
  });
});

describe("pagination", () => {
  test("a Link rel=next to another origin is not followed: the token stays with the API", async () => {
    const seen: string[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? "(no token)"}`);
      res.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    try {
      const address = elsewhere.address();
      if (address === null || typeof address === "string") throw new Error("no address");
      // Same host, another port: another origin.
      github.linkOrigin = `http://127.0.0.1:${address.port}`;
      github.pageSize = 1;
      for (let i = 0; i < 3; i++)
        github.comments.push({ id: i + 1, issue: 7, body: `review ${i}`, author: "octocat" });
      const result = await runStep("pr-comment", [change("a-ap", "update")]);
      expect(seen).toEqual([]);
      expect(result.code).toBe(1);
      expect(result.log).toMatch(/link to http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1/);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });
});

describe("drift issues and GitHub's rate limits", () => {
  const drifted = (n: number) =>
    Array.from({ length: n }, (_, i) => change(`ap-${String(i).padStart(3, "0")}`, "update"));

  test("500 drifted access points all get their issue through secondary rate limits (403 and 429)", async () => {
    github.pageSize = 100;
    github.secondaryLimit = {
      every: 7,
      answers: [{ status: 403, retryAfter: 30 }, { status: 429 }, { status: 429, retryAfter: 5 }],
    };
    // One issue each (not one per account): 500 writes that meet the secondary rate limit.
    const result = await runStep("drift-issues", drifted(500), {
      "INPUT_DRIFT-ISSUE-THRESHOLD": "500",
    });
    expect(result.code, result.log.slice(-2000)).toBe(0);
    expect(github.rateLimited).toBeGreaterThan(60);
    const open = github.issues.filter((i) => i.state === "open");
    expect(open).toHaveLength(500);
    expect(new Set(open.map((i) => i.title)).size).toBe(500);
    // Each wait is the one GitHub asked for: retry-after, else a minute.
    expect(result.log).toMatch(/secondary rate limit: waiting 30 s before POST/);
    expect(result.log).toMatch(/secondary rate limit: waiting 60 s before POST/);
    expect(result.log).toMatch(/secondary rate limit: waiting 5 s before POST/);
  }, 60_000);

  test("a token without issues: write is still told so, and not retried", async () => {
    github.forbidWrites = true;
    const result = await runStep("drift-issues", drifted(3));
    expect(result.code).toBe(1);
    expect(result.log).toMatch(/HTTP 403: Resource not accessible by integration/);
    expect(result.log).toContain("issues: write");
    expect(result.log).not.toMatch(/rate limit/i);
    expect(github.requests.filter((r) => r.startsWith("POST"))).toHaveLength(1);
  });
});
