// Three states end to end: the real CLI reads the base revision beside the head's files and live
// state from moto, and says for each change whether it comes from the files, from live, or both.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Plan, PlannedChange } from "../../src/reconcile/types.js";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  actionsPolicy,
  actionsPolicyYaml,
  createPolicyRepo,
  type PolicyRepo,
} from "../support/policy-repo.js";

const file = (name: string, actions: string[]) => actionsPolicyYaml(ACCOUNT, name, actions);
const live = (name: string, actions: string[]) => actionsPolicy(ACCOUNT, name, actions);

let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo;
let base: string;
let head: string;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
  repo = createPolicyRepo({
    "policies/pr-ap.yaml": file("pr-ap", ["s3:GetObject", "s3:PutObject"]),
    "policies/drift-ap.yaml": file("drift-ap", ["s3:GetObject"]),
    "policies/both-ap.yaml": file("both-ap", ["s3:GetObject"]),
    "policies/gone-ap.yaml": file("gone-ap", ["s3:GetObject"]),
    "policies/broken-ap.yaml": `${file("broken-ap", ["s3:GetObject"])}unknownKey: 1\n`,
  });
  base = repo.commit("base");
  repo.write("policies/pr-ap.yaml", file("pr-ap", ["s3:GetObject"]));
  repo.write("policies/both-ap.yaml", file("both-ap", ["s3:GetObject", "s3:PutObject"]));
  repo.write("policies/new-ap.yaml", file("new-ap", ["s3:GetObject"]));
  repo.write("policies/broken-ap.yaml", file("broken-ap", ["s3:GetObject"]));
  repo.write("policies/gone-ap.yaml", "");
  const { rmSync } = await import("node:fs");
  rmSync(`${repo.root}/policies/gone-ap.yaml`);
  head = repo.commit("head");
  await moto.reset();
  await seed.accessPoint(ACCOUNT, "pr-ap", live("pr-ap", ["s3:GetObject", "s3:PutObject"]));
  await seed.accessPoint(
    ACCOUNT,
    "drift-ap",
    live("drift-ap", ["s3:GetObject", "s3:DeleteObject"]),
  );
  await seed.accessPoint(ACCOUNT, "both-ap");
  await seed.accessPoint(ACCOUNT, "new-ap");
  await seed.accessPoint(ACCOUNT, "broken-ap", live("broken-ap", ["s3:GetObject"]));
}, 60_000);

afterAll(async () => {
  seed?.destroy();
  repo?.remove();
  await moto?.stop();
});

async function planJson(...args: string[]): Promise<{ code: number; plan: Plan; stderr: string }> {
  const result = await runCli(
    ["plan", "--format", "json", "--no-discover", "--endpoint-url", moto.url, ...args],
    { cwd: repo.root, env: TEST_AWS_ENV },
  );
  return { code: result.code, plan: JSON.parse(result.stdout) as Plan, stderr: result.stderr };
}

const byName = (plan: Plan, name: string) =>
  plan.changes.find((c) => c.name === name) as PlannedChange;

describe("plan --base", () => {
  test("each change says where it comes from, with its own verdicts beside what apply does", async () => {
    const { code, plan } = await planJson("--base", base);
    expect(code).toBe(2);
    expect(plan.commit).toBe(head);
    expect(byName(plan, "pr-ap")).toMatchObject({
      action: "update",
      origin: "change",
      changeAccess: "narrows",
      access: "narrows",
    });
    expect(byName(plan, "drift-ap")).toMatchObject({
      action: "update",
      origin: "drift",
      driftAccess: "widens",
      access: "narrows",
    });
    expect(byName(plan, "both-ap")).toMatchObject({
      action: "create",
      origin: "change+drift",
      changeAccess: "widens",
      driftAccess: "narrows",
      access: "widens",
    });
    expect(byName(plan, "new-ap")).toMatchObject({
      action: "create",
      origin: "change",
      baseFile: "new",
    });
    // A base file that does not validate is a warning of the plan, not a failure.
    expect(byName(plan, "broken-ap")).toMatchObject({ action: "noop", baseFile: "invalid" });
    expect(plan.base).toMatchObject({ ref: base, commit: base });
    expect(plan.base?.warnings.join("\n")).toMatch(
      /1 file did not validate at the base revision [0-9a-f]{40}[\s\S]*policies\/broken-ap\.yaml:12:1: /,
    );
    expect(plan.base?.released.map((r) => [r.name, r.file])).toEqual([
      ["gone-ap", "policies/gone-ap.yaml"],
    ]);
  }, 60_000);

  test("without --base the base is HEAD: on a clean tree every difference is drift", async () => {
    const { plan } = await planJson();
    expect(plan.base).toMatchObject({ ref: "HEAD", commit: head, released: [] });
    for (const change of plan.changes.filter((c) => c.action !== "noop")) {
      expect(change.origin, change.name).toBe("drift");
      expect(change.changeAccess, change.name).toBeUndefined();
    }
  }, 60_000);

  test("uncommitted edits are the change", async () => {
    // s3:PutObject acts on objects, like the statement's Resource (s3:ListBucket would not:
    // AWS refuses an action that applies to none of the statement's resources).
    repo.write("policies/drift-ap.yaml", file("drift-ap", ["s3:GetObject", "s3:PutObject"]));
    try {
      const { plan } = await planJson();
      expect(plan.dirty).toBe(true);
      expect(byName(plan, "drift-ap")).toMatchObject({
        origin: "change+drift",
        changeAccess: "widens",
        driftAccess: "widens",
      });
      // HEAD has pr-ap's narrowing committed; live still has the old policy: drift against HEAD.
      expect(byName(plan, "pr-ap").origin).toBe("drift");
    } finally {
      repo.write("policies/drift-ap.yaml", file("drift-ap", ["s3:GetObject"]));
    }
  }, 60_000);

  test("a base that cannot be read is a warning: the plan goes on and tells nothing apart", async () => {
    const { code, plan } = await planJson("--base", "no-such-branch");
    expect(code).toBe(2);
    expect(plan.base?.warnings.join("\n")).toMatch(
      /the base revision no-such-branch could not be read .*unknown ref "no-such-branch"/,
    );
    expect(plan.changes.some((c) => c.origin !== undefined)).toBe(false);
  }, 60_000);

  test("a base without the policies folder: every file is new", async () => {
    const empty = createPolicyRepo({ "README.md": "policies come later\n" });
    try {
      const first = empty.commit("empty");
      empty.write("policies/new-ap.yaml", file("new-ap", ["s3:GetObject"]));
      empty.commit("policies");
      const result = await runCli(
        ["plan", "--format", "json", "--no-discover", "--endpoint-url", moto.url, "--base", first],
        { cwd: empty.root, env: TEST_AWS_ENV },
      );
      const plan = JSON.parse(result.stdout) as Plan;
      expect(plan.base?.warnings, result.stderr).toEqual([]);
      expect(plan.changes[0]).toMatchObject({ origin: "change", baseFile: "new" });
    } finally {
      empty.remove();
    }
  }, 60_000);
});
