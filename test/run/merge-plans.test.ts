// `s3ap merge-plans` (the bundled CLI) over shard plans as a fan-out run leaves them: a shard whose
// apply was refused, a plan file that is not what s3ap writes, and a shard that widens outside
// trust under --fail-on, and apply shards whose results the merge reports as the apply did.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Plan } from "../../src/reconcile/types.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { CLI_NAMES } from "../../src/run/option-names.js";
import { failOnReason } from "../../src/run/outcome-text.js";
import { change, planOf } from "../github/plan-fixture.js";
import { runCli } from "../support/cli.js";

const A = "111122223333";
const B = "444455556666";
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "s3ap-merge-plans-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function shardPlan(account: string, json: string): void {
  mkdirSync(join(folder, "plans", account), { recursive: true });
  writeFileSync(join(folder, "plans", account, "plan.json"), json);
}

const fourCreates = (account: string) =>
  planOf(["one", "two", "three", "four"].map((name) => change(`${name}-ap`, "create", account)));

test("a shard refused by --max-changes makes the merge fail and say that it wrote nothing", async () => {
  shardPlan(
    A,
    renderPlanJson(fourCreates(A), undefined, { kind: "max-changes", writes: 4, limit: 2 }),
  );
  shardPlan(B, renderPlanJson(planOf([change("b-ap", "noop", B)])));
  const result = await runCli(["merge-plans", "--format", "markdown", "plans"], { cwd: folder });
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    `s3ap: the apply of ${join(folder, "plans", A, "plan.json")} (1 account: ${A}) was refused: ` +
      "4 changes planned, more than --max-changes 2; nothing was written\n",
  );
  expect(result.stdout).toContain("> ❌ **Nothing was written:** the apply of ");
});

test("a plan file s3ap did not write is one error naming it, and nothing is printed from it", async () => {
  const plan = JSON.parse(renderPlanJson(fourCreates(A)));
  plan.changes[0].action = "obliterate";
  shardPlan(A, JSON.stringify(plan));
  const result = await runCli(["merge-plans", "plans"], { cwd: folder });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toBe(
    `s3ap: ${join(folder, "plans", A, "plan.json")} is not an s3ap plan (schemas/plan.schema.json): ` +
      '/changes/0/action must be one of "create", "update", "delete", "noop", "error"\n',
  );
});

test("--fail-on widens-outside-trust fails the merge with the words the shard's plan failed with", async () => {
  const partner = "arn:aws:iam::999988887777:role/partner";
  const text = `statement "Share" grants ${partner}: account 999988887777; it is not listed in trust.accounts`;
  const plan: Plan = {
    ...planOf([
      {
        ...change("share-ap", "update", A),
        changeTrust: {
          tier: "outside",
          outside: [
            { kind: "unlisted-account", principal: partner, statement: 'statement "Share"', text },
          ],
        },
      },
    ]),
    widensOutsideTrust: true,
  };
  shardPlan(A, renderPlanJson(plan));
  shardPlan(B, renderPlanJson(planOf([change("b-ap", "noop", B)])));
  const words = failOnReason(plan, ["widens-outside-trust"], CLI_NAMES);
  expect(words).toBe(
    `widens access outside trust: share-ap: ${text} (--fail-on widens-outside-trust)`,
  );

  const failing = await runCli(["merge-plans", "--fail-on", "widens-outside-trust", "plans"], {
    cwd: folder,
  });
  expect(failing.code, failing.stderr).toBe(1);
  expect(failing.stderr).toBe(`s3ap: ${words}\n`);
  // Without it the merged plan only says a change is pending, as the shard's plan did.
  const pending = await runCli(["merge-plans", "plans"], { cwd: folder });
  expect(pending.code, pending.stderr).toBe(2);
  expect(pending.stderr).toBe("");
});

const result = (c: ReturnType<typeof change>, status: "applied" | "failed", message: string) => ({
  change: c,
  status,
  verified: status === "applied",
  message,
  durationMs: 12,
});

/** Shard A applied an update after 2 retries, shard B's create failed after 3. */
function appliedShards(): void {
  const a = change("a-ap", "update", A);
  const b = change("b-ap", "create", B);
  shardPlan(
    A,
    renderPlanJson(planOf([a]), { results: [result(a, "applied", "policy updated")], retries: 2 }),
  );
  shardPlan(
    B,
    renderPlanJson(planOf([b]), {
      results: [result(b, "failed", "AccessDenied: not allowed to write")],
      retries: 3,
    }),
  );
}

test("merged apply shards list what they wrote, what failed and their retries, in text and in Markdown", async () => {
  appliedShards();

  const text = await runCli(["merge-plans", "plans"], { cwd: folder });
  expect(text.code, text.stderr).toBe(1);
  const applied = text.stdout.slice(text.stdout.indexOf("s3ap apply"));
  expect(applied).toMatch(/applied\s+111122223333\/us-east-1\/a-ap\s+update\s+policy updated/);
  expect(applied).toMatch(
    /failed\s+444455556666\/us-east-1\/b-ap\s+create\s+AccessDenied: not allowed to write/,
  );
  expect(text.stdout.trimEnd().split("\n").slice(-2)).toEqual([
    "Apply: 1 applied and verified, 1 failed, 0 in sync, 0 observed (not written); 5 retries.",
    "Failed: 444455556666/us-east-1/b-ap.",
  ]);

  const markdown = await runCli(["merge-plans", "--format", "markdown", "plans"], { cwd: folder });
  expect(markdown.code, markdown.stderr).toBe(1);
  expect(markdown.stdout.slice(markdown.stdout.indexOf("## s3ap apply"))).toBe(
    [
      "## s3ap apply",
      "",
      "1 applied and verified, 1 failed, 0 in sync, 0 observed (not written); 5 retries.",
      "",
      "**Failed:** <code>444455556666/us-east-1/b-ap</code>.",
      "",
      "| Result | Access point | Action | Message |",
      "|---|---|---|---|",
      "| ✅ applied | <code>111122223333/us-east-1/a-ap</code> | update | policy updated |",
      "| ❌ failed | <code>444455556666/us-east-1/b-ap</code> | create | AccessDenied&#58; not allowed to write |",
      "",
    ].join("\n"),
  );
});

test("a shard plan from an s3ap that wrote no retries is merged; the count is not said rather than understated", async () => {
  appliedShards();
  const file = join(folder, "plans", A, "plan.json");
  const { retries: _, ...older } = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, JSON.stringify(older));

  const json = await runCli(["merge-plans", "--format", "json", "plans"], { cwd: folder });
  expect(json.code, json.stderr).toBe(1);
  expect(JSON.parse(json.stdout).results).toHaveLength(2);
  expect(JSON.parse(json.stdout)).not.toHaveProperty("retries");
  const text = await runCli(["merge-plans", "plans"], { cwd: folder });
  expect(text.stdout).toContain(
    "Apply: 1 applied and verified, 1 failed, 0 in sync, 0 observed (not written).\n",
  );
});
