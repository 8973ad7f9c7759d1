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
