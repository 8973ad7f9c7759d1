import { beforeEach, expect, test } from "vitest";
import { DRIFT_LABEL, renderDriftIssue, syncDriftIssues } from "../../src/github/drift-issues.js";
import { GitHubClient } from "../../src/github/github-client.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
let client: GitHubClient;
beforeEach(() => {
  github.reset();
  client = new GitHubClient({
    apiUrl: github.url,
    token: github.token,
    repository: github.repository,
    msPerSecond: 1,
  });
});

const context = { runUrl: "https://github.example/octo/policies/actions/runs/1" };

test("one issue per drifted access point, updated while the drift lasts, closed when it is gone", async () => {
  github.addIssue({ title: "unrelated", body: "hello", state: "open", labels: [] });
  const drifted = planOf([
    change("a-ap", "update"),
    change("b-ap", "create"),
    change("c-ap", "noop"),
    change("d-ap", "delete"),
  ]);

  const first = await syncDriftIssues(client, drifted, context);
  expect(first.opened).toHaveLength(3);
  expect(github.labels.has(DRIFT_LABEL)).toBe(true);
  const open = github.issues.filter((i) => i.labels.includes(DRIFT_LABEL));
  expect(open.map((i) => i.title).sort()).toEqual([
    "s3ap drift: 111122223333/us-east-1/a-ap",
    "s3ap drift: 111122223333/us-east-1/b-ap",
    "s3ap drift: 111122223333/us-east-1/d-ap",
  ]);

  const again = await syncDriftIssues(client, drifted, context);
  expect(again).toMatchObject({ opened: [], closed: [], updated: [] });
  expect(again.unchanged).toHaveLength(3);

  // a-ap fixed, b-ap still drifting at a new commit, d-ap could not be read this time.
  const later = planOf(
    [change("a-ap", "noop"), change("b-ap", "create"), change("d-ap", "error")],
    "b".repeat(40),
  );
  const third = await syncDriftIssues(client, later, context);
  const byTitle = (t: string) => github.issues.find((i) => i.title.endsWith(t));
  expect(third.closed).toEqual([byTitle("/a-ap")?.number]);
  expect(third.updated).toEqual([byTitle("/b-ap")?.number]);
  expect(byTitle("/a-ap")).toMatchObject({ state: "closed", state_reason: "completed" });
  expect(byTitle("/d-ap")?.state).toBe("open");
  expect(github.comments.find((c) => c.issue === byTitle("/a-ap")?.number)?.body).toMatch(
    /drift is gone.*bbbbbbbbbbbb/,
  );
  expect(github.issues.find((i) => i.title === "unrelated")?.state).toBe("open");

  // Drift coming back after the issue was closed opens a new one.
  const back = await syncDriftIssues(client, drifted, context);
  expect(back.opened).toHaveLength(1);
});

test("the issue says what drifted, where it is declared and how to resolve it", () => {
  const observed = { ...change("o-ap", "update"), mode: "observe" as const };
  const { body } = renderDriftIssue(observed, planOf([observed]), context);
  expect(body).toContain("<!-- s3ap-drift: 111122223333/us-east-1/o-ap -->");
  expect(body).toContain(
    "<code>arn&#58;aws&#58;s3&#58;us-east-1&#58;111122223333&#58;accesspoint/o-ap</code>",
  );
  expect(body).toContain("<code>policies/o-ap.yaml</code>");
  expect(body).toContain("observe");
  expect(body).toContain(context.runUrl);
});
