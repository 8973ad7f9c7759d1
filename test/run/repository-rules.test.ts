// s3ap.yaml's exceptions and dates over a real tree: validate on an injected day.
import { afterEach, expect, test } from "vitest";
import { runValidate, validateExitCode } from "../../src/run/validate.js";
import { clockAt, runCli } from "../support/cli.js";
import { createPolicyRepo, type PolicyRepo } from "../support/policy-repo.js";

const DUPLICATE_SID = `accountId: "111122223333"
region: us-east-1
name: reports-read
policy:
  Version: "2012-10-17"
  Statement:
    - Sid: Same
      Effect: Allow
      Principal: { AWS: "arn:aws:iam::111122223333:role/one" }
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
    - Sid: Same
      Effect: Allow
      Principal: { AWS: "arn:aws:iam::111122223333:role/two" }
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
`;
const CONFIG = `exceptions:
  - id: shared-sid
    accessPoints: reports-*
    rule: sid
    owner: team-data
    reason: the two roles merge in Q2
    ticket: DATA-7
    expires: 2026-03-31
`;
const day = (date: string) => Date.parse(`${date}T12:00:00Z`);

let repo: PolicyRepo | undefined;
afterEach(() => repo?.remove());

test("an excepted warning is shown with its exception and does not fail --strict", async () => {
  repo = createPolicyRepo({ "policies/a.yaml": DUPLICATE_SID, "s3ap.yaml": CONFIG });
  const outcome = await runValidate({ dir: "policies" }, repo.root, day("2026-03-01"));
  expect(outcome.status === "checked" && outcome.problems).toEqual([
    expect.objectContaining({
      rule: "sid",
      severity: "warning",
      exception: {
        id: "shared-sid",
        owner: "team-data",
        reason: "the two roles merge in Q2",
        ticket: "DATA-7",
        expires: "2026-03-31",
      },
    }),
  ]);
  expect(validateExitCode(outcome, true)).toBe(0);
});

test("after its date the exception fails the run, naming its owner, and excuses nothing", async () => {
  repo = createPolicyRepo({ "policies/a.yaml": DUPLICATE_SID, "s3ap.yaml": CONFIG });
  const outcome = await runValidate({ dir: "policies" }, repo.root, day("2026-04-01"));
  const problems = outcome.status === "checked" ? outcome.problems : [];
  expect(problems.map((p) => [p.file, p.line, p.col, p.severity, p.rule, p.exception])).toEqual([
    ["policies/a.yaml", 12, 12, "warning", "sid", undefined],
    ["s3ap.yaml", 8, 14, "error", "exception-expired", undefined],
  ]);
  expect(problems[1]?.message).toContain('exception "shared-sid" of team-data (DATA-7) expired');
  expect(validateExitCode(outcome, false)).toBe(1);
});

test("validate --format sarif --strict: the excepted warning is an accepted suppression with its justification", async () => {
  repo = createPolicyRepo({ "policies/a.yaml": DUPLICATE_SID, "s3ap.yaml": CONFIG });
  repo.commit();
  const run = await runCli(["validate", "--format", "sarif", "--strict"], {
    cwd: repo.root,
    env: clockAt("2026-03-01T08:00:00Z"),
  });
  expect(run.code, run.stderr).toBe(0);
  const results = JSON.parse(run.stdout).runs[0].results;
  expect(results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
    ["sid", "warning"],
  ]);
  expect(results[0].suppressions).toEqual([
    {
      kind: "external",
      status: "accepted",
      justification:
        "the two roles merge in Q2 (s3ap.yaml exception shared-sid of team-data, DATA-7, until 2026-03-31)",
      properties: {
        exception: "shared-sid",
        owner: "team-data",
        ticket: "DATA-7",
        expires: "2026-03-31",
      },
    },
  ]);
});

test("an expired exception and a lapsed pause are reported with the file's other problems, in the order of the file", async () => {
  repo = createPolicyRepo({
    "policies/a.yaml": DUPLICATE_SID,
    "s3ap.yaml": `${CONFIG}  - id: broken-glob
    accessPoints: "ab\\\\"
    owner: team-web
    reason: r
    expires: 2026-01-01
paused:
  reason: INC-42 rollout
  until: 2026-03-15
remediate:
  widening: revrt
`,
  });
  repo.commit();
  const outcome = await runValidate({ dir: "policies" }, repo.root, day("2026-04-01"));
  const problems = outcome.status === "checked" ? outcome.problems : [];
  // The entry with a broken glob is not judged against the clock: its own problem comes first.
  expect(problems.map((p) => [p.file, p.line, p.col, p.severity, p.rule])).toEqual([
    ["policies/a.yaml", 12, 12, "warning", "sid"],
    ["s3ap.yaml", 8, 14, "error", "exception-expired"],
    ["s3ap.yaml", 10, 19, "error", "exception"],
    ["s3ap.yaml", 16, 10, "warning", "paused"],
    ["s3ap.yaml", 18, 13, "error", "remediate"],
  ]);
  const run = await runCli(["validate"], { cwd: repo.root, env: clockAt("2026-04-01T08:00:00Z") });
  expect(run.code).toBe(1);
  const said = `${run.stdout}${run.stderr}`;
  for (const [place, words] of [
    ["s3ap.yaml:8:14", 'exception "shared-sid" of team-data (DATA-7) expired on 2026-03-31'],
    ["s3ap.yaml:16:10", 'the pause ended on 2026-03-15 ("INC-42 rollout"), so runs write again'],
    ["s3ap.yaml:18:13", 'remediate.widening must be revert or report, got "revrt"'],
  ] as const) {
    expect(said).toMatch(new RegExp(`${place}\\b.*${words.replace(/[()"]/g, ".")}`));
  }
});
