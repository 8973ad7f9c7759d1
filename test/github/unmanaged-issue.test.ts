// The one "N unmanaged access points" issue: opened, updated when the list changes, closed at zero.
import { beforeEach, expect, test } from "vitest";
import type { GitHubClient } from "../../src/github/github-client.js";
import {
  renderUnmanagedIssue,
  syncUnmanagedIssue,
  UNMANAGED_LABEL,
  UNMANAGED_MARKER,
} from "../../src/github/unmanaged-issue.js";
import type { UnmanagedAccessPoint } from "../../src/reconcile/types.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
let client: GitHubClient;
beforeEach(() => {
  github.reset();
  client = github.client();
});

const context = { runUrl: "https://github.example/octo/policies/actions/runs/1" };
const stray = (name: string, hasPolicy: boolean | null = true): UnmanagedAccessPoint => ({
  accountId: "111122223333",
  region: "us-east-1",
  name,
  arn: `arn:aws:s3:us-east-1:111122223333:accesspoint/${name}`,
  hasPolicy,
});

test("opened with the count and names, unchanged at a new commit, updated when the list changes, closed at zero", async () => {
  const first = await syncUnmanagedIssue(
    client,
    planOf([change("a", "noop")], "a".repeat(40), [stray("legacy-1"), stray("legacy-2", false)]),
    context,
  );
  expect(first.action).toBe("opened");
  expect(github.labels.has(UNMANAGED_LABEL)).toBe(true);
  const [issue] = github.issues;
  expect(issue?.title).toBe("2 unmanaged access points");
  expect(issue?.body).toContain("<code>111122223333/us-east-1/legacy-1</code>");
  expect(issue?.body).toContain("s3ap import --account ID --region REGION --mode observe");

  const same = await syncUnmanagedIssue(
    client,
    planOf([], "b".repeat(40), [stray("legacy-1"), stray("legacy-2", false)]),
    context,
  );
  expect(same).toEqual({ action: "unchanged", number: issue?.number });

  const fewer = await syncUnmanagedIssue(
    client,
    planOf([], "c".repeat(40), [stray("legacy-2", false)]),
    context,
  );
  expect(fewer).toEqual({ action: "updated", number: issue?.number });
  expect(github.issues[0]?.title).toBe("1 unmanaged access point");
  expect(github.issues[0]?.body).not.toContain("legacy-1");

  const none = await syncUnmanagedIssue(client, planOf([], "d".repeat(40), []), context);
  expect(none).toEqual({ action: "closed", number: issue?.number });
  expect(github.issues[0]).toMatchObject({ state: "closed", state_reason: "completed" });
  expect(github.issues).toHaveLength(1);
});

test("a plan that could not list everything, or did not look, never closes the issue", async () => {
  await syncUnmanagedIssue(client, planOf([], "a".repeat(40), [stray("legacy-1")]), context);
  const denied = planOf([], "b".repeat(40), []);
  denied.discovery.warnings.push("ListAccessPoints was denied");
  expect(await syncUnmanagedIssue(client, denied, context)).toMatchObject({ action: "none" });
  const off = { ...planOf([], "c".repeat(40), []), discovery: { enabled: false, warnings: [] } };
  expect(await syncUnmanagedIssue(client, off, context)).toMatchObject({ action: "none" });
  expect(github.issues[0]?.state).toBe("open");
});

test("names from outside are Markdown-escaped; a huge list is cut under GitHub's limit", () => {
  const many = Array.from({ length: 2000 }, (_, i) => stray(`legacy-${i}`));
  many.push(stray("@team-x"));
  const { body } = renderUnmanagedIssue(planOf([], "a".repeat(40), many), context);
  expect(body.length).toBeLessThanOrEqual(65_536);
  expect(body).toMatch(/… and \d+ more: the plan JSON/);
  const { body: small } = renderUnmanagedIssue(
    planOf([], "a".repeat(40), [stray("@team-x")]),
    context,
  );
  expect(small).not.toContain("@team-x");
});

test("an issue by another user with the label and the marker is never edited or closed (#21 L7)", async () => {
  const forged = github.addIssue({
    title: "0 unmanaged access points",
    body: `${UNMANAGED_MARKER}\nNothing unmanaged here.`,
    state: "open",
    labels: [UNMANAGED_LABEL],
    author: "mallory",
  });
  const opened = await syncUnmanagedIssue(
    client,
    planOf([], "a".repeat(40), [stray("legacy-1")]),
    context,
  );
  expect(opened.action).toBe("opened");
  expect(forged.body).toBe(`${UNMANAGED_MARKER}\nNothing unmanaged here.`);
  const closed = await syncUnmanagedIssue(client, planOf([], "b".repeat(40), []), context);
  expect(closed).toMatchObject({ action: "closed" });
  expect(closed).not.toMatchObject({ number: forged.number });
  expect(forged.state).toBe("open");
  expect(github.comments.filter((c) => c.issue === forged.number)).toEqual([]);
});
