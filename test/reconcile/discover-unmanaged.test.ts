// Unmanaged access points: listed in the pairs the files use, never in others, never changed.
import { describe, expect, test } from "vitest";
import { AwsError } from "../../src/errors.js";
import { discoverUnmanaged } from "../../src/reconcile/discover-unmanaged.js";
import { plan, withUnmanaged } from "../../src/reconcile/plan.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { ACTION_NAMES } from "../../src/run/option-names.js";
import { ACCOUNT, desiredAp } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";

const EAST = { accountId: ACCOUNT, region: "us-east-1" };
const WEST = { accountId: ACCOUNT, region: "eu-west-1" };
const OTHER = { accountId: "444455556666", region: "us-east-1" };

function store(): MemoryStore {
  return new MemoryStore()
    .addAccessPoint({ ...EAST, name: "managed" })
    .addAccessPoint(
      { ...EAST, name: "legacy-with-policy" },
      { Version: "2012-10-17", Statement: [] },
    )
    .addAccessPoint({ ...EAST, name: "legacy-bare" })
    .addAccessPoint({ ...WEST, name: "west-legacy" })
    .addAccessPoint({ ...OTHER, name: "other-account" });
}

describe("discoverUnmanaged", () => {
  test("lists what no file declares in the pairs the files use, with whether each has a policy", async () => {
    const memory = store();
    const result = await discoverUnmanaged([desiredAp("managed")], memory, { concurrency: 4 });
    expect(result.discovery).toEqual({ enabled: true, warnings: [] });
    expect(result.unmanaged).toEqual([
      {
        ...EAST,
        name: "legacy-bare",
        arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/legacy-bare`,
        hasPolicy: false,
      },
      {
        ...EAST,
        name: "legacy-with-policy",
        arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/legacy-with-policy`,
        hasPolicy: true,
      },
    ]);
    // Only reads: one listing of the one pair used, one policy read per unmanaged access point.
    expect(memory.calls.map((c) => c.operation).sort()).toEqual(["get", "get", "list"]);
    expect(memory.writes()).toEqual([]);
  });

  test("AccessDenied on ListAccessPoints is one warning naming the action; other pairs go on", async () => {
    const memory = store();
    const list = memory.listAccessPoints.bind(memory);
    memory.listAccessPoints = async (accountId, region) => {
      if (region === "eu-west-1" || accountId === OTHER.accountId) {
        throw new AwsError("access denied", "AccessDenied", false, 403);
      }
      return list(accountId, region);
    };
    const declared = [
      desiredAp("managed"),
      desiredAp("west", { region: "eu-west-1" }),
      desiredAp("x", { accountId: OTHER.accountId }),
    ];
    const result = await discoverUnmanaged(declared, memory, { concurrency: 4 });
    expect(result.unmanaged.map((u) => u.name)).toEqual(["legacy-bare", "legacy-with-policy"]);
    expect(result.discovery.warnings).toHaveLength(1);
    expect(result.discovery.warnings[0]).toMatch(
      /^access points no file declares were not listed for account 111122223333 in eu-west-1, account 444455556666 in us-east-1: ListAccessPoints was denied; grant s3:ListAccessPoints/,
    );
    expect(result.discovery.warnings[0]).toMatch(/, or turn discovery off \(--no-discover\)$/);
    // The Action names its input instead.
    const action = await discoverUnmanaged(declared, memory, {
      concurrency: 4,
      optionName: ACTION_NAMES.name,
    });
    expect(action.discovery.warnings[0]).toMatch(/, or turn discovery off \(input discover\)$/);
  });

  test("--only narrows the unmanaged access points too; a policy that cannot be read is null", async () => {
    const memory = store().failOn(
      { ...EAST, name: "legacy-bare" },
      new AwsError("x", "AccessDenied", false),
    );
    memory.getPolicy = async () => ({ kind: "error", code: "AccessDenied", message: "denied" });
    const result = await discoverUnmanaged([desiredAp("managed")], memory, {
      concurrency: 4,
      selects: (ref) => ref.name.endsWith("-bare"),
    });
    expect(result.unmanaged).toEqual([
      expect.objectContaining({ name: "legacy-bare", hasPolicy: null }),
    ]);
    expect(result.discovery.warnings).toEqual([
      expect.stringContaining("whether 1 unmanaged access point has a policy could not be read"),
    ]);
  });
});

describe("unmanaged access points in the reports", () => {
  const unmanaged = Array.from({ length: 23 }, (_, i) => ({
    ...EAST,
    name: `legacy-${String(i).padStart(2, "0")}`,
    arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/legacy-${String(i).padStart(2, "0")}`,
    hasPolicy: i % 2 === 0,
  }));
  const inSync = withUnmanaged(
    plan(
      [desiredAp("managed", { policy: null })],
      new Map([[`${ACCOUNT}/us-east-1/managed`, { kind: "none" }]]),
      "c".repeat(40),
    ),
    { enabled: true, warnings: ["access points no file declares were not listed for …"] },
    unmanaged,
  );

  test("JSON: unmanaged[] with the contract's fields and summary.unmanaged", () => {
    const json = JSON.parse(renderPlanJson(inSync));
    expect(json.summary).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      noop: 1,
      error: 0,
      unmanaged: 23,
    });
    expect(json.unmanaged[0]).toEqual({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "legacy-00",
      arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/legacy-00`,
      hasPolicy: true,
    });
    expect(json.discovery.enabled).toBe(true);
  });

  test("text: a section with the first 20 names, the count in the summary line, the warning", () => {
    const text = renderPlanText(inSync, { color: false });
    expect(text).toContain(
      "23 unmanaged access points: no file declares them, so s3ap never changes them",
    );
    expect(text).toContain(
      `  ? ${ACCOUNT}/us-east-1/legacy-00 (has a policy)\n  ? ${ACCOUNT}/us-east-1/legacy-01 (no policy)`,
    );
    expect(text).toContain("legacy-19");
    expect(text).not.toContain("legacy-20");
    expect(text).toContain("… and 3 more (--verbose lists them all, as the plan JSON does)");
    expect(renderPlanText(inSync, { color: false, names: ACTION_NAMES })).toContain(
      "… and 3 more (input verbose lists them all, as the plan JSON does)",
    );
    expect(text).toContain("warning: access points no file declares were not listed");
    expect(text).toContain("No changes. 1 access point is in sync. 23 unmanaged.");
    expect(renderPlanText(inSync, { color: false, verbose: true })).toContain("legacy-22");
  });

  test("Markdown: the count in the head line, a table of the first names, the warning", () => {
    const markdown = renderPlanMarkdown(inSync, { maxBytes: 2000 });
    expect(markdown).toContain("0 errors, 23 unmanaged");
    expect(markdown).toContain("### 23 unmanaged access points");
    expect(markdown).toContain(
      "| 111122223333 | us-east-1 | <code>legacy-00</code> | has a policy |",
    );
    expect(markdown).toContain("… and 3 more");
    expect(markdown).toContain("> ⚠️ access points no file declares were not listed");
  });

  test("discovery off: no count, no section", () => {
    const off = plan(
      [desiredAp("managed", { policy: null })],
      new Map([[`${ACCOUNT}/us-east-1/managed`, { kind: "none" }]]),
      null,
    );
    expect(renderPlanText(off, { color: false })).not.toContain("unmanaged");
    expect(renderPlanMarkdown(off)).not.toContain("unmanaged");
  });
});
