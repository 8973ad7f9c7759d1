// reconcile() over a real temporary git repository and an in-memory store.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type ReconcileRequest, reconcile } from "../../src/reconcile/reconcile.js";
import { refusalText } from "../../src/report/refusal-text.js";
import { exitCodeOf } from "../../src/run/exit-code.js";
import { CLI_NAMES } from "../../src/run/option-names.js";
import { ACCOUNT } from "../support/desired.js";
import { engineRequest } from "../support/engine-request.js";
import { MemoryStore } from "../support/memory-store.js";

let repo: string;

function policyFile(name: string, extra = "") {
  return `accountId: "${ACCOUNT}"
region: us-east-1
name: ${name}
${extra}policy:
  Version: "2012-10-17"
  Statement:
    - Sid: Read
      Effect: Allow
      Principal: { AWS: arn:aws:iam::${ACCOUNT}:role/reports }
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
`;
}

function git(...args: string[]) {
  execFileSync("git", args, { cwd: repo, stdio: "ignore" });
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "s3ap-reconcile-"));
  mkdirSync(join(repo, "policies"));
  for (const name of ["alpha", "bravo", "charlie"]) {
    writeFileSync(join(repo, "policies", `${name}.yaml`), policyFile(name));
  }
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  git("add", ".");
  git("commit", "-q", "-m", "policies");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const request = (overrides: Partial<ReconcileRequest> = {}) => engineRequest(repo, overrides);
const APPLY = { apply: { allowDirty: false } };

function storeWithAccessPoints() {
  const store = new MemoryStore();
  for (const name of ["alpha", "bravo", "charlie"]) {
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name });
  }
  return store;
}

/** A run that writes gets the store as its writer too; a read-only run gets no writer at all. */
const deps = (store: MemoryStore, writes = true) => ({
  reader: store,
  ...(writes ? { writer: store } : {}),
  sleep: async () => {},
  now: () => 0,
});
const readOnly = false;

describe("reconcile", () => {
  test("plan is given no writer, so it cannot write, and exits 2 on drift", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(await request(), deps(store, readOnly));
    expect(outcome.status).toBe("planned");
    if (outcome.status !== "planned") return;
    expect(outcome.plan.summary).toEqual({
      create: 3,
      update: 0,
      delete: 0,
      noop: 0,
      error: 0,
      unmanaged: 0,
    });
    expect(outcome.plan.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(exitCodeOf(outcome)).toBe(2);
    expect(store.writes()).toEqual([]);
  });

  test("apply writes, and a second run plans zero changes", async () => {
    const store = storeWithAccessPoints();
    const applied = await reconcile(await request(APPLY), deps(store));
    expect(applied.status).toBe("applied");
    expect(exitCodeOf(applied)).toBe(0);
    expect(store.writes()).toHaveLength(3);
    const again = await reconcile(await request(), deps(store, readOnly));
    expect(again.status === "planned" && again.plan.summary.noop).toBe(3);
    expect(exitCodeOf(again)).toBe(0);
  });

  test("--only narrows the run to matching access points", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(await request({ only: ["b*"] }), deps(store, readOnly));
    expect(outcome.status === "planned" && outcome.plan.changes.map((c) => c.name)).toEqual([
      "bravo",
    ]);
    const byFile = await reconcile(
      await request({ only: ["policies/c*.yaml"] }),
      deps(store, readOnly),
    );
    expect(byFile.status === "planned" && byFile.plan.changes.map((c) => c.name)).toEqual([
      "charlie",
    ]);
  });

  test("--only repeated or as a list selects every access point any pattern matches", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(
      await request({ only: ["alpha", "policies/c*.yaml"] }),
      deps(store, readOnly),
    );
    expect(outcome.status === "planned" && outcome.plan.changes.map((c) => c.name)).toEqual([
      "alpha",
      "charlie",
    ]);
  });

  test("a plan narrowed by --only says so, with how many of the declared it selected", async () => {
    const store = storeWithAccessPoints();
    const narrowed = await reconcile(await request({ only: ["b*", "c*"] }), deps(store, readOnly));
    expect(narrowed.status === "planned" && narrowed.plan.only).toEqual({
      patterns: ["b*", "c*"],
      selected: 2,
      declared: 3,
    });
    const whole = await reconcile(await request(), deps(store, readOnly));
    expect(whole.status === "planned" && whole.plan).not.toHaveProperty("only");
  });

  test("apply refuses uncommitted changes under the policies directory unless --allow-dirty", async () => {
    writeFileSync(join(repo, "policies", "delta.yaml"), policyFile("delta"));
    const store = storeWithAccessPoints().addAccessPoint({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "delta",
    });
    const refused = await reconcile(await request(APPLY), deps(store, readOnly));
    expect(refused.status).toBe("refused");
    expect(refused.status === "refused" && refused.refusal).toEqual({ kind: "dirty" });
    expect(refused.status === "refused" && refusalText(refused.refusal, CLI_NAMES)).toMatch(
      /uncommitted.*--allow-dirty/,
    );
    expect(exitCodeOf(refused)).toBe(1);
    expect(store.calls).toEqual([]);
    const allowed = await reconcile(await request({ apply: { allowDirty: true } }), deps(store));
    expect(allowed.status).toBe("applied");
    expect(store.writes()).toHaveLength(4);
  });

  test("--max-changes refuses above N and writes nothing", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(
      await request({ apply: { allowDirty: false, maxChanges: 2 } }),
      deps(store, readOnly),
    );
    expect(outcome.status).toBe("refused");
    expect(outcome.status === "refused" && outcome.refusal).toEqual({
      kind: "max-changes",
      writes: 3,
      limit: 2,
    });
    expect(store.writes()).toEqual([]);
    const enough = await reconcile(
      await request({ apply: { allowDirty: false, maxChanges: 3 } }),
      deps(store),
    );
    expect(enough.status).toBe("applied");
  });

  test("invalid files: nothing is read or written", async () => {
    writeFileSync(
      join(repo, "policies", "alpha.yaml"),
      "accountId: 111122223333\nregion: us-east-1\nname: alpha\npolicy: null\n",
    );
    git("commit", "-qam", "break it");
    const store = storeWithAccessPoints();
    const outcome = await reconcile(await request(APPLY), deps(store));
    expect(outcome.status).toBe("invalid");
    expect(outcome.status === "invalid" && outcome.problems[0]?.file).toBe("policies/alpha.yaml");
    expect(exitCodeOf(outcome)).toBe(1);
    expect(store.calls).toEqual([]);
  });
});

describe("reconcile: unmanaged access points", () => {
  test("are listed in the plan and do not change the exit code; --no-discover lists nothing", async () => {
    const store = storeWithAccessPoints();
    for (const name of ["alpha", "bravo", "charlie"]) {
      store.policies.set(
        `${ACCOUNT}/us-east-1/${name}`,
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Read",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reports` },
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}/object/*`,
            },
          ],
        }),
      );
    }
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "stray" });
    const outcome = await reconcile(await request({ discover: true }), deps(store, readOnly));
    expect(outcome.status === "planned" && outcome.plan.unmanaged.map((u) => u.name)).toEqual([
      "stray",
    ]);
    expect(outcome.status === "planned" && outcome.plan.summary).toMatchObject({
      noop: 3,
      unmanaged: 1,
    });
    expect(exitCodeOf(outcome)).toBe(0);

    const quiet = new MemoryStore();
    for (const key of store.accessPoints) quiet.accessPoints.add(key);
    for (const [key, policy] of store.policies) quiet.policies.set(key, policy);
    const off = await reconcile(await request({ discover: false }), deps(quiet, readOnly));
    expect(quiet.calls.some((c) => c.operation === "list")).toBe(false);
    expect(off.status === "planned" && off.plan.discovery.enabled).toBe(false);
    expect(off.status === "planned" && off.plan.summary.unmanaged).toBe(0);
  });
});
