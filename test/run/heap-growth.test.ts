// Both entries hold the heap the same way through a plan or apply: the looser growth limit while
// the tree is checked, the tighter one from the moment every file is checked.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { cliReconcile } from "../../src/commands/reconcile.js";
import { runAction } from "../../src/github/run-action.js";
import { PLAN_OPTIONS, type PlanOptions, type ReportOptions } from "../../src/run/options.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

/** Each stage set, with whether every file had been checked by then. */
const stages: { stage: string; checked: boolean }[] = [];
vi.mock("../../src/run/heap-growth.js", () => ({
  limitHeapGrowth: (stage: string) => {
    stages.push({ stage, checked: performance.getEntriesByName("s3ap:validated").length > 0 });
  },
}));

let repo: PolicyRepo | undefined;
beforeEach(() => {
  stages.length = 0;
  performance.clearMarks();
  repo = createPolicyRepo({
    "policies/a-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
    "policies/b-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "b-ap" }),
  });
  repo.commit();
});
afterEach(() => repo?.remove());

function storeOf(): MemoryStore & { destroy(): void } {
  const store = new MemoryStore();
  for (const name of ["a-ap", "b-ap"]) {
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name });
  }
  return Object.assign(store, { destroy: () => {} });
}

const EXPECTED = [
  { stage: "checking", checked: false },
  { stage: "planning", checked: true },
];

test("the CLI's plan lets the heap grow twice past what it holds while the tree is checked, a quarter after", async () => {
  const defaults: Record<string, unknown> = { format: "text" };
  for (const [key, spec] of Object.entries(PLAN_OPTIONS)) {
    if (spec.default !== undefined) defaults[key] = spec.default;
  }
  const store = storeOf();
  const code = await cliReconcile(
    { command: "plan", options: { ...(defaults as unknown as PlanOptions & ReportOptions) } },
    {
      stdout: () => {},
      stderr: () => {},
      env: { NO_COLOR: "1" },
      cwd: repo?.root ?? "",
      isTTY: false,
    },
    { createStore: () => store },
  );
  // 2: changes pending (the access points have no policy yet).
  expect(code).toBe(2);
  expect(store.calls.filter((c) => c.operation === "get")).toHaveLength(2);
  expect(stages).toEqual(EXPECTED);
});

test("the Action's plan holds the heap as the CLI's does", async () => {
  const store = storeOf();
  const lines: string[] = [];
  const code = await runAction({
    env: { INPUT_COMMAND: "plan", "INPUT_POLICIES-DIRECTORY": "policies" },
    cwd: repo?.root ?? "",
    log: (text) => lines.push(text),
    createStore: () => store,
    sleep: async () => {},
    now: () => 0,
  });
  expect(code, lines.join("")).toBe(0);
  expect(store.calls.filter((c) => c.operation === "get")).toHaveLength(2);
  expect(stages).toEqual(EXPECTED);
});
