import { beforeEach, describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import {
  accountDriftMarker,
  DRIFT_LABEL,
  driftMarker,
  renderDriftIssue,
  syncDriftIssues,
} from "../../src/github/drift-issues.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import type { LiveState, PolicyDocument } from "../../src/model.js";
import { withBase } from "../../src/reconcile/origin.js";
import { plan } from "../../src/reconcile/plan.js";
import type { Plan } from "../../src/reconcile/types.js";
import { gitHubLinks } from "../../src/report/file-links.js";
import { renderMarkdown, visibleText } from "../report/sinks/render-markdown.js";
import { desiredAp } from "../support/desired.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
let client: GitHubClient;
beforeEach(() => {
  github.reset();
  client = github.client();
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
  expect(first.per).toBe("access point");
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

  // a-ap fixed, b-ap drifting differently now, d-ap could not be read this time.
  const later = planOf(
    [
      change("a-ap", "noop"),
      { ...change("b-ap", "create"), reason: "the access point has no policy" },
      change("d-ap", "error"),
    ],
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

test("unchanged drift writes nothing to GitHub, though the commit and the run link are new", async () => {
  const drift = [change("a-ap", "update"), change("b-ap", "create"), change("c-ap", "noop")];
  await syncDriftIssues(client, planOf(drift, "a".repeat(40)), context);
  github.requests.length = 0;
  const next = await syncDriftIssues(client, planOf(drift, "c".repeat(40)), {
    runUrl: "https://github.example/octo/policies/actions/runs/2",
  });
  expect(next.unchanged).toHaveLength(2);
  expect(github.writeRequests()).toEqual([]);
});

test("the issue says what drifted, where it is declared and how to resolve it", () => {
  const observed = { ...change("o-ap", "update"), mode: "observe" as const };
  const { body } = renderDriftIssue(observed, planOf([observed]), context);
  expect(body).toContain("<!-- s3ap-drift: 111122223333/us-east-1/o-ap -->");
  expect(body).toMatch(/<!-- s3ap-drift-state: [0-9a-f]{64} -->/);
  expect(body).toContain(
    "<code>arn&#58;aws&#58;s3&#58;us-east-1&#58;111122223333&#58;accesspoint/o-ap</code>",
  );
  expect(body).toContain("<code>policies/o-ap.yaml</code>");
  expect(body).toContain("observe");
  expect(body).toContain(context.runUrl);
});

/** The console edit of issue #18: a Deny removed and s3:DeleteObject added, on an observe AP. */
function consoleEdit(): Plan {
  const ap = desiredAp("reports", { mode: "observe" });
  const statement = (sid: string, effect: string, actions: string[]) => ({
    Sid: sid,
    Effect: effect,
    Principal: effect === "Deny" ? "*" : { AWS: "arn:aws:iam::111122223333:role/reports" },
    Action: actions,
    Resource: `${ap.arn}/object/*`,
  });
  const file: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      statement("Read", "Allow", ["s3:GetObject"]),
      statement("NoDeletes", "Deny", ["s3:DeleteObject"]),
    ],
  };
  const edited: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [statement("Read", "Allow", ["s3:GetObject", "s3:DeleteObject"])],
  };
  const head = [{ ...ap, policy: file }];
  const live = new Map<string, LiveState>([
    [accessPointKey(ap), { kind: "policy", policy: edited }],
  ]);
  const planned = plan(head, live, "e".repeat(40));
  return withBase(planned, head, {
    ref: "HEAD",
    commit: planned.commit,
    desired: head,
    invalidFiles: new Set(),
    warnings: [],
  });
}

describe("the verdict of a drift issue follows the drift", () => {
  test("a console edit that widens access says live widens access, with the diff drawn the way it happened", () => {
    const drifted = consoleEdit();
    const change = drifted.changes[0];
    if (change === undefined) throw new Error("no change");
    const { title, body } = renderDriftIssue(change, drifted, {
      ...context,
      links: gitHubLinks({
        serverUrl: "https://github.example",
        repository: "octo/policies",
        commit: drifted.commit,
      }),
    });
    expect(title).toBe("s3ap drift: 111122223333/us-east-1/reports — live widens access");
    const html = renderMarkdown(body);
    const text = visibleText(html);
    expect(html).toContain("<h2>⚠️ Live widens access compared with the file</h2>");
    expect(text).toContain("What live did: live widens access compared with the file:");
    const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => visibleText(m[1] ?? ""));
    expect(items).toContain('statement "Read": adds action s3:DeleteObject');
    expect(items.some((i) => i.startsWith('removes Deny statement "NoDeletes"'))).toBe(true);
    // In the diff, s3:DeleteObject is a line live added and the Deny a statement live removed.
    const diff = visibleText(
      /<code class="language-diff">([\s\S]*?)<\/code>/.exec(html)?.[1] ?? "",
    );
    expect(diff).toMatch(/^\+ +s3:DeleteObject$/m);
    expect(diff).not.toMatch(/^- +s3:DeleteObject$/m);
    expect(diff).toMatch(/^- statement "NoDeletes" \(removed\)$/m);
    expect(text).not.toMatch(/narrows access compared with the file/);
    // What live did comes before what apply will do, and observe mode never writes.
    expect(text.indexOf("What live did")).toBeLessThan(text.indexOf("What apply will do"));
    expect(text).toMatch(/What apply will do: nothing: this access point is in observe mode/);
    expect(html).toContain(
      '<a href="https://github.example/octo/policies/blob/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee/policies/reports.yaml#L5"><code>policies/reports.yaml</code></a>',
    );
  });

  test("the synced issue carries that verdict", async () => {
    await syncDriftIssues(client, consoleEdit(), context);
    const [issue] = github.issues;
    expect(issue?.title).toMatch(/live widens access$/);
    expect(issue?.body).toContain("## ⚠️ Live widens access compared with the file");
    expect(issue?.body).not.toContain("narrows access compared with the file");
  });
});

describe("above the threshold, one issue per account", () => {
  const many = (account: string, n: number, action: "update" | "noop" = "update") =>
    Array.from({ length: n }, (_, i) =>
      change(`ap-${account.slice(0, 3)}-${String(i).padStart(3, "0")}`, action, account),
    );

  test("more drifted access points than the threshold: one issue per account lists them all", async () => {
    const drifted = planOf([...many("111122223333", 15), ...many("444455556666", 10)]);
    const report = await syncDriftIssues(client, drifted, { ...context, threshold: 20 });
    expect(report.per).toBe("account");
    expect(report.opened).toHaveLength(2);
    const titles = github.issues.map((i) => i.title);
    expect(titles).toEqual([
      "s3ap drift: 15 access points in account 111122223333",
      "s3ap drift: 10 access points in account 444455556666",
    ]);
    const first = github.issues[0]?.body ?? "";
    expect(first).toContain(accountDriftMarker("111122223333"));
    expect(first.match(/^\| <code>us-east-1\/ap-111-\d{3}<\/code> \|/gm)).toHaveLength(15);
    expect(first).toContain("More than 20 access points drifted in this plan");

    // The same drift again: nothing written.
    github.requests.length = 0;
    const again = await syncDriftIssues(client, planOf(drifted.changes, "f".repeat(40)), {
      threshold: 20,
    });
    expect(again.unchanged).toHaveLength(2);
    expect(github.writeRequests()).toEqual([]);
  });

  test("crossing the threshold moves drift between per-access-point and per-account issues, closing the old ones with a pointer", async () => {
    const few = planOf([...many("111122223333", 3), ...many("444455556666", 1)]);
    await syncDriftIssues(client, few, { threshold: 5 });
    expect(github.issues.filter((i) => i.state === "open")).toHaveLength(4);

    const lots = planOf([...many("111122223333", 6), ...many("444455556666", 1)]);
    const up = await syncDriftIssues(client, lots, { threshold: 5 });
    expect(up.per).toBe("account");
    const accountIssues = github.issues.filter((i) => i.body.includes("s3ap-drift-account"));
    expect(accountIssues.map((i) => i.state)).toEqual(["open", "open"]);
    const perAccessPoint = github.issues.filter((i) => i.body.includes("<!-- s3ap-drift: "));
    expect(perAccessPoint.map((i) => i.state)).toEqual(["closed", "closed", "closed", "closed"]);
    const first = accountIssues[0]?.number;
    expect(github.comments.find((c) => c.issue === perAccessPoint[0]?.number)?.body).toContain(
      `this one is in #${first}`,
    );

    // Account 444455556666 back in sync, 111122223333 under the threshold again.
    const down = planOf([...many("111122223333", 2), ...many("444455556666", 1, "noop")]);
    const report = await syncDriftIssues(client, down, { threshold: 5 });
    expect(report.per).toBe("access point");
    expect(accountIssues.map((i) => i.state)).toEqual(["closed", "closed"]);
    expect(report.opened).toHaveLength(2);
  });
});

describe("issues by anyone else are never edited (#21 L7)", () => {
  test("an issue by another user with the label and an access point's marker is left alone", async () => {
    const target = change("a-ap", "update");
    const forged = github.addIssue({
      title: "s3ap drift: 111122223333/us-east-1/a-ap",
      body: `${driftMarker(target)}\nAll fine, please ignore.`,
      state: "open",
      labels: [DRIFT_LABEL],
      author: "mallory",
    });
    const first = await syncDriftIssues(client, planOf([target]), context);
    expect(first.opened).toHaveLength(1);
    expect(first.updated).toEqual([]);
    expect(forged.body).toBe(`${driftMarker(target)}\nAll fine, please ignore.`);
    // In sync again: only s3ap's own issue is closed.
    const synced = await syncDriftIssues(client, planOf([change("a-ap", "noop")]), context);
    expect(synced.closed).toEqual(first.opened);
    expect(forged.state).toBe("open");
    expect(github.comments.filter((c) => c.issue === forged.number)).toEqual([]);
  });

  test("nor an account issue by another user", async () => {
    const forged = github.addIssue({
      title: "s3ap drift: 2 access points in account 111122223333",
      body: `${accountDriftMarker("111122223333")}\nnothing to see`,
      state: "open",
      labels: [DRIFT_LABEL],
      author: "mallory",
    });
    await syncDriftIssues(client, planOf([change("a-ap", "update"), change("b-ap", "update")]), {
      threshold: 1,
    });
    expect(forged.body).toBe(`${accountDriftMarker("111122223333")}\nnothing to see`);
    await syncDriftIssues(client, planOf([change("a-ap", "noop")]), { threshold: 1 });
    expect(forged.state).toBe("open");
  });
});
