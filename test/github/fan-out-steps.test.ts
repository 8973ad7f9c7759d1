// The Action's merge-plans step as the fan-out PR plan uses it: a shard that left no plan, or whose
// apply was refused, fails the step, yet the merged plan is written, and the one sticky comment
// made from it says so instead of reading as "in sync"; a tampered shard plan is refused whole.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { runAction } from "../../src/github/run-action.js";
import { PLAN_COMMENT_MARKER } from "../../src/github/sticky-comment.js";
import type { ApplyResult, PlannedChange, ReconcileOutcome } from "../../src/reconcile/types.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderRunSummary } from "../../src/report/run-summary.js";
import { ACTION_NAMES } from "../../src/run/option-names.js";
import { failureReason } from "../../src/run/outcome-text.js";
import { parseOutputFile } from "../action/bundled-action.js";
import { useFakeGitHub } from "./fake-github.js";
import { change, planOf } from "./plan-fixture.js";

const A = "111122223333";
const B = "444455556666";
const github = useFakeGitHub();
const folder = mkdtempSync(join(tmpdir(), "s3ap-fan-out-steps-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => github.reset());

/** The accounts step's matrix output: one shard per account. */
const matrixOf = (ids: string[]) => ({
  include: ids.map((id) => ({ shard: id, accounts: id, regions: ["us-east-1"], accessPoints: 1 })),
});

/** One step of the action, as the runner starts it: inputs, outputs file, summary file. */
async function step(inputs: Record<string, string>) {
  const output = join(folder, `output-${inputs.command}`);
  const summary = join(folder, `summary-${inputs.command}`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const eventPath = join(folder, "event.json");
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 7 } }));
  const env: NodeJS.ProcessEnv = {
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: folder,
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_EVENT_PATH: eventPath,
    "INPUT_GITHUB-TOKEN": github.token,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const lines: string[] = [];
  const code = await runAction({
    env,
    cwd: folder,
    log: (text) => lines.push(text),
    sleep: async () => {},
    now: () => 0,
    gitHubMsPerSecond: 0.1,
  });
  return {
    code,
    log: lines.join(""),
    outputs: parseOutputFile(readFileSync(output, "utf8")),
    summary: readFileSync(summary, "utf8"),
  };
}

test("a shard without a plan fails merge-plans, but the merged plan is written and the comment names the account", async () => {
  // The download step put only account A's plan there: B's shard job failed before its upload.
  const downloads = join(folder, "shard-plans");
  mkdirSync(join(downloads, `s3ap-shard-plan-pr-7-1-${A}`), { recursive: true });
  writeFileSync(
    join(downloads, `s3ap-shard-plan-pr-7-1-${A}`, "plan.json"),
    renderPlanJson(planOf([change("a-ap", "noop", A)])),
  );
  const matrix = matrixOf([A, B]);

  const merge = await step({
    command: "merge-plans",
    "plan-path": downloads,
    shards: JSON.stringify(matrix),
  });
  expect(merge.code, merge.log).toBe(1);
  expect(merge.outputs["missing-accounts"]).toBe(B);
  expect(merge.outputs["failure-reason"]).toContain(`have no shard plan (their jobs failed): ${B}`);
  expect(merge.outputs["plan-path"]).not.toBe("");
  expect(merge.summary).toContain(
    `**No plan for 1 account** (their shard jobs failed): <code>${B}</code>`,
  );
  expect(merge.summary.match(/No plan for|no shard plan/g)).toHaveLength(1);
  expect(
    JSON.parse(readFileSync(merge.outputs["plan-path"] ?? "", "utf8")).missingAccounts,
  ).toEqual([B]);

  // The workflow's comment step runs on that plan-path (if: always()).
  const comment = await step({
    command: "pr-comment",
    "plan-path": merge.outputs["plan-path"] ?? "",
  });
  expect(comment.code, comment.log).toBe(0);
  const ours = github.comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
  expect(ours).toHaveLength(1);
  expect(ours[0]?.issue).toBe(7);
  expect(ours[0]?.body).toContain(
    `**No plan for 1 account** (their shard jobs failed): <code>${B}</code>`,
  );
  expect(ours[0]?.body).toContain(`### Account ${A}`);
  expect(ours[0]?.body).not.toContain("✅");
});

test("every shard failed before its upload: the comment says no account has a plan", async () => {
  const matrix = matrixOf([A, B]);
  // download-artifact found nothing, so the folder was never made.
  const merge = await step({
    command: "merge-plans",
    "plan-path": join(folder, "no-downloads"),
    shards: JSON.stringify(matrix),
  });
  expect(merge.code, merge.log).toBe(1);
  expect(merge.outputs["missing-accounts"]).toBe(`${A},${B}`);
  expect(merge.outputs["plan-path"]).not.toBe("");
  const comment = await step({
    command: "pr-comment",
    "plan-path": merge.outputs["plan-path"] ?? "",
  });
  expect(comment.code, comment.log).toBe(0);
  const ours = github.comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
  expect(ours).toHaveLength(1);
  expect(ours[0]?.body).toContain(
    `**No plan for 2 accounts** (their shard jobs failed): <code>${A}</code>, <code>${B}</code>`,
  );
  expect(ours[0]?.body).not.toContain("✅");
});

test("a shard whose apply was refused by max-changes fails merge-plans, and the summary and comment say it wrote nothing", async () => {
  const downloads = join(folder, "refused-shard");
  for (const [account, refusal] of [
    [A, { kind: "max-changes", writes: 4, limit: 2 } as const],
    [B, undefined],
  ] as const) {
    mkdirSync(join(downloads, account), { recursive: true });
    const plan = planOf(
      ["one", "two", "three", "four"].map((n) => change(`${n}-ap`, "create", account)),
    );
    writeFileSync(join(downloads, account, "plan.json"), renderPlanJson(plan, undefined, refusal));
  }
  const merge = await step({
    command: "merge-plans",
    "plan-path": downloads,
    shards: JSON.stringify(matrixOf([A, B])),
  });
  expect(merge.code, merge.log).toBe(1);
  const words = `the apply of ${join(downloads, A, "plan.json")} (1 account: ${A}) was refused: 4 changes planned, more than input max-changes 2; nothing was written`;
  expect(merge.outputs["failure-reason"]).toBe(words);
  expect(merge.log).toContain("::error title=s3ap merge-plans failed::");
  expect(merge.summary).toContain("> ❌ **Nothing was written:** the apply of ");
  expect(merge.summary).toContain("more than input max-changes 2");
  const merged = JSON.parse(readFileSync(merge.outputs["plan-path"] ?? "", "utf8"));
  expect(merged.refusedShards).toEqual([
    {
      plan: join(downloads, A, "plan.json"),
      accounts: [A],
      refusal: { kind: "max-changes", writes: 4, limit: 2 },
    },
  ]);
  expect(merged.refusal).toBeUndefined();

  const comment = await step({
    command: "pr-comment",
    "plan-path": merge.outputs["plan-path"] ?? "",
  });
  expect(comment.code, comment.log).toBe(0);
  const ours = github.comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
  expect(ours[0]?.body).toContain("**Nothing was written:**");
});

test("merged apply shards with a failed write: the log, the summary and failure-reason say it as the one job's do", async () => {
  const downloads = join(folder, "failed-write");
  const a = change("a-ap", "update", A);
  const b = change("b-ap", "create", B);
  const written: ApplyResult = {
    change: a,
    status: "applied",
    verified: true,
    message: "policy updated",
    durationMs: 1,
  };
  const refused: ApplyResult = {
    change: b,
    status: "failed",
    verified: false,
    message: "AccessDenied: no",
    durationMs: 1,
  };
  const results = [written, refused];
  for (const [account, result, retries] of [
    [A, written, 2],
    [B, refused, 3],
  ] as const) {
    mkdirSync(join(downloads, account), { recursive: true });
    writeFileSync(
      join(downloads, account, "plan.json"),
      renderPlanJson(planOf([result.change]), { results: [result], retries }),
    );
  }
  const merge = await step({
    command: "merge-plans",
    "plan-path": downloads,
    shards: JSON.stringify(matrixOf([A, B])),
  });
  expect(merge.code, merge.log).toBe(1);
  // The one job's apply of the same plan, for its words.
  const plan = planOf([a, b]);
  const source = { root: folder, policiesDir: folder, commit: plan.commit, dirty: false };
  const outcome: ReconcileOutcome = { status: "applied", source, warnings: [], plan, results };
  const single = renderRunSummary(outcome, {
    mode: "apply",
    retries: 5,
    cwd: folder,
    budget: 100_000,
    planPath: "",
  });
  const failed = `> ❌ **1 access point could not be written**: <code>${B}/us-east-1/b-ap</code>; the apply table below says why.`;
  expect(single).toContain(failed);
  const top = (summary: string) => summary.slice(0, summary.indexOf("### Account"));
  expect(top(merge.summary)).toContain(failed);
  const applyPart = (summary: string) => summary.slice(summary.indexOf("\n## s3ap apply\n"));
  expect(applyPart(merge.summary)).toEqual(applyPart(single));
  expect(merge.log).toContain(
    `Apply: 1 applied and verified, 1 failed, 0 in sync, 0 observed (not written); 5 retries.\nFailed: ${B}/us-east-1/b-ap.\n`,
  );
  expect(merge.log).toMatch(/failed\s+444455556666\/us-east-1\/b-ap\s+create\s+AccessDenied: no/);
  expect(merge.outputs["failure-reason"]).toBe(failureReason(outcome, false, ACTION_NAMES));
  expect(merge.outputs["failure-reason"]).toBe(
    `1 access point could not be reconciled: ${B}/us-east-1/b-ap`,
  );
});

test("remediating shards, merged: the drift one shard wrote back closes its issue, another's reported drift keeps one, and the summary adds up their retries", async () => {
  const drifted = (name: string, account: string): PlannedChange => ({
    ...change(name, "update", account),
    origin: "drift",
    driftAccess: name === "wide-ap" ? "widens" : "narrows",
    remediation:
      name === "wide-ap"
        ? {
            action: "revert",
            rule: "remediate.widening",
            text: "remediate.widening: revert — live widens access",
          }
        : {
            action: "report",
            rule: "remediate.narrowing",
            text: "remediate.narrowing: report — live narrows access",
          },
  });
  // The hourly plan before remediation was turned on opened both issues.
  const before = join(folder, "before.json");
  writeFileSync(before, renderPlanJson(planOf([drifted("wide-ap", A), drifted("narrow-ap", B)])));
  expect((await step({ command: "drift-issues", "plan-path": before })).code).toBe(0);
  expect(github.issues.filter((i) => i.state === "open")).toHaveLength(2);

  const downloads = join(folder, "remediated-shards");
  for (const [account, name, status] of [
    [A, "wide-ap", "applied"],
    [B, "narrow-ap", "reported"],
  ] as const) {
    mkdirSync(join(downloads, account), { recursive: true });
    const c = drifted(name, account);
    const result: ApplyResult = {
      change: c,
      status,
      verified: status === "applied",
      message: status === "applied" ? "written and verified" : `held back: ${c.remediation?.text}`,
      durationMs: 1,
    };
    writeFileSync(
      join(downloads, account, "plan.json"),
      renderPlanJson(planOf([c]), { results: [result], retries: account === A ? 4 : 1 }),
    );
  }
  const merge = await step({
    command: "merge-plans",
    "plan-path": downloads,
    shards: JSON.stringify(matrixOf([A, B])),
  });
  expect(merge.code, merge.log).toBe(0);
  expect(merge.summary).toContain(
    "\n1 applied and verified, 0 failed, 0 in sync, 0 observed (not written), 1 reported (held back by s3ap.yaml); 5 retries.\n",
  );
  const issues = await step({
    command: "drift-issues",
    "plan-path": merge.outputs["plan-path"] ?? "",
  });
  expect(issues.code, issues.log).toBe(0);
  expect(github.issues.find((i) => i.title.includes("/wide-ap"))?.state).toBe("closed");
  expect(github.issues.find((i) => i.title.includes("/narrow-ap"))?.state).toBe("open");
  expect(github.comments.at(-1)?.body).toContain(
    `s3ap wrote the file's policy back to <code>${A}/us-east-1/wide-ap</code> in this run`,
  );
});

describe("a shard plan is checked against its schema before anything renders it", () => {
  type PlanJson = { changes: Record<string, unknown>[]; summary: Record<string, unknown> };
  const valid = (): PlanJson => JSON.parse(renderPlanJson(planOf([change("a-ap", "create", A)])));
  /** The plan with every change given `fields`. */
  const withChanges = (plan: PlanJson, fields: Record<string, unknown>) =>
    JSON.stringify({ ...plan, changes: plan.changes.map((c) => ({ ...c, ...fields })) });
  const cases: [string, (plan: PlanJson) => string][] = [
    ["an unknown action", (plan) => withChanges(plan, { action: "destroy" })],
    [
      "Markdown in the action",
      (plan) => withChanges(plan, { action: "create | [pwned](https://evil.example) |" }),
    ],
    [
      "Markdown in an access reason's direction",
      (plan) =>
        withChanges(plan, {
          accessReasons: [{ direction: "**[click](https://evil.example)**", text: "x" }],
        }),
    ],
    [
      "a count that is Markdown",
      (plan) =>
        JSON.stringify({
          ...plan,
          summary: { ...plan.summary, create: "[pwned](https://evil.example)" },
        }),
    ],
    [
      "a top-level constructor key",
      (plan) => JSON.stringify(plan).replace(/^\{/, '{"constructor":{"x":1},'),
    ],
    [
      "a summary that does not count its changes",
      (plan) => JSON.stringify({ ...plan, summary: { ...plan.summary, create: 0 } }),
    ],
  ];
  test.each(cases)(
    "%s: merge-plans fails naming the file, and renders nothing of it",
    async (_, tamper) => {
      const downloads = mkdtempSync(join(folder, "tampered-"));
      writeFileSync(join(downloads, "plan.json"), tamper(valid()));
      const merge = await step({ command: "merge-plans", "plan-path": downloads });
      expect(merge.code, merge.log).toBe(1);
      expect(merge.outputs["failure-reason"]).toContain(
        `${join(downloads, "plan.json")} is not an s3ap plan`,
      );
      expect(merge.summary).not.toContain("evil.example");
      expect(merge.summary).not.toContain("merged)");
      expect(merge.outputs["plan-path"]).toBeUndefined();
    },
  );

  test("pr-comment of a tampered plan posts nothing", async () => {
    const path = join(folder, "tampered-comment.json");
    writeFileSync(
      path,
      withChanges(valid(), { action: "create | [pwned](https://evil.example) |" }),
    );
    const comment = await step({ command: "pr-comment", "plan-path": path });
    expect(comment.code).toBe(1);
    expect(comment.outputs["failure-reason"]).toContain("is not an s3ap plan");
    expect(github.comments).toEqual([]);
  });
});
