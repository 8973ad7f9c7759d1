// The job summary of a plan or apply: what it cuts names where the full plan is, as text.
import { expect, test } from "vitest";
import { renderRunSummary } from "../../src/report/run-summary.js";
import { change, planOf } from "../github/plan-fixture.js";

test("a cut summary points at the plan file by its path, shown as code, never as Markdown", () => {
  const plan = planOf(Array.from({ length: 60 }, (_, i) => change(`ap-${i}`, "update")));
  const summary = renderRunSummary(
    {
      status: "planned",
      source: { root: "/r", policiesDir: "/r/p", commit: null, dirty: false },
      warnings: [],
      plan,
    },
    { mode: "plan", retries: 0, cwd: "/r", budget: 2000, planPath: "/tmp/<img src=x>[a](b).json" },
  );
  expect(summary).toContain("The full plan: the plan JSON (`plan-path` output: <code>");
  expect(summary).not.toContain("<img");
  expect(summary).not.toContain("[a](b)");
});

test("errors come before everything else: a failed write, and a refusal", () => {
  const failing = change("b-ap", "update");
  const plan = planOf([change("a-ap", "update"), failing]);
  const source = { root: "/r", policiesDir: "/r/p", commit: null, dirty: false };
  const options = { mode: "apply", retries: 0, cwd: "/r", budget: 100_000, planPath: "" };
  const applied = renderRunSummary(
    {
      status: "applied",
      source,
      warnings: [],
      plan,
      results: plan.changes.map((c) => ({
        change: c,
        status: c === failing ? ("failed" as const) : ("applied" as const),
        verified: c !== failing,
        message: c === failing ? "AccessDenied: s3:PutAccessPointPolicy" : "written and verified",
        durationMs: 1,
      })),
    },
    options,
  );
  const error = applied.indexOf(
    "> ❌ **1 access point could not be written**: <code>111122223333/us-east-1/b-ap</code>",
  );
  expect(error).toBeGreaterThan(0);
  expect(error).toBeLessThan(applied.indexOf("### Account"));
  const refused = renderRunSummary(
    {
      status: "refused",
      source,
      warnings: [],
      plan,
      refusal: { kind: "max-changes", writes: 2, limit: 1 },
    },
    { ...options, refusal: "2 changes planned, more than input max-changes 1" },
  );
  const refusal = refused.indexOf("> ❌ **Refused:** 2 changes planned");
  expect(refusal).toBeGreaterThan(0);
  expect(refusal).toBeLessThan(refused.indexOf("### Account"));
});
