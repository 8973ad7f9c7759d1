// Drift issues and s3ap.yaml's rules: who changed it comes first, drift outside trust stands
// out, excepted drift never has an issue (an open one is closed, naming the exception).
import { beforeEach, expect, test } from "vitest";
import { renderDriftIssue, syncDriftIssues } from "../../src/github/drift-issues.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import type { PlannedChange } from "../../src/reconcile/types.js";
import { renderMarkdown, visibleText } from "../report/sinks/render-markdown.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const github = useFakeGitHub();
let client: GitHubClient;
beforeEach(() => {
  github.reset();
  client = github.client();
});

const governed = (name: string): PlannedChange => ({
  ...change(name, "update"),
  origin: "drift",
  driftAccess: "widens",
  driftTrust: {
    tier: "outside",
    outside: [
      {
        kind: "unlisted-account",
        principal: "arn:aws:iam::999988887777:root",
        statement: 'statement "Extra"',
        text: 'statement "Extra" grants arn:aws:iam::999988887777:root: account 999988887777; it is not listed in trust.accounts',
      },
    ],
  },
  remediation: {
    action: "revert",
    rule: "remediate.widening",
    text: "remediate.widening: revert — live widens access",
  },
  attribution: {
    status: "found",
    windowDays: 7,
    events: [
      {
        eventName: "PutAccessPointPolicy",
        eventId: "e1",
        time: "2026-03-01T09:12:41.000Z",
        actor: {
          kind: "sso-user",
          name: "alice@example.com",
          permissionSet: "AdministratorAccess",
        },
        sourceIp: "198.51.100.24",
        agent: "console",
        s3ap: false,
      },
    ],
    text: "PutAccessPointPolicy by alice@example.com (IAM Identity Center, permission set AdministratorAccess) in the AWS console, 2026-03-01 09:12 UTC from 198.51.100.24",
  },
});

test("the issue's first line says who changed it; drift outside trust and the remediation rule follow", () => {
  const text = renderDriftIssue(governed("a-ap"), planOf([governed("a-ap")]), {});
  // The markers that find the issue again are hidden comments; what a reader sees starts here.
  const visible = text.body.split("\n").filter((line) => !line.startsWith("<!--"));
  // The Markdown sink keeps "@example" from being a mention with a zero-width space.
  expect(visibleText(renderMarkdown(visible[0] ?? "")).replaceAll("\u200b", "")).toBe(
    "Who changed it: PutAccessPointPolicy by alice@example.com (IAM Identity Center, permission set AdministratorAccess) in the AWS console, 2026-03-01 09:12 UTC from 198.51.100.24",
  );
  const shown = visibleText(renderMarkdown(text.body));
  expect(shown).toContain("Live widens access compared with the file · 🚨 outside trust");
  expect(shown).toContain("it is not listed in trust.accounts");
  expect(shown).toContain(
    "A remediating run reverts it: remediate.widening: revert — live widens access.",
  );
});

test("excepted drift gets no issue, and an open one is closed naming the exception", async () => {
  const drifting = planOf([change("a-ap", "update")]);
  await syncDriftIssues(client, drifting, {});
  expect(github.issues.filter((i) => i.state === "open")).toHaveLength(1);
  const excepted: PlannedChange = {
    ...change("a-ap", "update"),
    exception: {
      id: "partner-trial",
      owner: "team-data",
      reason: "trial until March",
      ticket: "DATA-7",
      expires: "2026-03-31",
      status: "excepted",
    },
  };
  const report = await syncDriftIssues(client, planOf([excepted]), {});
  expect(report.opened).toEqual([]);
  expect(report.closed).toHaveLength(1);
  expect(github.issues[0]).toMatchObject({ state: "closed", state_reason: "not_planned" });
  expect(github.comments.at(-1)?.body).toContain(
    "is excepted: s3ap.yaml exception <code>partner-trial</code> of team-data accepts it until 2026-03-31 (trial until March, DATA-7)",
  );
  const again = await syncDriftIssues(client, planOf([excepted]), {});
  expect(again).toMatchObject({ opened: [], updated: [], closed: [] });
});

test("a refused exception keeps the issue and says why it does not hold", () => {
  const refused: PlannedChange = {
    ...governed("a-ap"),
    exception: {
      id: "partner-trial",
      owner: "team-data",
      reason: "trial",
      expires: "2026-03-31",
      status: "refused",
      because: 'live statement "Extra" grants …: a widening outside trust can never be excepted',
    },
  };
  const shown = visibleText(renderMarkdown(renderDriftIssue(refused, planOf([refused]), {}).body));
  expect(shown).toContain(
    'The s3ap.yaml exception "partner-trial" of team-data does not hold: live statement "Extra" grants …: a widening outside trust can never be excepted.',
  );
});

test("drift a scheduled apply --remediate wrote back closes its issue, saying so; reported drift keeps one", async () => {
  await syncDriftIssues(client, planOf([governed("a-ap"), governed("b-ap")]), {});
  expect(github.issues.filter((i) => i.state === "open")).toHaveLength(2);
  const result = (name: string, status: "applied" | "reported") => ({
    accountId: "111122223333",
    region: "us-east-1",
    name,
    arn: `arn:aws:s3:us-east-1:111122223333:accesspoint/${name}`,
    action: "update" as const,
    status,
    verified: status === "applied",
    message: status === "applied" ? "written and verified" : "held back",
    durationMs: 1,
  });
  const remediated = {
    ...planOf([governed("a-ap"), governed("b-ap")]),
    results: [result("a-ap", "applied"), result("b-ap", "reported")],
  };
  const report = await syncDriftIssues(client, remediated, {});
  expect(report.closed).toHaveLength(1);
  expect(github.issues.find((i) => i.title.includes("/a-ap"))?.state).toBe("closed");
  expect(github.issues.find((i) => i.title.includes("/b-ap"))?.state).toBe("open");
  expect(github.comments.at(-1)?.body).toContain(
    "s3ap wrote the file's policy back to <code>111122223333/us-east-1/a-ap</code> in this run (remediate.widening&#58; revert — live widens access)",
  );
});

test("an issue keeps who changed it when the edit ages out of CloudTrail's window or the lookup fails", async () => {
  const found = governed("a-ap");
  await syncDriftIssues(client, planOf([found]), {});
  const body = github.issues[0]?.body;
  expect(body).toContain("alice");
  for (const status of ["not-found", "error"] as const) {
    const later: PlannedChange = {
      ...found,
      attribution: { status, windowDays: 7, events: [], text: "no write … in the last 7 days" },
    };
    const report = await syncDriftIssues(client, planOf([later]), {});
    expect(report).toMatchObject({ opened: [], updated: [], closed: [] });
    expect(github.issues[0]?.body).toBe(body);
  }
  // A new edit found in the window is news: the issue says who made it.
  const event = found.attribution?.events[0] as NonNullable<
    PlannedChange["attribution"]
  >["events"][number];
  const newer: PlannedChange = {
    ...found,
    attribution: {
      status: "found",
      windowDays: 7,
      events: [{ ...event, actor: { kind: "iam-user", name: "IAM user carol" } }],
      text: "PutAccessPointPolicy by IAM user carol with the AWS CLI, 2026-03-09 10:00 UTC",
    },
  };
  const report = await syncDriftIssues(client, planOf([newer]), {});
  expect(report.updated).toHaveLength(1);
  expect(github.issues[0]?.body).toContain("IAM user carol");
});
