// The bundled CLI and the bundled Action on the same tree against the same moto server, with the
// same options (each given as the CLI flag and as the action input the command table pairs it
// with): for every command both have, their plan JSON, apply results, shard matrix, merged plan
// and failure words must be the same, except where each names its own option.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ACTION_ONLY_COMMANDS } from "../../src/github/action-inputs.js";
import { COMMANDS } from "../../src/run/commands.js";
import {
  type AnyOption,
  APPLY_COMMAND_OPTIONS,
  type ApplyOptions,
  longFlag,
} from "../../src/run/options.js";
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

type Given = { [K in keyof ApplyOptions]?: string | true };

/** The same options as CLI flags and as action inputs, through the one command table. */
function both(
  given: Record<string, string | true>,
  table: Record<string, AnyOption> = APPLY_COMMAND_OPTIONS,
): { args: string[]; inputs: Record<string, string> } {
  const args: string[] = [];
  const inputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    const spec = table[key];
    if (spec?.input === undefined) throw new Error(`${key} has no action input`);
    if (value === true) args.push(longFlag(spec));
    else args.push(longFlag(spec), value);
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
  covered.add(command);
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

/** The commands a test below runs through both entries. */
const covered = new Set<string>();

afterAll(() => {
  // Every command both entries have is run through both here; the others say why they are not.
  const shared = Object.entries(COMMANDS)
    .filter(([, spec]) => "same" in spec.action)
    .map(([name]) => name);
  expect([...covered].sort()).toEqual(shared.sort());
  for (const reason of Object.values(ACTION_ONLY_COMMANDS))
    expect(reason.length).toBeGreaterThan(20);
});

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

describe("CLI and Action refuse in the same words, each naming its own option", () => {
  test("apply over max-changes: --max-changes for the CLI, input max-changes for the Action", async () => {
    const { cli, action } = await runBoth("apply", { allowDirty: true, maxChanges: "1" });
    expect(cli.code).toBe(1);
    expect(action.code).toBe(1);
    const words = "refused: 3 changes planned, more than MAX 1; nothing was written";
    expect(cli.stderr).toContain(`s3ap: ${words.replace("MAX", "--max-changes")}\n`);
    expect(action.stdout).toContain(`s3ap: ${words.replace("MAX", "input max-changes")}\n`);
    expect(action.outputs["failure-reason"]).toBe(words.replace("MAX", "input max-changes"));
    expect(action.stdout).toContain("::error title=s3ap apply failed::");
    expect(action.stdout).not.toContain("--max-changes");
  });
});

describe("CLI and Action word what AWS adapters say, each naming its own option", () => {
  test("an error of one access point: the same plan, but --endpoint-url or input endpoint-url", async () => {
    // Far over what AWS stores: s3ap reads none, and says to check the endpoint option.
    const huge = readStatementPolicy(ACCOUNT, "update-ap") as { Statement: object[] };
    huge.Statement = Array.from({ length: 1500 }, (_, i) => ({
      ...huge.Statement[0],
      Sid: `Read${i}${"x".repeat(100)}`,
    }));
    await seed.accessPoint(ACCOUNT, "update-ap", huge);
    const { cli, action } = await runBoth("plan");
    const reason = (json: string) =>
      JSON.parse(json).changes.find((c: { name: string }) => c.name === "update-ap").reason;
    const words = "Check that the endpoint is S3 Control (NAME, AWS_ENDPOINT_URL_S3_CONTROL)";
    expect(reason(cli.stdout)).toContain(words.replace("NAME", "--endpoint-url"));
    expect(reason(action.planJson ?? "")).toContain(words.replace("NAME", "input endpoint-url"));
    expect(action.stdout).toContain(words.replace("NAME", "input endpoint-url"));
    expect(action.stdout).not.toContain("--endpoint-url");
    // Apart from the name of the option, the same plan.
    expect(JSON.parse(action.planJson ?? "")).toEqual(
      JSON.parse(cli.stdout.replaceAll("--endpoint-url", "input endpoint-url")),
    );
  });

  test("an ExternalId without a role: --external-id and --role-arn, or their inputs", async () => {
    const { cli, action } = await runBoth("plan", { externalId: "parity-1" });
    const words =
      "EXTERNAL is set but no role is: an ExternalId is only sent with AssumeRole; set ROLE " +
      "(S3AP_ROLE_ARN, or roleArn in s3ap.yaml) or remove it";
    const worded = (external: string, role: string) =>
      words.replace("EXTERNAL", external).replace("ROLE", role);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(worded("--external-id", "--role-arn"));
    expect(action.code).toBe(1);
    expect(action.outputs["failure-reason"]).toBe(worded("input external-id", "input role-arn"));
    expect(action.stdout).not.toContain("--role-arn");
  });
});

describe("CLI and Action fan out the same way", () => {
  test("accounts: the same shard matrix", async () => {
    covered.add("accounts");
    const { args, inputs } = both({ dir: "policies", only: "*-ap" }, COMMANDS.accounts.options);
    const cli = await runCli(["accounts", ...args, "--format", "json"], { cwd: repo.root });
    const action = await runBundledAction({
      inputs: { command: "accounts", ...inputs },
      workspace: repo.root,
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(action.code, action.stdout).toBe(0);
    expect(JSON.parse(action.outputs.matrix ?? "")).toEqual(JSON.parse(cli.stdout));
    expect(JSON.parse(cli.stdout).include).toEqual([
      { shard: ACCOUNT, accounts: ACCOUNT, regions: ["us-east-1"], accessPoints: 7 },
    ]);
  });

  test("merge-plans: the same merged plan from the same shard plans", async () => {
    covered.add("merge-plans");
    const { cli: shard } = await runBoth("plan");
    const folder = mkdtempSync(join(tmpdir(), "s3ap-parity-merge-"));
    try {
      mkdirSync(join(folder, "plans", "shard-1"), { recursive: true });
      writeFileSync(join(folder, "plans", "shard-1", "plan.json"), shard.stdout);
      const matrix = JSON.stringify({
        include: [{ shard: ACCOUNT, accounts: ACCOUNT, regions: ["us-east-1"], accessPoints: 7 }],
      });
      writeFileSync(join(folder, "matrix.json"), matrix);
      const cli = await runCli(
        ["merge-plans", "--shards", "matrix.json", "--format", "json", "plans"],
        { cwd: folder },
      );
      const action = await runBundledAction({
        inputs: { command: "merge-plans", "plan-path": "plans", shards: matrix },
        workspace: folder,
      });
      expect(cli.code, cli.stderr).toBe(1); // missing-ap could not be read
      expect(action.code, action.stdout).toBe(1);
      expect(JSON.parse(action.planJson ?? "")).toEqual(JSON.parse(cli.stdout));
      expect(JSON.parse(cli.stdout).summary).toMatchObject({ create: 2, error: 1 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
