// The bundled action run as the runner runs it, against moto server on loopback and a real git
// repository of policy files: outputs, job summary, annotations and exit status.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ACCOUNT } from "../support/account.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  createPolicyRepo,
  type PolicyRepo,
  policyYaml,
  readStatementPolicy,
} from "../support/policy-repo.js";
import { type ActionRun, runBundledAction } from "./bundled-action.js";

const NAMES = ["create-ap", "update-ap", "same-ap"];
const ESC = String.fromCharCode(27);

let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo;
let commit: string;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
  repo = createPolicyRepo(
    Object.fromEntries(
      NAMES.map((name) => [`policies/${name}.yaml`, policyYaml({ accountId: ACCOUNT, name })]),
    ),
  );
  commit = repo.commit();
});

afterAll(async () => {
  seed?.destroy();
  repo?.remove();
  await moto?.stop();
});

/** create-ap has no policy, update-ap has another principal, same-ap matches its file. */
async function seedDrift(): Promise<void> {
  await moto.reset();
  await seed.accessPoint(ACCOUNT, "create-ap");
  await seed.accessPoint(
    ACCOUNT,
    "update-ap",
    readStatementPolicy(ACCOUNT, "update-ap", `arn:aws:iam::${ACCOUNT}:role/old`),
  );
  await seed.accessPoint(ACCOUNT, "same-ap", readStatementPolicy(ACCOUNT, "same-ap"));
}

async function seedInSync(): Promise<void> {
  await moto.reset();
  for (const name of NAMES)
    await seed.accessPoint(ACCOUNT, name, readStatementPolicy(ACCOUNT, name));
}

function action(inputs: Record<string, string>, workspace = repo.root): Promise<ActionRun> {
  return runBundledAction({
    inputs: { "endpoint-url": moto.url, ...inputs },
    workspace,
    env: TEST_AWS_ENV,
    sha: commit,
  });
}

function expectNoAnsi(run: ActionRun): void {
  expect(run.stdout).not.toContain(ESC);
  expect(run.summary).not.toContain(ESC);
}

describe("plan", () => {
  beforeEach(seedDrift);

  test("unmanaged access points: counted in the outputs and the summary, never changed", async () => {
    await seed.accessPoint(ACCOUNT, "legacy-ap", readStatementPolicy(ACCOUNT, "legacy-ap"));
    const before = await seed.policyText(ACCOUNT, "legacy-ap");
    const run = await action({ command: "plan" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.unmanaged).toBe("1");
    expect(run.summary).toContain("### 1 unmanaged access point");
    expect(run.summary).toContain("<code>legacy-ap</code>");
    expect(run.stdout).toContain(`? ${ACCOUNT}/us-east-1/legacy-ap (has a policy)`);
    expect(await seed.policyText(ACCOUNT, "legacy-ap")).toBe(before);
    const off = await action({ command: "plan", discover: "false" });
    expect(off.outputs.unmanaged).toBe("0");
    expect(off.summary).not.toContain("unmanaged access point");
  });

  test("drift is an output, summarised per account with diffs and the commit, and writes nothing", async () => {
    const before = await seed.snapshot(ACCOUNT, NAMES);
    const run = await action({ command: "plan" });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      changes: "true",
      create: "1",
      update: "1",
      delete: "0",
      noop: "1",
      error: "0",
      "failure-reason": "",
    });
    const plan = JSON.parse(run.planJson ?? "null");
    expect(plan).toMatchObject({
      formatVersion: 1,
      commit,
      summary: { create: 1, update: 1, noop: 1 },
    });
    expect(run.summary).toContain(`#### Account ${ACCOUNT}`);
    expect(run.summary).toContain(
      `commit [<code>${commit.slice(0, 12)}</code>](https://github.example/octo/policies/commit/${commit})`,
    );
    // A scheduled plan of a clean checkout: every difference is drift, said as live made it.
    expect(plan.changes.find((c: { name: string }) => c.name === "update-ap")).toMatchObject({
      origin: "drift",
      driftAccess: "mixed",
      access: "mixed",
    });
    expect(run.summary).toContain(
      "<details><summary>111122223333/us-east-1/update-ap — ⚠️ live widens and narrows access</summary>",
    );
    expect(run.summary.indexOf("Drift in live")).toBeLessThan(
      run.summary.indexOf("What apply will do"),
    );
    expect(run.summary).toContain("create-ap");
    expect(run.stdout).toContain("update-ap");
    expectNoAnsi(run);
    expect(await seed.snapshot(ACCOUNT, NAMES)).toEqual(before);
  });

  test("fail-on-drift fails the step and says why", async () => {
    const run = await action({ command: "plan", "fail-on-drift": "true" });
    expect(run.code).toBe(1);
    expect(run.outputs.changes).toBe("true");
    expect(run.outputs["failure-reason"]).toMatch(/^drift: 2 access points differ/);
    expect(run.stdout).toMatch(/^::error title=s3ap plan failed::drift: 2 access points/m);
  });

  test("apply with dry-run plans only", async () => {
    const before = await seed.snapshot(ACCOUNT, NAMES);
    const run = await action({ command: "apply", "dry-run": "true" });
    expect(run.code).toBe(0);
    expect(run.outputs.changes).toBe("true");
    expect(run.summary).toContain("## s3ap apply (dry run)");
    expect(await seed.snapshot(ACCOUNT, NAMES)).toEqual(before);
  });
});

test("a clean state: no changes, a summary that says so, exit 0", async () => {
  await seedInSync();
  const run = await action({ command: "plan", "fail-on-drift": "true" });
  expect(run.code, run.stdout).toBe(0);
  expect(run.outputs).toMatchObject({
    changes: "false",
    create: "0",
    update: "0",
    delete: "0",
    noop: "3",
    error: "0",
  });
  expect(run.summary).toContain("No changes: 3 access points in sync.");
  expect(run.summary).toContain(
    `commit [<code>${commit.slice(0, 12)}</code>](https://github.example/octo/policies/commit/${commit})`,
  );
  expectNoAnsi(run);
});

test("apply writes the drift, verifies it, and a plan afterwards is clean", async () => {
  await seedDrift();
  const run = await action({ command: "apply" });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.outputs).toMatchObject({
    changes: "true",
    create: "1",
    update: "1",
    "failure-reason": "",
  });
  expect(run.summary).toContain("## s3ap apply");
  expect(run.summary).toContain("2 applied and verified, 0 failed");
  const results = JSON.parse(run.planJson ?? "null").results as { name: string; status: string }[];
  expect(
    results
      .filter((r) => r.status === "applied")
      .map((r) => r.name)
      .sort(),
  ).toEqual(["create-ap", "update-ap"]);
  for (const name of NAMES) {
    expect(JSON.parse((await seed.policyText(ACCOUNT, name)) ?? "null")).toEqual(
      readStatementPolicy(ACCOUNT, name),
    );
  }
  const after = await action({ command: "plan" });
  expect(after.outputs.changes).toBe("false");
});

test("a missing access point is an error: annotated on its file, the step fails", async () => {
  await seedDrift();
  const extra = createPolicyRepo({
    "policies/ghost-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "ghost-ap" }),
  });
  extra.commit();
  try {
    const run = await action({ command: "plan" }, extra.root);
    expect(run.code).toBe(1);
    expect(run.outputs.error).toBe("1");
    expect(run.outputs["failure-reason"]).toBe("1 access point could not be read or planned");
    expect(run.stdout).toMatch(
      /^::error file=policies\/ghost-ap\.yaml,title=s3ap%3A 111122223333\/us-east-1\/ghost-ap::/m,
    );
  } finally {
    extra.remove();
  }
});

describe("invalid policy files", () => {
  test("become annotations with file, line and column; exit 1; nothing is planned", async () => {
    const bad = createPolicyRepo({
      "policies/good.yaml": policyYaml({ accountId: ACCOUNT, name: "good-ap" }),
      "policies/bad.yaml": policyYaml({ accountId: ACCOUNT, name: "bad-ap" }).replace(
        `"${ACCOUNT}"`,
        ACCOUNT,
      ),
    });
    bad.commit();
    try {
      const run = await action({ command: "plan" }, bad.root);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^::error file=policies\/bad\.yaml,line=1,col=\d+,title=s3ap%3A [\w-]+::.*quote/m,
      );
      expect(run.stdout).toMatch(/^policies\/bad\.yaml:1:\d+: /m);
      expect(run.outputs["failure-reason"]).toBe(
        "1 problem in the policy files; nothing was sent to AWS",
      );
      expect(run.outputs["plan-path"]).toBe("");
      expect(run.summary).toContain("| <code>policies/bad.yaml</code> | 1 |");
      expectNoAnsi(run);
    } finally {
      bad.remove();
    }
  });

  test("more than ten: ten annotations, a notice with the rest's count, all of them in the log", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 13 }, (_, i) => [
        `policies/bad-${String(i).padStart(2, "0")}.yaml`,
        policyYaml({ accountId: ACCOUNT, name: `bad-${i}-ap` }).replace(`"${ACCOUNT}"`, ACCOUNT),
      ]),
    );
    const bad = createPolicyRepo(files);
    bad.commit();
    try {
      const run = await action({ command: "plan" }, bad.root);
      expect(run.code).toBe(1);
      expect(run.stdout.match(/^::error file=/gm)).toHaveLength(10);
      expect(run.stdout).toMatch(
        /^::notice title=s3ap%3A more errors in the log::3 more errors are not annotated/m,
      );
      expect(run.stdout.match(/^policies\/bad-\d+\.yaml:1:\d+: /gm)).toHaveLength(13);
    } finally {
      bad.remove();
    }
  });
});

describe("warnings in policy files", () => {
  test("become ::warning annotations and the plan goes on; input strict fails the step", async () => {
    const statement = `{ Sid: Read, Effect: Allow, Principal: { AWS: "${ACCOUNT}" }, Action: s3:GetObject, Resource: "\${accessPointArn}/object/*" }`;
    const warned = createPolicyRepo({
      "policies/warned-ap.yaml": `accountId: "${ACCOUNT}"\nregion: us-east-1\nname: warned-ap\npolicy:\n  Statement:\n    - ${statement}\n    - ${statement}\n`,
    });
    warned.commit();
    try {
      await moto.reset();
      await seed.accessPoint(ACCOUNT, "warned-ap");
      const run = await action({ command: "plan" }, warned.root);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^::warning file=policies\/warned-ap\.yaml,line=7,col=14,title=s3ap%3A sid::Sid "Read" is also used/m,
      );
      expect(run.stdout).not.toMatch(/^::error /m);
      expect(run.outputs.create).toBe("1");
      const strict = await action({ command: "plan", strict: "true" }, warned.root);
      expect(strict.code).toBe(1);
      expect(strict.outputs["failure-reason"]).toBe(
        "1 problem in the policy files; nothing was sent to AWS",
      );
      expect(strict.summary).toContain(
        "| <code>policies/warned-ap.yaml</code> | 7 | 14 | warning | sid |",
      );
    } finally {
      warned.remove();
    }
  });
});

test("a bad input fails the step with a reason, before anything runs", async () => {
  const run = await action({ command: "destroy" });
  expect(run.code).toBe(1);
  expect(run.outputs["failure-reason"]).toMatch(
    /input command is one of plan, apply, pr-comment, drift-issues/,
  );
  expect(run.summary).toContain("failed");
});
