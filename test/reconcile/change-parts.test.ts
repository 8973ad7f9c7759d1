import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { PART_KEYS, PartsStore, storeChange } from "../../src/reconcile/change-parts.js";
import { governPlan } from "../../src/reconcile/govern.js";
import { plan, planOne } from "../../src/reconcile/plan.js";
import { changeDocument, type PlannedChange, partsOf } from "../../src/reconcile/types.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { desiredAp, readPolicy, widerReadPolicy } from "../support/desired.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "s3ap-parts-test-"));
  dirs.push(dir);
  return dir;
}

/** One access point of each action: create, update, noop (explained), delete, error. */
function tree() {
  const aps = [
    desiredAp("to-create"),
    desiredAp("to-update"),
    desiredAp("same"),
    desiredAp("to-delete", { policy: null }),
    desiredAp("broken"),
  ];
  const [create, update, same, gone, broken] = aps as [
    (typeof aps)[0],
    (typeof aps)[0],
    (typeof aps)[0],
    (typeof aps)[0],
    (typeof aps)[0],
  ];
  const live = new Map<string, LiveState>([
    [accessPointKey(create), { kind: "none" }],
    [accessPointKey(update), { kind: "policy", policy: widerReadPolicy(update.arn) }],
    [accessPointKey(same), { kind: "policy", policy: readPolicy(same.arn) }],
    [accessPointKey(gone), { kind: "policy", policy: readPolicy(gone.arn) }],
    [accessPointKey(broken), { kind: "error", code: "AccessDenied", message: "denied" }],
  ]);
  return { aps, live };
}

describe("a planned change keeps its report parts out of the heap, read back through partsOf", () => {
  test("a stored change holds none of its parts as fields, and reads back the whole change field for field, in order", () => {
    const { aps, live } = tree();
    const store = new PartsStore();
    for (const ap of aps) {
      const whole = planOne(ap, live.get(accessPointKey(ap)), { explain: true });
      const stored = storeChange(whole, store);
      for (const key of PART_KEYS) expect(Object.keys(stored)).not.toContain(key);
      expect(changeDocument(stored)).toEqual(whole);
      // The plan JSON of the change reads exactly as before: same fields, same order.
      expect(JSON.stringify(changeDocument(stored))).toBe(JSON.stringify(whole));
      expect(partsOf(stored).diff).toEqual(whole.diff);
      expect(partsOf(stored).before).toEqual(whole.before);
    }
  });

  test("a stored change cannot be written as JSON without its parts: every report goes through changeDocument", () => {
    const { aps, live } = tree();
    const planned = plan(aps, live, SHA);
    const update = planned.changes.find((c) => c.name === "to-update") as PlannedChange;
    expect(() => JSON.stringify(update)).toThrow(/use changeDocument/);
    expect(() => JSON.stringify(planned)).toThrow(/use changeDocument/);
    // The plan JSON renderer reads every change's parts back: the diff is in it.
    expect(renderPlanJson(planned)).toContain('"s3:DeleteObject"');
  });

  test("fields a stage adds after the change is stored come after the stored ones, as when it added them to the whole change", () => {
    const { aps, live } = tree();
    const planned = plan(aps, live, SHA);
    const governed = governPlan(
      planned,
      (c) => (c.action === "update" ? { origin: "drift", base: c.after } : undefined),
      { config: null, now: Date.parse("2026-03-01T00:00:00Z") },
    );
    const update = governed.changes.find((c) => c.name === "to-update") as PlannedChange;
    const keys = Object.keys(changeDocument(update));
    expect(keys.slice(-2)).toEqual(["driftTrust", "remediation"]);
    expect(keys).toContain("diff");
    expect(keys.indexOf("diff")).toBeLessThan(keys.indexOf("driftTrust"));
  });

  test("parts read back are plain data without a prototype, a fresh copy each time", () => {
    const { aps, live } = tree();
    const update = plan(aps, live, SHA).changes.find((c) => c.name === "to-update");
    const first = partsOf(update as PlannedChange);
    const second = partsOf(update as PlannedChange);
    expect(first).not.toBe(second);
    expect(Object.getPrototypeOf(first)).toBeNull();
    expect(Object.getPrototypeOf(first.before)).toBeNull();
    const statement = first.before?.Statement;
    expect(Array.isArray(statement)).toBe(true);
    expect(Object.getPrototypeOf((statement as object[])[0])).toBeNull();
  });
});

describe("a store past its limit moves to a temporary file that no exit path can leave behind", () => {
  test("the file is unlinked the moment it is opened, and every part reads back the same from it", () => {
    const dir = tempDir();
    const store = new PartsStore({ spillAt: 0, tempDir: dir });
    const texts = ["{}", JSON.stringify({ text: "é ✓ \u2028 𝄞" }), "x".repeat(100_000), "[]"];
    const at = texts.map((text) => store.put(text));
    expect(store.spilled).toBe(true);
    // Nothing in the directory while the store is in use: a crash or a kill leaves nothing.
    expect(readdirSync(dir)).toEqual([]);
    texts.forEach((text, i) => {
      expect(store.read(at[i] as number)).toBe(text);
    });
  });

  test("without a usable temporary folder a store keeps every part in memory and the run goes on", () => {
    const missing = join(tempDir(), "no-such-folder");
    const store = new PartsStore({ spillAt: 10, tempDir: missing });
    const texts = ["{}", "x".repeat(1_000), JSON.stringify({ text: "é ✓" })];
    const at = texts.map((text) => store.put(text));
    expect(store.spilled).toBe(false);
    texts.forEach((text, i) => {
      expect(store.read(at[i] as number)).toBe(text);
    });
  });

  test("below its limit a store keeps the parts in memory and makes no file", () => {
    const dir = tempDir();
    const store = new PartsStore({ spillAt: 1_000_000, tempDir: dir });
    store.put("{}");
    expect(store.spilled).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("every report of a plan whose parts are in the file reads exactly as one held in memory", () => {
    const { aps, live } = tree();
    const inMemory = plan(aps, live, SHA, { explain: true });
    const dir = tempDir();
    const spilled = new PartsStore({ spillAt: 0, tempDir: dir });
    const inFile = plan(aps, live, SHA, { explain: true }, spilled);
    expect(spilled.spilled).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(renderPlanJson(inFile)).toBe(renderPlanJson(inMemory));
    expect(renderPlanText(inFile, { color: false, verbose: true })).toBe(
      renderPlanText(inMemory, { color: false, verbose: true }),
    );
    expect(renderPlanMarkdown(inFile)).toBe(renderPlanMarkdown(inMemory));
    expect(renderPlanText(inFile, { color: false })).toContain("s3:DeleteObject");
  });
});
