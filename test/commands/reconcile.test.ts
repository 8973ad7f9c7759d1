// `s3ap apply` in a terminal shows the plan before it writes, as Terraform does; the results
// follow, and the plan is not printed a second time. A long plan's text does not hold the writes
// back: they go out while it is shown, and no progress bar cuts into it.
import { afterEach, expect, test } from "vitest";
import { cliReconcile } from "../../src/commands/reconcile.js";
import type { AccessPointRef } from "../../src/model.js";
import {
  APPLY_COMMAND_OPTIONS,
  type ApplyOptions,
  type ReportOptions,
} from "../../src/run/options.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

let repo: PolicyRepo | undefined;
afterEach(() => repo?.remove());

function applyOptions(extra: Partial<ApplyOptions & ReportOptions>): ApplyOptions & ReportOptions {
  const defaults: Record<string, unknown> = { format: "text" };
  for (const [key, spec] of Object.entries(APPLY_COMMAND_OPTIONS)) {
    if (spec.default !== undefined) defaults[key] = spec.default;
  }
  return { ...(defaults as unknown as ApplyOptions & ReportOptions), ...extra };
}

/** A store whose writes land in the same log as what the command prints, each a turn of the
 * event loop later (as a network write is). */
class LoggingStore extends MemoryStore {
  constructor(private readonly log: string[]) {
    super();
  }
  override async putPolicy(ref: AccessPointRef, policyJson: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.log.push(`[put ${ref.name}]`);
    await super.putPolicy(ref, policyJson);
  }
}

/**
 * `s3ap apply` in a terminal over a committed repository declaring `names` (all new live), with
 * what it prints (unless `stdout` says otherwise) and what it writes in one log.
 */
async function applyInTerminal(
  names: readonly string[],
  log: string[] = [],
  stdout: (text: string) => void = (text) => log.push(text),
): Promise<{ code: number; log: string[] }> {
  repo = createPolicyRepo(
    Object.fromEntries(
      names.map((name) => [`policies/${name}.yaml`, policyYaml({ accountId: ACCOUNT, name })]),
    ),
  );
  repo.commit();
  const store = new LoggingStore(log);
  for (const name of names) store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name });
  const code = await cliReconcile(
    { command: "apply", options: applyOptions({ color: false }) },
    {
      stdout,
      stderr: (text) => log.push(`[stderr] ${text}`),
      env: { NO_COLOR: "1" },
      cwd: repo.root,
      isTTY: true,
    },
    { createStore: () => Object.assign(store, { destroy: () => {} }) },
  );
  return { code, log };
}

test("apply in a terminal prints the plan before the first write, and the results after", async () => {
  const { code, log } = await applyInTerminal(["a-ap", "b-ap"]);
  expect(code).toBe(0);
  const planAt = log.findIndex((entry) => entry.includes("Plan: 2 to create"));
  const firstPut = log.findIndex((entry) => entry.startsWith("[put "));
  const resultsAt = log.findIndex((entry) => entry.includes("Apply: 2 applied and verified"));
  expect(planAt).toBeGreaterThanOrEqual(0);
  expect(firstPut).toBeGreaterThan(planAt);
  expect(resultsAt).toBeGreaterThan(firstPut);
  const printed = log.filter((entry) => !entry.startsWith("[")).join("");
  expect(printed.split("Plan: 2 to create")).toHaveLength(2);
});

test("a plan, or an apply with nothing to write, prints its report once at the end", async () => {
  repo = createPolicyRepo({ "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }) });
  repo.commit();
  const log: string[] = [];
  const store = new LoggingStore(log).addAccessPoint({
    accountId: ACCOUNT,
    region: "us-east-1",
    name: "a-ap",
  });
  const io = {
    stdout: (text: string) => log.push(text),
    stderr: () => {},
    env: { NO_COLOR: "1" },
    cwd: repo.root,
    isTTY: true,
  };
  const factories = { createStore: () => Object.assign(store, { destroy: () => {} }) };
  await cliReconcile({ command: "apply", options: applyOptions({ dryRun: true }) }, io, factories);
  expect(log.filter((entry) => entry.includes("Plan: 1 to create"))).toHaveLength(1);
  expect(log.filter((entry) => entry.startsWith("[put "))).toEqual([]);
});

test("a long plan is shown whole while its first writes go out, and no bar cuts into it", async () => {
  const names = Array.from({ length: 150 }, (_, i) => `ap-${String(i).padStart(3, "0")}`);
  const { code, log } = await applyInTerminal(names);
  expect(code).toBe(0);
  const planAt = log.findIndex((entry) => entry.startsWith("s3ap plan — "));
  const planEnd = log.findIndex((entry) => entry.includes("Plan: 150 to create"));
  const firstPut = log.findIndex((entry) => entry.startsWith("[put "));
  const resultsAt = log.findIndex((entry) => entry.includes("Apply: 150 applied and verified"));
  // The plan's first part is shown before the first write; the writes do not wait for its end.
  expect(planAt).toBeGreaterThanOrEqual(0);
  expect(firstPut).toBeGreaterThan(planAt);
  expect(firstPut).toBeLessThan(planEnd);
  expect(resultsAt).toBeGreaterThan(planEnd);
  // Nothing but the plan's own text between its first and its last part: no bar, no results.
  const during = log.slice(planAt, planEnd + 1).filter((entry) => !entry.startsWith("[put "));
  expect(during.filter((entry) => entry.startsWith("[stderr]"))).toEqual([]);
  // Whole and in order: every access point once, as sorted.
  const text = during.join("");
  const at = names.map((name) => text.indexOf(`/${name}`));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});

test("a stdout that breaks while the plan is shown fails the run only once every write is done", async () => {
  const names = Array.from({ length: 150 }, (_, i) => `ap-${String(i).padStart(3, "0")}`);
  const log: string[] = [];
  let chunks = 0;
  const run = applyInTerminal(names, log, (text) => {
    // The first part of the plan is shown; the next one finds the reader gone.
    if (++chunks > 1) throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    log.push(text);
  });
  await expect(run).rejects.toThrow("write EPIPE");
  // Nothing was cut short: every access point was written (and the process was not ended by an
  // unhandled rejection in the middle of the writes).
  expect(log.filter((entry) => entry.startsWith("[put ")).sort()).toEqual(
    names.map((name) => `[put ${name}]`),
  );
});
