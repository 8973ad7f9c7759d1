import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { plan } from "../../src/reconcile/plan.js";
import type { ApplyResult } from "../../src/reconcile/types.js";
import { renderApplyMarkdown, renderApplyText } from "../../src/report/apply-text.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { planTextChunks, renderPlanText } from "../../src/report/plan-text.js";
import { markdownText } from "../../src/report/sinks/markdown.js";
import { desiredAp, readPolicy } from "../support/desired.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const ESC = "\u001b[";

function samplePlan() {
  const create = desiredAp("new-ap");
  const update = desiredAp("changed-ap");
  const same = desiredAp("same-ap");
  const broken = desiredAp("broken-ap", { accountId: "444455556666" });
  const live = new Map<string, LiveState>([
    [accessPointKey(create), { kind: "none" }],
    [
      accessPointKey(update),
      {
        kind: "policy",
        policy: readPolicy(update.arn, "arn:aws:iam::111122223333:role/old|pipe"),
      },
    ],
    [accessPointKey(same), { kind: "policy", policy: same.policy ?? {} }],
    [
      accessPointKey(broken),
      { kind: "error", code: "AccessDenied", message: "missing s3:GetAccessPointPolicy" },
    ],
  ]);
  return plan([create, update, same, broken], live, SHA);
}

describe("text plan", () => {
  test("names the commit, lists drift and errors, hides in-sync access points, counts all", () => {
    const text = renderPlanText(samplePlan(), { color: false });
    expect(text).toContain(`commit ${SHA.slice(0, 12)}`);
    expect(text).toMatch(/\+ create 111122223333\/us-east-1\/new-ap/);
    expect(text).toMatch(/~ update 111122223333\/us-east-1\/changed-ap/);
    expect(text).toMatch(/! error {2}444455556666\/us-east-1\/broken-ap/);
    expect(text).toContain("missing s3:GetAccessPointPolicy [AccessDenied]");
    expect(text).not.toContain("same-ap");
    expect(text).toContain("Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged, 1 error.");
    expect(text).not.toContain(ESC);
  });

  test("says for each change whether it widens access, and why, and names them at the end", () => {
    const text = renderPlanText(samplePlan(), { color: false });
    expect(text).toContain("    access: widens access\n");
    expect(text).toContain("    access: widens and narrows access\n");
    expect(text).toMatch(/ {6}widens: {2}statement "\w+": adds principal/);
    expect(text).toContain(
      "2 of them widen access: 111122223333/us-east-1/changed-ap, 111122223333/us-east-1/new-ap.",
    );
  });

  test("streams in chunks that end at a line's end and make up the whole text", () => {
    const many = Array.from({ length: 80 }, (_, i) => desiredAp(`ap-${i}`));
    const live = new Map<string, LiveState>(
      many.map((ap) => [
        accessPointKey(ap),
        {
          kind: "policy",
          policy: readPolicy(ap.arn, "arn:aws:iam::111122223333:role/old"),
        },
      ]),
    );
    const planned = plan(many, live, SHA);
    const chunks = [...planTextChunks(planned, { color: false })];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith("\n")).toBe(true);
    expect(chunks.join("")).toBe(renderPlanText(planned, { color: false }));
  });

  test("--verbose lists in-sync access points too; colour only when asked", () => {
    expect(renderPlanText(samplePlan(), { color: false, verbose: true })).toContain("same-ap");
    expect(renderPlanText(samplePlan(), { color: true })).toContain(ESC);
  });
});

describe("markdown plan", () => {
  test("per-account tables, escaped cells, collapsible diffs, the commit", () => {
    const md = renderPlanMarkdown(samplePlan());
    expect(md).toContain(`Source: commit <code>${SHA.slice(0, 12)}</code> · `);
    expect(md).toContain("### Account 111122223333");
    expect(md).toContain("### Account 444455556666");
    expect(md).toMatch(/\| \+ \| <code>new-ap<\/code> \| us-east-1 \| create \| enforce \|/);
    expect(md).toContain(
      "<details><summary>~ 111122223333/us-east-1/changed-ap — update — ⚠️ <b>widens access</b> (and narrows)</summary>",
    );
    expect(md).not.toContain(ESC);
  });

  test('a "widens access" badge in the header and for each access point that widens', () => {
    const md = renderPlanMarkdown(samplePlan());
    expect(md).toContain(
      "> ⚠️ **widens access** on 2 access points (1 also narrows): " +
        "<code>111122223333/us-east-1/changed-ap</code>, <code>111122223333/us-east-1/new-ap</code>",
    );
    expect(md).toMatch(
      /\| \+ \| <code>new-ap<\/code> \| us-east-1 \| create \| enforce \| ⚠️ \*\*widens access\*\* \|/,
    );
    expect(md).toContain(
      '- widens: statement "Read"&#58; adds principal arn&#58;aws&#58;iam&#58;&#58;111122223333&#58;role/reports',
    );
  });

  test("no badge when nothing widens: a narrowing change says narrows access", () => {
    const ap = desiredAp("narrowed-ap");
    const wider = readPolicy(ap.arn, "arn:aws:iam::111122223333:role/reports");
    const statement = (wider.Statement as Array<Record<string, unknown>>)[0] as Record<
      string,
      unknown
    >;
    const live = {
      ...wider,
      Statement: [{ ...statement, Action: ["s3:GetObject", "s3:PutObject"] }],
    };
    const narrowing = plan(
      [{ ...ap, policy: { ...wider, Statement: [{ ...statement, Action: ["s3:GetObject"] }] } }],
      new Map<string, LiveState>([[accessPointKey(ap), { kind: "policy", policy: live }]]),
      SHA,
    );
    expect(narrowing.changes[0]?.access).toBe("narrows");
    const md = renderPlanMarkdown(narrowing);
    expect(md).not.toContain("widens access");
    expect(md).toContain("| narrows access |");
    expect(renderPlanText(narrowing, { color: false })).toContain("    access: narrows access\n");
  });

  test("a merged plan names the accounts whose shard left no plan, first, and claims no green tick", () => {
    const ap = desiredAp("same-ap");
    const inSync = plan(
      [ap],
      new Map<string, LiveState>([
        [accessPointKey(ap), { kind: "policy", policy: ap.policy ?? {} }],
      ]),
      SHA,
    );
    expect(renderPlanMarkdown(inSync)).toContain("✅ No changes: 1 access point in sync.");
    expect(renderPlanMarkdown({ ...inSync, missingAccounts: [] })).toContain("✅ No changes");

    const md = renderPlanMarkdown({ ...inSync, missingAccounts: ["444455556666", "x|`@y"] });
    expect(md).toContain(
      "> ❌ **No plan for 2 accounts** (their shard jobs failed): " +
        "<code>444455556666</code>, <code>x&#124;&#96;&#64;&#8203;y</code>. " +
        "Their access points are not in this plan; re-run the failed jobs to plan them.",
    );
    expect(md.indexOf("No plan for")).toBeLessThan(md.indexOf("### Account"));
    expect(md).not.toContain("✅");
    expect(md).toContain("No changes in the accounts that were planned: 1 access point in sync.");
  });

  test("a merge with many missing accounts names ten and counts the rest", () => {
    const accounts = Array.from({ length: 25 }, (_, i) => String(100000000000 + i));
    const md = renderPlanMarkdown({ ...samplePlan(), missingAccounts: accounts });
    expect(md).toContain("**No plan for 25 accounts**");
    expect(md).toContain("<code>100000000009</code> and 15 more.");
    expect(md).not.toContain("100000000010");
  });

  test("stays under the byte budget and says what it cut", () => {
    const aps = Array.from({ length: 60 }, (_, i) => desiredAp(`ap-${String(i).padStart(3, "0")}`));
    const live = new Map<string, LiveState>(
      aps.map((ap) => [accessPointKey(ap), { kind: "none" }]),
    );
    const big = plan(aps, live, SHA);
    const full = renderPlanMarkdown(big);
    const cut = renderPlanMarkdown(big, { maxBytes: 8000, fullPlanHint: "the plan artifact" });
    expect(Buffer.byteLength(full)).toBeGreaterThan(8000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8000);
    expect(cut).toMatch(
      /\d+ sections were cut to stay under 8000 bytes\. The full plan: the plan artifact\./,
    );
  });
});

test("plan JSON follows the contract's shape", () => {
  const json = JSON.parse(renderPlanJson(samplePlan()));
  expect(Object.keys(json)).toEqual([
    "formatVersion",
    "commit",
    "dirty",
    "summary",
    "changes",
    "unmanaged",
    "discovery",
  ]);
  expect(json.summary).toEqual({
    create: 1,
    update: 1,
    delete: 0,
    noop: 1,
    error: 1,
    unmanaged: 0,
  });
  for (const change of json.changes) {
    for (const key of [
      "accountId",
      "region",
      "name",
      "arn",
      "action",
      "mode",
      "reason",
      "before",
      "after",
      "diff",
    ]) {
      expect(change).toHaveProperty(key);
    }
    if (change.action === "create" || change.action === "update" || change.action === "delete") {
      expect(["widens", "narrows", "mixed", "same"]).toContain(change.access);
      expect(change.accessReasons.length).toBeGreaterThan(0);
    } else {
      expect(change).not.toHaveProperty("access");
    }
  }
  expect(json.changes.map((c: { access?: string }) => c.access)).toEqual([
    "mixed",
    "widens",
    undefined,
    undefined,
  ]);
});

test("apply reports: a row per access point that was not in sync, and the retries", () => {
  const p = samplePlan();
  const results: ApplyResult[] = p.changes.map((change) => ({
    change,
    status:
      change.action === "noop" ? "unchanged" : change.action === "error" ? "failed" : "applied",
    verified: change.action === "create" || change.action === "update",
    message: change.action === "error" ? change.reason : "written and verified",
    durationMs: 5,
  }));
  const text = renderApplyText(
    { commit: SHA, dirty: false },
    results,
    { retries: 3 },
    { color: false },
  );
  expect(text).toMatch(/applied\s+111122223333\/us-east-1\/new-ap\s+create\s+written and verified/);
  expect(text).toMatch(/failed\s+444455556666\/us-east-1\/broken-ap/);
  expect(text).not.toContain("same-ap");
  expect(text).toContain(
    "Apply: 2 applied and verified, 1 failed, 1 in sync, 0 observed (not written); 3 retries.",
  );
  expect(text.trimEnd().split("\n").at(-1)).toBe("Failed: 444455556666/us-east-1/broken-ap.");
  const md = renderApplyMarkdown(results, { retries: 1 });
  expect(md).toContain("| ❌ failed | <code>444455556666/us-east-1/broken-ap</code> | error |");
  expect(md).toContain("1 retry");
  expect(md).toContain("\n**Failed:** <code>444455556666/us-east-1/broken-ap</code>.\n");
});

test("an apply's last line names the access points that failed: 10, then how many more", () => {
  const p = samplePlan();
  const broken = p.changes.find((c) => c.action === "error") as ApplyResult["change"];
  const results: ApplyResult[] = Array.from({ length: 98 }, (_, i) => ({
    change: { ...broken, name: `ap-${String(i).padStart(2, "0")}` },
    status: i % 7 === 3 ? "failed" : "applied",
    verified: i % 7 !== 3,
    message: i % 7 === 3 ? "access denied [AccessDenied]" : "written and verified",
    durationMs: 5,
  }));
  const text = renderApplyText(
    { commit: SHA, dirty: false },
    results,
    { retries: 0 },
    { color: false },
  );
  const failed = results.filter((r) => r.status === "failed").map((r) => r.change.name);
  expect(failed).toHaveLength(14);
  expect(text.trimEnd().split("\n").at(-1)).toBe(
    `Failed: ${failed
      .slice(0, 10)
      .map((name) => `444455556666/us-east-1/${name}`)
      .join(", ")} and 4 more.`,
  );
  const clean = results.filter((r) => r.status !== "failed");
  const ok = renderApplyText(
    { commit: SHA, dirty: false },
    clean,
    { retries: 0 },
    { color: false },
  );
  expect(ok).not.toContain("Failed:");
  expect(ok.trimEnd().split("\n").at(-1)).toMatch(/^Apply: 84 applied and verified, 0 failed/);
});

test("with --access-analyzer, reports show its answers beside the offline verdict", () => {
  const p = samplePlan();
  const update = p.changes.find((c) => c.action === "update");
  if (update === undefined) throw new Error("no update");
  update.accessAnalyzer = {
    findings: [
      {
        findingType: "SECURITY_WARNING",
        issueCode: "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        details: "Using the iam:PassRole action with <wildcards>",
        learnMoreLink: "",
        path: [],
      },
    ],
    noPublicAccess: { result: "PASS", message: "ok", reasons: [] },
    noNewAccess: {
      result: "FAIL",
      message: "The modified permissions grant new access compared to your reference policy.",
      reasons: [{ description: "New access in the statement with index: 0.", statementIndex: 0 }],
    },
  };
  const text = renderPlanText(p, { color: false });
  expect(text).toContain(
    "    IAM Access Analyzer: grants new access, not public, 1 security warning\n",
  );
  expect(text).toContain("      CheckNoNewAccess: New access in the statement with index: 0.\n");
  const md = renderPlanMarkdown(p);
  expect(md).toContain(
    "⚠️ **widens access** (and narrows)<br>IAM Access Analyzer: grants new access, not public, 1 security warning |",
  );
  expect(md).toContain(
    `  - ${markdownText("SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE: Using the iam:PassRole action with <wildcards>")}`,
  );
  expect(md).not.toContain("<wildcards>");
});

test("text and Markdown reports say when --only narrowed the run, and not otherwise", () => {
  const narrowed = {
    ...samplePlan(),
    only: { patterns: ["111122223333/**"], selected: 3, declared: 7 },
  };
  const sentence =
    "Narrowed by only 111122223333/**: 3 of 7 declared access points are in this plan.";
  expect(renderPlanText(narrowed, { color: false }).split("\n").slice(0, 3)).toEqual([
    `s3ap plan — commit ${SHA.slice(0, 12)}`,
    "",
    sentence,
  ]);
  expect(renderPlanMarkdown(narrowed)).toContain(
    "\n> Narrowed by only <code>111122223333/&#42;&#42;</code>: 3 of 7 declared access points are in this plan.\n",
  );
  const one = { ...samplePlan(), only: { patterns: ["a", "b"], selected: 1, declared: 1 } };
  expect(renderPlanText(one, { color: false })).toContain(
    "Narrowed by only a, b: 1 of 1 declared access point is in this plan.",
  );
  expect(renderPlanText(samplePlan(), { color: false })).not.toContain("Narrowed");
  expect(renderPlanMarkdown(samplePlan())).not.toContain("Narrowed");
});
