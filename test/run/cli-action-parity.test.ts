// The bundled CLI and the bundled Action on the same tree against the same moto server, with the
// same options (each given as the CLI flag and as the action input the option table pairs it
// with): their plan JSON, apply results and failure words must be the same.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { RECONCILE_OPTIONS, type ReconcileOptions } from "../../src/run/options.js";
import { runBundledAction } from "../action/bundled-action.js";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import {
  createPolicyRepo,
  type PolicyRepo,
  policyYaml,
  readStatementPolicy,
} from "../support/policy-repo.js";

/**
 * Fields of the plan JSON that may differ between two runs of the same plan, whichever entry ran
 * them: how long each write took. Everything else must be identical.
 */
const LEGITIMATELY_DIFFERENT = ["durationMs"];

let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
  repo = createPolicyRepo({
    "policies/create-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "create-ap" }),
    "policies/update-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "update-ap" }),
    // Declared with a bare account id, stored as its root ARN: in sync, with a note saying why.
    "policies/same-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "same-ap",
      principal: ACCOUNT,
    }),
    "policies/delete-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "delete-ap",
      policy: "null",
    }),
    "policies/observe-ap.yaml": policyYaml({
      accountId: ACCOUNT,
      name: "observe-ap",
      mode: "observe",
    }),
    "policies/missing-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "missing-ap" }),
    "policies/skipped-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "skipped-ap" }),
  });
  repo.commit();
});

afterAll(async () => {
  seed?.destroy();
  repo?.remove();
  await moto?.stop();
});

beforeEach(seedLive);

async function seedLive(): Promise<void> {
  await moto.reset();
  await seed.accessPoint(ACCOUNT, "create-ap");
  const other = `arn:aws:iam::${ACCOUNT}:role/other`;
  await seed.accessPoint(ACCOUNT, "update-ap", readStatementPolicy(ACCOUNT, "update-ap", other));
  await seed.accessPoint(
    ACCOUNT,
    "same-ap",
    readStatementPolicy(ACCOUNT, "same-ap", `arn:aws:iam::${ACCOUNT}:root`),
  );
  await seed.accessPoint(ACCOUNT, "delete-ap", readStatementPolicy(ACCOUNT, "delete-ap"));
  await seed.accessPoint(ACCOUNT, "observe-ap");
  await seed.accessPoint(ACCOUNT, "skipped-ap");
}

type Given = { [K in keyof ReconcileOptions]?: string | true };

/** The same options as CLI flags and as action inputs, through the one option table. */
function both(given: Given): { args: string[]; inputs: Record<string, string> } {
  const args: string[] = [];
  const inputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    const spec = RECONCILE_OPTIONS[key as keyof ReconcileOptions];
    const long = spec.flag.split(/[ ,]+/).find((part) => part.startsWith("--")) ?? spec.flag;
    if (value === true) args.push(long);
    else args.push(long, value);
    inputs[spec.input] = value === true ? "true" : value;
  }
  return { args, inputs };
}

const GIVEN: Given = {
  dir: "policies",
  only: "{create,update,same,delete,observe,missing}-ap",
  endpointUrl: "", // filled in once moto runs
  concurrency: "3",
  rate: "500",
  requestTimeoutMs: "5000",
};

async function runBoth(command: "plan" | "apply", extra: Given = {}) {
  const { args, inputs } = both({ ...GIVEN, endpointUrl: moto.url, ...extra });
  const cli = await runCli([command, ...args, "--format", "json"], {
    cwd: repo.root,
    env: TEST_AWS_ENV,
  });
  // Apply changed live state: the Action starts from the state the CLI started from.
  if (command === "apply") await seedLive();
  const action = await runBundledAction({
    inputs: { command, ...inputs },
    workspace: repo.root,
    env: TEST_AWS_ENV,
  });
  return { cli, action };
}

function withoutLegitimateDifferences(json: string): unknown {
  return JSON.parse(json, (key, value) =>
    LEGITIMATELY_DIFFERENT.includes(key) ? undefined : value,
  );
}

describe("CLI and Action on the same tree and endpoint", () => {
  test("plan: the same plan JSON, notes included", async () => {
    const { cli, action } = await runBoth("plan");
    expect(cli.code, cli.stderr).toBe(1); // missing-ap cannot be read
    expect(action.code, action.stdout).toBe(1);
    expect(action.planJson).not.toBeNull();
    const plan = JSON.parse(cli.stdout);
    expect(plan.summary).toEqual({
      create: 2,
      update: 1,
      delete: 1,
      noop: 1,
      error: 1,
      unmanaged: 0,
    });
    expect(plan.changes.find((c: { name: string }) => c.name === "same-ap").notes).not.toEqual([]);
    expect(JSON.parse(action.planJson ?? "")).toEqual(plan);
  });

  test("apply: the same results, apart from the fields named as legitimately different", async () => {
    const { cli, action } = await runBoth("apply", { allowDirty: true });
    expect(cli.code, cli.stderr).toBe(1);
    expect(action.code, action.stdout).toBe(1);
    const cliPlan = JSON.parse(cli.stdout);
    expect(cliPlan.results.map((r: { status: string }) => r.status).sort()).toEqual([
      "applied",
      "applied",
      "applied",
      "failed",
      "observed",
      "unchanged",
    ]);
    expect(withoutLegitimateDifferences(action.planJson ?? "")).toEqual(
      withoutLegitimateDifferences(cli.stdout),
    );
  });

  test("an invalid tree: the same words for the same problem, singular when there is one", async () => {
    const broken = createPolicyRepo({
      "policies/bad.yaml": policyYaml({ accountId: ACCOUNT, name: "Bad_Name" }),
    });
    try {
      broken.commit();
      const cli = await runCli(["plan", "--endpoint-url", moto.url], {
        cwd: broken.root,
        env: TEST_AWS_ENV,
      });
      const action = await runBundledAction({
        inputs: { command: "plan", "endpoint-url": moto.url },
        workspace: broken.root,
        env: TEST_AWS_ENV,
      });
      const line = "s3ap: 1 problem in the policy files; nothing was sent to AWS.";
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`${line}\n`);
      expect(action.code).toBe(1);
      expect(action.stdout).toContain(`${line}\n`);
      expect(action.outputs["failure-reason"]).toBe(
        "1 problem in the policy files; nothing was sent to AWS",
      );
    } finally {
      broken.remove();
    }
  });
});
