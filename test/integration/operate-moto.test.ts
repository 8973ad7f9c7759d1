// s3ap.yaml's trust, exceptions and remediation end to end: the real CLI and the bundled Action
// as subprocesses against moto server, on a real git repository, with an injected clock.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type ActionRun, runBundledAction } from "../action/bundled-action.js";
import { useFakeGitHub } from "../github/fake-github.js";
import { renderMarkdown, visibleText } from "../report/sinks/render-markdown.js";
import { ACCOUNT } from "../support/account.js";
import { clockAt, runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import { createPolicyRepo, type PolicyRepo, readStatementPolicy } from "../support/policy-repo.js";

const LISTED = "444455556666";
const STRANGER = "999988887777";

const github = useFakeGitHub();
let moto: MotoServer;
let seed: LiveSeed;
let repo: PolicyRepo | undefined;

beforeAll(async () => {
  moto = await startMoto();
  seed = new LiveSeed(moto.url);
});
afterAll(async () => {
  seed?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

const arn = (name: string) => `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}`;

/** A statement granting s3:GetObject on the access point's objects, in a policy file. */
function statementYaml(sid: string, principal: string, name: string): string {
  return [
    `    - Sid: ${sid}`,
    "      Effect: Allow",
    `      Principal: { AWS: "${principal}" }`,
    "      Action: s3:GetObject",
    `      Resource: ${arn(name)}/object/*`,
  ].join("\n");
}
function fileYaml(name: string, statements: string[]): string {
  return [
    `accountId: "${ACCOUNT}"`,
    "region: us-east-1",
    `name: ${name}`,
    "policy:",
    '  Version: "2012-10-17"',
    "  Statement:",
    ...statements,
    "",
  ].join("\n");
}
const reader = (name: string) => statementYaml("Read", `arn:aws:iam::${ACCOUNT}:role/reader`, name);

/** The file's policy (the reader role) plus one more grant, as live holds it after an edit. */
function liveWith(name: string, sid: string, principal: string | "*"): object {
  const file = readStatementPolicy(ACCOUNT, name) as { Statement: object[] };
  return {
    ...file,
    Statement: [
      ...file.Statement,
      {
        Sid: sid,
        Effect: "Allow",
        Principal: principal === "*" ? "*" : { AWS: principal },
        Action: "s3:GetObject",
        Resource: `${arn(name)}/object/*`,
      },
    ],
  };
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli([...args, "--endpoint-url", moto.url], {
    cwd: repo?.root as string,
    env: { ...TEST_AWS_ENV, ...env },
  });

function action(inputs: Record<string, string>, sha: string): Promise<ActionRun> {
  return runBundledAction({
    inputs: { "endpoint-url": moto.url, ...inputs },
    workspace: repo?.root as string,
    env: TEST_AWS_ENV,
    sha,
  });
}

describe("fail-on widens-outside-trust (the Action, a change measured from its base)", () => {
  async function planChange(
    grantee: string,
    more: Record<string, string> = {},
  ): Promise<ActionRun> {
    repo = createPolicyRepo({
      "policies/share-ap.yaml": fileYaml("share-ap", [reader("share-ap")]),
      "s3ap.yaml": `trust:\n  organizationId: o-a1b2c3d4e5\n  accounts: ["${LISTED}"]\n`,
    });
    const base = repo.commit("base");
    repo.write(
      "policies/share-ap.yaml",
      fileYaml("share-ap", [reader("share-ap"), statementYaml("Share", grantee, "share-ap")]),
    );
    const head = repo.commit("share it");
    await seed.accessPoint(ACCOUNT, "share-ap", readStatementPolicy(ACCOUNT, "share-ap"));
    return action({ command: "plan", base, "fail-on": "widens-outside-trust", ...more }, head);
  }

  test("a grant to an account outside trust fails the step and says which principal", async () => {
    const run = await planChange(`arn:aws:iam::${STRANGER}:role/partner`);
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs["widens-outside-trust"]).toBe("true");
    expect(run.outputs["failure-reason"]).toContain(
      `widens access outside trust: share-ap: statement "Share" grants arn:aws:iam::${STRANGER}:role/partner: account ${STRANGER}; it is not listed in trust.accounts`,
    );
    const plan = JSON.parse(run.planJson ?? "{}");
    expect(plan.changes[0]).toMatchObject({ origin: "change", changeTrust: { tier: "outside" } });
    // The job summary says why the check is red, and badges the pull request's change.
    expect(run.summary.split("\n")[0]).toContain("🚨 **outside trust**");
    expect(visibleText(renderMarkdown(run.summary))).toContain(
      `This step fails: widens access outside trust: share-ap: statement "Share" grants arn:aws:iam::${STRANGER}:role/partner`,
    );
  });

  test("in fan-out, merge-plans fails with the shard's reason and starts its summary the same way", async () => {
    const run = await planChange(`arn:aws:iam::${STRANGER}:role/partner`, { account: ACCOUNT });
    expect(run.code, run.stdout).toBe(1);
    // The merge job downloads the shard's plan JSON into a folder of its own.
    const downloads = join(repo?.root as string, "..", `shard-plans-${Date.now()}`);
    mkdirSync(join(downloads, ACCOUNT), { recursive: true });
    writeFileSync(join(downloads, ACCOUNT, "plan.json"), run.planJson ?? "");
    const matrix = {
      include: [{ shard: ACCOUNT, accounts: ACCOUNT, regions: ["us-east-1"], accessPoints: 1 }],
    };
    const merge = (failOn: string) =>
      runBundledAction({
        inputs: {
          command: "merge-plans",
          "plan-path": downloads,
          shards: JSON.stringify(matrix),
          "fail-on": failOn,
        },
        workspace: repo?.root as string,
        env: TEST_AWS_ENV,
      });
    try {
      const merged = await merge("widens-outside-trust");
      expect(merged.code, merged.stdout).toBe(1);
      expect(merged.outputs["widens-outside-trust"]).toBe("true");
      expect(merged.outputs["failure-reason"]).toBe(run.outputs["failure-reason"]);
      expect(merged.stdout).toContain(
        `::error title=s3ap merge-plans failed::${run.outputs["failure-reason"]}`,
      );
      // The first line after the title, in both: "> ❌ **This step fails:** <the same reason>".
      const failsLine = (summary: string) =>
        summary.split("\n").find((l) => l.startsWith("> ❌ **This step fails:**"));
      expect(failsLine(run.summary)).toBeDefined();
      expect(failsLine(merged.summary)).toBe(failsLine(run.summary));
      const firstSaid = (summary: string) =>
        summary
          .split("\n")
          .slice(1)
          .find((l) => l.startsWith(">") || l.startsWith("#"));
      expect(firstSaid(merged.summary)).toBe(failsLine(run.summary));

      const lenient = await merge("");
      expect(lenient.code, lenient.stdout).toBe(0);
      expect(lenient.outputs["failure-reason"]).toBe("");
      expect(lenient.summary).not.toContain("This step fails");
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  test("a grant to a listed account does not", async () => {
    const run = await planChange(`arn:aws:iam::${LISTED}:role/audit`);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs["widens-outside-trust"]).toBe("false");
    expect(run.outputs["failure-reason"]).toBe("");
  });
});

describe("fail-on widens-outside-trust (the CLI, a change and a drift)", () => {
  /** share-ap's uncommitted edit grants `grantee`; drift-ap's live policy grants `liveGrantee`. */
  async function setUp(grantee: string, liveGrantee: string) {
    repo = createPolicyRepo({
      "policies/share-ap.yaml": fileYaml("share-ap", [reader("share-ap")]),
      "policies/drift-ap.yaml": fileYaml("drift-ap", [reader("drift-ap")]),
      "s3ap.yaml": `trust:\n  organizationId: o-a1b2c3d4e5\n  accounts: ["${LISTED}"]\n`,
    });
    repo.commit();
    repo.write(
      "policies/share-ap.yaml",
      fileYaml("share-ap", [reader("share-ap"), statementYaml("Share", grantee, "share-ap")]),
    );
    await seed.accessPoint(ACCOUNT, "share-ap", readStatementPolicy(ACCOUNT, "share-ap"));
    await seed.accessPoint(ACCOUNT, "drift-ap", liveWith("drift-ap", "Console", liveGrantee));
  }

  test("--fail-on exits 1 naming the change's grant first; plan JSON, text and Markdown name the principal", async () => {
    await setUp(`arn:aws:iam::${STRANGER}:role/partner`, `arn:aws:iam::${STRANGER}:root`);
    const failed = await cli(["plan", "--fail-on", "widens-outside-trust"]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain(
      `s3ap: widens access outside trust: share-ap: statement "Share" grants arn:aws:iam::${STRANGER}:role/partner: account ${STRANGER}; it is not listed in trust.accounts (and 1 more grant) (--fail-on widens-outside-trust)`,
    );
    expect(failed.stdout).toContain(
      `    trust:  outside trust: statement "Console" grants arn:aws:iam::${STRANGER}:root: account ${STRANGER}; it is not listed in trust.accounts`,
    );
    expect(failed.stdout).toContain(
      `Outside trust (s3ap.yaml) on 2 access points: ${ACCOUNT}/us-east-1/drift-ap, ${ACCOUNT}/us-east-1/share-ap.`,
    );

    const json = await cli(["plan", "--format", "json"]);
    expect(json.code, json.stderr).toBe(2);
    const plan = JSON.parse(json.stdout);
    expect(plan.widensOutsideTrust).toBe(true);
    const byName = Object.fromEntries(plan.changes.map((c: { name: string }) => [c.name, c]));
    expect(byName["share-ap"].changeTrust.outside[0]).toMatchObject({
      kind: "unlisted-account",
      principal: `arn:aws:iam::${STRANGER}:role/partner`,
      statement: 'statement "Share"',
    });
    expect(byName["drift-ap"].driftTrust.outside[0]).toMatchObject({
      kind: "unlisted-account",
      principal: `arn:aws:iam::${STRANGER}:root`,
    });

    const markdown = await cli(["plan", "--format", "markdown"]);
    expect(markdown.stdout).toContain("🚨 **outside trust**: 2 grants reach outside the trust");
    expect(visibleText(renderMarkdown(markdown.stdout))).toContain(
      `share-ap: statement "Share" grants arn:aws:iam::${STRANGER}:role/partner: account ${STRANGER}`,
    );
  });

  test("a change and a drift within trust pass --fail-on: the plan is only pending", async () => {
    await setUp(`arn:aws:iam::${LISTED}:role/audit`, `arn:aws:iam::${ACCOUNT}:role/ops`);
    const run = await cli(["plan", "--fail-on", "widens-outside-trust"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).not.toContain("outside trust");
    expect(run.stdout).not.toContain("trust:");
  });
});

describe("exceptions", () => {
  const config = (expires: string) =>
    [
      `trust: { accounts: ["${LISTED}"] }`,
      "exceptions:",
      "  - id: legacy-console-edit",
      "    accessPoints: legacy-ap",
      "    owner: team-data",
      "    reason: the audit role keeps reading until the migration",
      "    ticket: DATA-42",
      `    expires: ${expires}`,
      "",
    ].join("\n");

  async function setUp(live: object) {
    repo = createPolicyRepo({
      "policies/legacy-ap.yaml": fileYaml("legacy-ap", [reader("legacy-ap")]),
      "s3ap.yaml": config("2026-06-30"),
    });
    const sha = repo.commit();
    await seed.accessPoint(ACCOUNT, "legacy-ap", live);
    return sha;
  }

  test("an exception hides its drift until the clock passes its date, then the run fails naming the owner", async () => {
    await setUp(liveWith("legacy-ap", "Audit", `arn:aws:iam::${LISTED}:role/audit`));
    const before = await seed.policyText(ACCOUNT, "legacy-ap");

    const excused = await cli(["plan", "--format", "json"], clockAt("2026-06-30T23:00:00Z"));
    expect(excused.code, excused.stderr).toBe(0);
    const plan = JSON.parse(excused.stdout);
    expect(plan.summary).toMatchObject({ update: 1, excepted: 1 });
    expect(plan.changes[0].exception).toMatchObject({
      id: "legacy-console-edit",
      owner: "team-data",
      status: "excepted",
    });
    const applied = await cli(["apply"], clockAt("2026-06-30T23:00:00Z"));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('exception "legacy-console-edit" of team-data excuses it');
    expect(await seed.policyText(ACCOUNT, "legacy-ap")).toBe(before);

    const expired = await cli(["plan"], clockAt("2026-07-01T00:30:00Z"));
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain(
      's3ap.yaml:8:14: error: exception "legacy-console-edit" of team-data (DATA-42) expired on 2026-06-30',
    );
    expect(await seed.policyText(ACCOUNT, "legacy-ap")).toBe(before);
  });

  test("a pull request that edits the file says merging writes over the excepted drift", async () => {
    const base = await setUp(liveWith("legacy-ap", "Audit", `arn:aws:iam::${LISTED}:role/audit`));
    const root = repo?.root as string;
    repo?.write(
      "policies/legacy-ap.yaml",
      fileYaml("legacy-ap", [
        reader("legacy-ap"),
        statementYaml("Write", `arn:aws:iam::${ACCOUNT}:role/writer`, "legacy-ap"),
      ]),
    );
    const head = repo?.commit("let the writer in") as string;
    const env = { ...TEST_AWS_ENV, ...clockAt("2026-06-01T00:00:00Z") };
    const planned = await runBundledAction({
      inputs: { "endpoint-url": moto.url, command: "plan", base },
      workspace: root,
      env,
      sha: head,
    });
    expect(planned.code, planned.stdout).toBe(0);
    const change = JSON.parse(planned.planJson ?? "{}").changes[0];
    expect(change).toMatchObject({
      origin: "change+drift",
      exception: { id: "legacy-console-edit", owner: "team-data", status: "overridden" },
    });
    const planPath = join(root, "plan.json");
    writeFileSync(planPath, planned.planJson ?? "");
    const commented = await runBundledAction({
      inputs: { command: "pr-comment", "github-token": github.token, "plan-path": planPath },
      workspace: root,
      env: { ...env, GITHUB_API_URL: github.url },
      event: { pull_request: { number: 31 } },
      sha: head,
    });
    expect(commented.code, commented.stdout + commented.stderr).toBe(0);
    const body = github.comments.find((c) => c.issue === 31)?.body ?? "";
    const shown = visibleText(renderMarkdown(body));
    expect(shown).toContain(
      '⚠️ Merging writes over drift excepted by s3ap.yaml exception "legacy-console-edit" of team-data: the file changes too, and an exception excuses drift alone',
    );
    expect(shown).toContain("excepted by legacy-console-edit, but merging writes over it");
    expect(shown).not.toContain("never written");
  });

  test("within 14 days of its date the exception warns, and the drift stays excepted", async () => {
    await setUp(liveWith("legacy-ap", "Audit", `arn:aws:iam::${LISTED}:role/audit`));
    const soon = await cli(["plan"], clockAt("2026-06-20T08:00:00Z"));
    expect(soon.code, soon.stderr).toBe(0);
    expect(soon.stderr).toContain(
      's3ap.yaml:8:14: warning: exception "legacy-console-edit" of team-data (DATA-42) expires on 2026-06-30, in 10 days',
    );
  });

  test("an excepted warning is in the Action's log with its exception, never an annotation", async () => {
    const twice = (sid: string, role: string) =>
      statementYaml(sid, `arn:aws:iam::${ACCOUNT}:role/${role}`, "shared-ap");
    repo = createPolicyRepo({
      "policies/shared-ap.yaml": fileYaml("shared-ap", [
        twice("Same", "one"),
        twice("Same", "two"),
      ]),
      "s3ap.yaml": [
        "exceptions:",
        "  - id: shared-sid",
        "    accessPoints: shared-*",
        "    rule: sid",
        "    owner: team-data",
        "    reason: the two roles merge in Q2",
        "    expires: 2026-06-30",
        "",
      ].join("\n"),
    });
    const sha = repo.commit();
    await seed.accessPoint(ACCOUNT, "shared-ap");
    const run = await runBundledAction({
      inputs: { "endpoint-url": moto.url, command: "plan", strict: "true" },
      workspace: repo.root,
      env: { ...TEST_AWS_ENV, ...clockAt("2026-06-01T00:00:00Z") },
      sha,
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      '[sid] (excepted: s3ap.yaml exception "shared-sid" of team-data until 2026-06-30)',
    );
    expect(run.stdout).not.toMatch(/^::warning file=policies\/shared-ap\.yaml/m);
  });

  test("a public grant cannot be excepted: it stays drift, and apply reverts it", async () => {
    await setUp(liveWith("legacy-ap", "Open", "*"));
    const planned = await cli(["plan", "--format", "json"], clockAt("2026-06-01T00:00:00Z"));
    expect(planned.code, planned.stderr).toBe(2);
    const change = JSON.parse(planned.stdout).changes[0];
    expect(change.exception).toMatchObject({ id: "legacy-console-edit", status: "refused" });
    expect(change.exception.because).toMatch(
      /public as Amazon S3 defines it.*a public grant can never be excepted$/,
    );
    expect(change.driftTrust.outside[0]).toMatchObject({ kind: "public", principal: "*" });
    const applied = await cli(["apply"], clockAt("2026-06-01T00:00:00Z"));
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse((await seed.policyText(ACCOUNT, "legacy-ap")) ?? "{}")).toEqual(
      readStatementPolicy(ACCOUNT, "legacy-ap"),
    );
  });
});

describe("paused (an incident)", () => {
  test("every run only reports until the date, saying so; the day after, apply writes again", async () => {
    repo = createPolicyRepo({
      "policies/wide-ap.yaml": fileYaml("wide-ap", [reader("wide-ap")]),
      "s3ap.yaml": [
        "remediate: { widening: revert }",
        'paused: { reason: "INC-42: hands off while we investigate", until: 2026-03-05 }',
        "",
      ].join("\n"),
    });
    const sha = repo.commit();
    const live = liveWith("wide-ap", "Extra", `arn:aws:iam::${STRANGER}:root`);
    await seed.accessPoint(ACCOUNT, "wide-ap", live);
    const during = clockAt("2026-03-05T20:00:00Z");

    const applied = await cli(["apply"], during);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(
      "Paused until 2026-03-05 (INC-42: hands off while we investigate): every run reports only; apply writes nothing.",
    );
    expect(applied.stdout).toContain("held back: paused until 2026-03-05");
    const remediated = await runBundledAction({
      inputs: { "endpoint-url": moto.url, command: "apply", remediate: "true" },
      workspace: repo.root,
      env: { ...TEST_AWS_ENV, ...during },
      sha,
    });
    expect(remediated.code, remediated.stdout).toBe(0);
    expect(remediated.summary).toContain("⏸️ **Paused until 2026-03-05**");
    expect(JSON.parse((await seed.policyText(ACCOUNT, "wide-ap")) ?? "{}")).toEqual(live);

    const after = await cli(["apply"], clockAt("2026-03-06T00:30:00Z"));
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain(
      'warning: the pause ended on 2026-03-05 ("INC-42: hands off while we investigate"), so runs write again',
    );
    expect(JSON.parse((await seed.policyText(ACCOUNT, "wide-ap")) ?? "{}")).toEqual(
      readStatementPolicy(ACCOUNT, "wide-ap"),
    );
  });
});

describe("remediation (the Action's scheduled apply --remediate)", () => {
  test("remediate.widening: revert reverts widening drift and reports narrowing drift", async () => {
    repo = createPolicyRepo({
      "policies/wide-ap.yaml": fileYaml("wide-ap", [reader("wide-ap")]),
      "policies/narrow-ap.yaml": fileYaml("narrow-ap", [reader("narrow-ap")]),
      "s3ap.yaml": "remediate:\n  widening: revert\n  narrowing: report\n",
    });
    const sha = repo.commit();
    await seed.accessPoint(
      ACCOUNT,
      "wide-ap",
      liveWith("wide-ap", "Extra", `arn:aws:iam::${STRANGER}:root`),
    );
    const narrowed = readStatementPolicy(ACCOUNT, "narrow-ap") as { Statement: object[] };
    const narrowLive = {
      ...narrowed,
      Statement: narrowed.Statement.map((s) => ({
        ...s,
        Condition: { StringEquals: { "aws:SourceVpc": "vpc-1a2b3c4d" } },
      })),
    };
    await seed.accessPoint(ACCOUNT, "narrow-ap", narrowLive);

    const run = await action({ command: "apply", remediate: "true" }, sha);
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse((await seed.policyText(ACCOUNT, "wide-ap")) ?? "{}")).toEqual(
      readStatementPolicy(ACCOUNT, "wide-ap"),
    );
    expect(JSON.parse((await seed.policyText(ACCOUNT, "narrow-ap")) ?? "{}")).toEqual(narrowLive);
    expect(run.stdout).toContain("held back: remediate.narrowing: report — live narrows access");
    // The job summary's plan does not claim the drift it leaves alone will be written.
    expect(run.summary).toMatch(
      /<code>narrow-ap<\/code>.*\| not written: remediate\.narrowing: report \|/,
    );
    const results = JSON.parse(run.planJson ?? "{}").results as Array<{
      name: string;
      status: string;
    }>;
    expect(Object.fromEntries(results.map((r) => [r.name, r.status]))).toEqual({
      "narrow-ap": "reported",
      "wide-ap": "applied",
    });
  });
});
