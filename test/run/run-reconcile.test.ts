// The run layer of plan and apply over a real repository and an in-memory store: s3ap.yaml comes
// from the same tree as the policies (whatever revision that is), AWS access is opened only for a
// run that reads, and Access Analyzer only when asked for.
import { afterEach, describe, expect, test } from "vitest";
import type { AssumeRoleRequest } from "../../src/aws/assume-role.js";
import type { PolicyChecker } from "../../src/reconcile/ports.js";
import type { StoreSettings } from "../../src/run/aws-access.js";
import { CLI_NAMES } from "../../src/run/option-names.js";
import { PLAN_OPTIONS, type PlanOptions } from "../../src/run/options.js";
import { type RunDeps, runReconcile } from "../../src/run/run-reconcile.js";
import { runValidate } from "../../src/run/validate.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/from-s3ap-yaml`;

let repo: PolicyRepo | undefined;
afterEach(() => repo?.remove());

/** Plan options at their defaults, as both entries read them. */
function planOptions(extra: Partial<PlanOptions> = {}): PlanOptions {
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(PLAN_OPTIONS)) {
    if (spec.default !== undefined) defaults[key] = spec.default;
  }
  return { ...(defaults as unknown as PlanOptions), ...extra };
}

/** Deps over an in-memory store in the current repo; records the store settings and AssumeRoles. */
function recordingDeps(store = new MemoryStore()) {
  const settings: StoreSettings[] = [];
  const assumed: AssumeRoleRequest[] = [];
  const checkers: PolicyChecker[] = [];
  const deps: RunDeps = {
    cwd: repo?.root ?? "",
    env: {},
    sleep: async () => {},
    now: () => 0,
    explain: false,
    names: CLI_NAMES,
    createStore: (given) => {
      settings.push(given);
      return Object.assign(store, { destroy: () => {} });
    },
    createChecker: () => {
      const checker: PolicyChecker & { destroy(): void } = {
        validatePolicy: async () => [],
        checkNoPublicAccess: async () => ({ result: "PASS", message: "", reasons: [] }),
        checkNoNewAccess: async () => ({ result: "PASS", message: "", reasons: [] }),
        destroy: () => {},
      };
      checkers.push(checker);
      return checker;
    },
    assumeRole: (request) => {
      assumed.push(request);
      return async () => ({ accessKeyId: "AKIA", secretAccessKey: "secret" });
    },
  };
  return { deps, settings, assumed, checkers, store };
}

describe("s3ap.yaml is read from the same tree as the policies", () => {
  test("plan --ref HEAD assumes the role the commit's s3ap.yaml names, not the working tree's", async () => {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "s3ap.yaml": `roleArn: ${ROLE}\n`,
    });
    repo.commit();
    // The working tree no longer has it: only the commit does.
    repo.write("s3ap.yaml", "");
    const { deps, settings, assumed } = recordingDeps(
      new MemoryStore().addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "a-ap" }),
    );
    const { outcome } = await runReconcile(
      { command: "plan", options: planOptions({ ref: "HEAD" }) },
      { ...deps, cwd: repo.root },
    );
    expect(outcome.status).toBe("planned");
    const credentials = settings[0]?.accountCredentials;
    expect(credentials, "no role came from the commit's s3ap.yaml").toBeDefined();
    await credentials?.providerFor(ACCOUNT, "us-east-1");
    expect(assumed.map((r) => r.roleArn)).toEqual([ROLE]);
  });

  test("validate --ref HEAD reports an invalid s3ap.yaml of that commit", async () => {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "s3ap.yaml": "roleArn: arn:aws:iam::${accountId}:role/x\nbogus: 1\n",
    });
    repo.commit();
    repo.write("s3ap.yaml", "");
    const outcome = await runValidate({ dir: "policies", ref: "HEAD" }, repo.root, Date.now());
    expect(outcome.status === "checked" && outcome.problems).toEqual([
      expect.objectContaining({ file: "s3ap.yaml", line: 2, col: 1, rule: "unknown-key" }),
    ]);
  });

  test("a symlinked s3ap.yaml in the commit is refused, as in a working tree", async () => {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "elsewhere.yaml": `roleArn: ${ROLE}\n`,
    });
    const { symlinkSync } = await import("node:fs");
    symlinkSync("elsewhere.yaml", `${repo.root}/s3ap.yaml`);
    repo.commit();
    const outcome = await runValidate({ dir: "policies", ref: "HEAD" }, repo.root, Date.now());
    expect(outcome.status === "checked" && outcome.problems.map((p) => p.message)).toEqual([
      "s3ap.yaml is a symbolic link; commit the file itself",
    ]);
  });
});

/** A committed tree declaring a-ap, and a store where it exists with no policy. */
function oneAccessPoint(): MemoryStore {
  repo = createPolicyRepo({ "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }) });
  repo.commit();
  return new MemoryStore().addAccessPoint({
    accountId: ACCOUNT,
    region: "us-east-1",
    name: "a-ap",
  });
}

describe("AWS access is opened by the run layer, only when needed", () => {
  test("invalid files open no store", async () => {
    repo = createPolicyRepo({ "policies/a.yaml": "accountId: 1\n" });
    repo.commit();
    const { deps, settings } = recordingDeps();
    const { outcome } = await runReconcile(
      { command: "plan", options: planOptions() },
      { ...deps, cwd: repo.root },
    );
    expect(outcome.status).toBe("invalid");
    expect(settings).toEqual([]);
  });

  test("Access Analyzer is created only when asked for (it is charged per call)", async () => {
    const store = oneAccessPoint();
    const without = recordingDeps(store);
    await runReconcile({ command: "plan", options: planOptions() }, without.deps);
    expect(without.checkers).toEqual([]);
    const asked = recordingDeps(store);
    await runReconcile(
      { command: "plan", options: planOptions({ accessAnalyzer: true }) },
      asked.deps,
    );
    expect(asked.checkers).toHaveLength(1);
  });

  test("plan and apply --dry-run write nothing; apply writes", async () => {
    const store = oneAccessPoint();
    const { deps: run } = recordingDeps(store);
    const apply = { ...planOptions(), allowDirty: false, remediate: false };
    await runReconcile({ command: "plan", options: planOptions() }, run);
    await runReconcile({ command: "apply", options: { ...apply, dryRun: true } }, run);
    expect(store.writes()).toEqual([]);
    const { outcome } = await runReconcile(
      { command: "apply", options: { ...apply, dryRun: false } },
      run,
    );
    expect(outcome.status).toBe("applied");
    expect(store.writes()).toHaveLength(1);
  });
});

describe("live state is read while the rest of the tree is checked", () => {
  const OTHER = "444455556666";
  const gets = (store: MemoryStore) =>
    store.calls.filter((c) => c.operation === "get").map((c) => c.key.split("/").at(-1));

  function threeAccessPoints(middle: string) {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "policies/b.yaml": middle,
      "policies/c.yaml": policyYaml({ accountId: ACCOUNT, name: "c-ap" }),
    });
    repo.commit();
    const store = new MemoryStore();
    for (const name of ["a-ap", "b-ap", "c-ap"]) {
      store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name });
    }
    return store;
  }

  test("a valid file is read before the later files are checked; an error stops the run, writes nothing and reads nothing after it", async () => {
    const store = threeAccessPoints("accountId: 1\n");
    const { deps } = recordingDeps(store);
    const { outcome } = await runReconcile(
      {
        command: "apply",
        options: { ...planOptions(), allowDirty: false, dryRun: false, remediate: false },
      },
      { ...deps, cwd: repo?.root ?? "" },
    );
    expect(outcome.status).toBe("invalid");
    expect(gets(store)).toEqual(["a-ap"]);
    expect(store.writes()).toEqual([]);
  });

  test("each access point is read once, the read ahead serving the plan", async () => {
    const store = threeAccessPoints(policyYaml({ accountId: ACCOUNT, name: "b-ap" }));
    const { deps } = recordingDeps(store);
    const { outcome } = await runReconcile(
      { command: "plan", options: planOptions() },
      { ...deps, cwd: repo?.root ?? "" },
    );
    expect(outcome.status).toBe("planned");
    expect(gets(store)).toEqual(["a-ap", "b-ap", "c-ap"]);
  });

  test("a shard (--account) and --only read ahead only what they plan", async () => {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "policies/b.yaml": policyYaml({ accountId: OTHER, name: "b-ap" }),
      "policies/c.yaml": policyYaml({ accountId: OTHER, name: "c-ap" }),
    });
    repo.commit();
    const store = new MemoryStore();
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "a-ap" });
    store.addAccessPoint({ accountId: OTHER, region: "us-east-1", name: "b-ap" });
    store.addAccessPoint({ accountId: OTHER, region: "us-east-1", name: "c-ap" });
    const { deps } = recordingDeps(store);
    const run = { ...deps, cwd: repo.root };
    await runReconcile(
      { command: "plan", options: planOptions({ account: [OTHER], discover: false }) },
      run,
    );
    expect(gets(store)).toEqual(["b-ap", "c-ap"]);
    store.calls.length = 0;
    await runReconcile(
      { command: "plan", options: planOptions({ only: ["c-*"], discover: false }) },
      run,
    );
    expect(gets(store)).toEqual(["c-ap"]);
  });

  test("apply of a tree with uncommitted changes is refused without reading anything", async () => {
    const store = threeAccessPoints(policyYaml({ accountId: ACCOUNT, name: "b-ap" }));
    repo?.write(
      "policies/c.yaml",
      policyYaml({
        accountId: ACCOUNT,
        name: "c-ap",
        principal: `arn:aws:iam::${ACCOUNT}:role/other`,
      }),
    );
    const { deps, settings } = recordingDeps(store);
    const { outcome } = await runReconcile(
      {
        command: "apply",
        options: { ...planOptions(), allowDirty: false, dryRun: false, remediate: false },
      },
      { ...deps, cwd: repo?.root ?? "" },
    );
    expect(outcome.status).toBe("refused");
    expect(settings).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  test("a shard (--account) is not stopped by another account's invalid file", async () => {
    repo = createPolicyRepo({
      "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "a-ap" }),
      "policies/b.yaml": `${policyYaml({ accountId: OTHER, name: "b-ap" })}unknown: 1\n`,
    });
    repo.commit();
    const store = new MemoryStore();
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "a-ap" });
    const { deps } = recordingDeps(store);
    const run = { ...deps, cwd: repo.root };
    const shard = await runReconcile(
      { command: "plan", options: planOptions({ account: [ACCOUNT] }) },
      run,
    );
    expect(shard.outcome.status).toBe("planned");
    // The other account's shard, and one job over all accounts, are stopped by it.
    const other = await runReconcile(
      { command: "plan", options: planOptions({ account: [OTHER] }) },
      run,
    );
    expect(other.outcome.status).toBe("invalid");
    const whole = await runReconcile({ command: "plan", options: planOptions() }, run);
    expect(whole.outcome.status).toBe("invalid");
  });
});
