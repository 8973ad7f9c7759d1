import { beforeEach, expect, test } from "vitest";
import { GitHubApiError, type GitHubClient } from "../../src/github/github-client.js";
import {
  COMMENT_LIMIT_CHARS,
  PLAN_COMMENT_MARKER,
  renderPlanComment,
  upsertStickyComment,
} from "../../src/github/sticky-comment.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
let client: GitHubClient;
beforeEach(() => {
  github.reset();
  client = github.client();
});

test("the first plan creates the comment; later plans update that one comment", async () => {
  // Other comments on several pages: the marker must be found past the first page.
  for (let i = 0; i < 5; i++)
    github.comments.push({ id: i + 1, issue: 7, body: `review ${i}`, author: "octocat" });
  const first = await upsertStickyComment(
    client,
    7,
    renderPlanComment(planOf([change("a-ap", "create")])),
  );
  expect(first.action).toBe("created");

  const second = await upsertStickyComment(
    client,
    7,
    renderPlanComment(planOf([change("a-ap", "noop")])),
  );
  expect(first).toHaveProperty("id");
  expect(second).toMatchObject({ action: "updated", id: "id" in first ? first.id : undefined });
  const ours = github.comments.filter((c) => c.body.includes(PLAN_COMMENT_MARKER));
  expect(ours).toHaveLength(1);
  expect(ours[0]?.body).toContain("No changes: 1 access point in sync.");

  const third = await upsertStickyComment(client, 7, ours[0]?.body ?? "");
  expect(third.action).toBe("unchanged");
  expect(github.requests.filter((r) => r.startsWith("PATCH"))).toHaveLength(1);
});

test("a plan too big for one comment is cut under GitHub's limit with a link to the artifact", () => {
  const changes = Array.from({ length: 2000 }, (_, i) =>
    change(`ap-${i}-${"x".repeat(30)}`, "update", String(100000000000 + i)),
  );
  const body = renderPlanComment(planOf(changes), {
    fullPlanUrl: "https://github.example/artifacts/9",
  });
  expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT_CHARS);
  expect(body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
  expect(body).toMatch(
    /sections were cut to stay under \d+ bytes\. The full plan: \[the plan artifact\]\(https:\/\/github\.example\/artifacts\/9\)/,
  );
});

test("a token without permission is an error that says which permission", async () => {
  const bad = github.client("wrong");
  const error = await upsertStickyComment(bad, 7, "x").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GitHubApiError);
  expect((error as GitHubApiError).status).toBe(401);
  expect((error as Error).message).toContain("github-token");
});
