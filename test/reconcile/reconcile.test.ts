// reconcile() over a real temporary git repository and an in-memory store.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { exitCodeOf } from "../../src/reconcile/exit-code.js";
import type { PolicyWriter } from "../../src/reconcile/ports.js";
import { type ReconcileRequest, reconcile } from "../../src/reconcile/reconcile.js";
import { ACCOUNT } from "../support/desired.js";
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

const request = (overrides: Partial<ReconcileRequest> = {}): ReconcileRequest => ({
  cwd: repo,
  dir: "policies",
  apply: false,
  allowDirty: false,
  concurrency: 4,
  ...overrides,
});

function storeWithAccessPoints() {
  const store = new MemoryStore();
  for (const name of ["alpha", "bravo", "charlie"]) {
    store.addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name });
  }
  return store;
}

const noWriter = (): PolicyWriter => {
  throw new Error("a read-only run asked for write access");
};

const deps = (store: MemoryStore, openWriter: () => PolicyWriter = () => store) => ({
  openReader: () => store,
  openWriter,
  sleep: async () => {},
  now: () => 0,
});

describe("reconcile", () => {
  test("plan never opens write access, by construction, and exits 2 on drift", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(request(), deps(store, noWriter));
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
    const applied = await reconcile(request({ apply: true }), deps(store));
    expect(applied.status).toBe("applied");
    expect(exitCodeOf(applied)).toBe(0);
    expect(store.writes()).toHaveLength(3);
    const again = await reconcile(request(), deps(store, noWriter));
    expect(again.status === "planned" && again.plan.summary.noop).toBe(3);
    expect(exitCodeOf(again)).toBe(0);
  });

  test("--only narrows the run to matching access points", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(request({ only: "b*" }), deps(store, noWriter));
    expect(outcome.status === "planned" && outcome.plan.changes.map((c) => c.name)).toEqual([
      "bravo",
    ]);
    const byFile = await reconcile(request({ only: "policies/c*.yaml" }), deps(store, noWriter));
    expect(byFile.status === "planned" && byFile.plan.changes.map((c) => c.name)).toEqual([
      "charlie",
    ]);
  });

  test("apply refuses uncommitted changes under the policies directory unless --allow-dirty", async () => {
    writeFileSync(join(repo, "policies", "delta.yaml"), policyFile("delta"));
    const store = storeWithAccessPoints().addAccessPoint({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "delta",
    });
    const refused = await reconcile(request({ apply: true }), deps(store, noWriter));
    expect(refused.status).toBe("refused");
    expect(refused.status === "refused" && refused.reason).toMatch(/uncommitted.*--allow-dirty/);
    expect(exitCodeOf(refused)).toBe(1);
    expect(store.calls).toEqual([]);
    const allowed = await reconcile(request({ apply: true, allowDirty: true }), deps(store));
    expect(allowed.status).toBe("applied");
    expect(store.writes()).toHaveLength(4);
  });

  test("--max-changes refuses above N and writes nothing", async () => {
    const store = storeWithAccessPoints();
    const outcome = await reconcile(request({ apply: true, maxChanges: 2 }), deps(store, noWriter));
    expect(outcome.status).toBe("refused");
    expect(outcome.status === "refused" && outcome.reason).toMatch(
      /3 changes planned.*--max-changes 2/,
    );
    expect(store.writes()).toEqual([]);
    const enough = await reconcile(request({ apply: true, maxChanges: 3 }), deps(store));
    expect(enough.status).toBe("applied");
  });

  test("invalid files: nothing is read or written", async () => {
    writeFileSync(
      join(repo, "policies", "alpha.yaml"),
      "accountId: 111122223333\nregion: us-east-1\nname: alpha\npolicy: null\n",
    );
    git("commit", "-qam", "break it");
    const store = storeWithAccessPoints();
    const outcome = await reconcile(request({ apply: true }), {
      ...deps(store, noWriter),
      openReader: () => {
        throw new Error("invalid input must not reach AWS");
      },
    });
    expect(outcome.status).toBe("invalid");
    expect(outcome.status === "invalid" && outcome.problems[0]?.file).toBe("policies/alpha.yaml");
    expect(exitCodeOf(outcome)).toBe(1);
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
    const outcome = await reconcile(request({ discover: true }), deps(store, noWriter));
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
    const off = await reconcile(request({ discover: false }), deps(quiet, noWriter));
    expect(quiet.calls.some((c) => c.operation === "list")).toBe(false);
    expect(off.status === "planned" && off.plan.discovery.enabled).toBe(false);
    expect(off.status === "planned" && off.plan.summary.unmanaged).toBe(0);
  });
});
