// --access-analyzer in reconcile(): a real temporary git repository, an in-memory store and an
// in-memory IAM Access Analyzer.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AwsError } from "../../src/errors.js";
import type { AccessPointRef } from "../../src/model.js";
import { dataPathOf } from "../../src/reconcile/access-analysis.js";
import type { AnalyzerCheck, AnalyzerFinding, PolicyChecker } from "../../src/reconcile/ports.js";
import { type ReconcileRequest, reconcile } from "../../src/reconcile/reconcile.js";
import { exitCodeOf } from "../../src/run/exit-code.js";
import { ACCOUNT } from "../support/desired.js";
import { engineRequest } from "../support/engine-request.js";
import { MemoryStore } from "../support/memory-store.js";

let repo: string;

const FILE = `accountId: "${ACCOUNT}"
region: us-east-1
name: NAME
policy:
  Version: "2012-10-17"
  Statement:
    - Sid: Read
      Effect: Allow
      Principal: { AWS: arn:aws:iam::${ACCOUNT}:role/reports }
      Action:
        - s3:GetObject
        - s3:GetObjectTagging
      Resource: \${accessPointArn}/object/*
`;

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "s3ap-analyzer-"));
  mkdirSync(join(repo, "policies"));
  for (const name of ["alpha", "bravo", "charlie"]) {
    writeFileSync(join(repo, "policies", `${name}.yaml`), FILE.replace("NAME", name));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  git("add", ".");
  git("commit", "-q", "-m", "policies");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const ref = (name: string): AccessPointRef => ({ accountId: ACCOUNT, region: "us-east-1", name });

/** alpha: no policy (create); bravo: a narrower live policy (update); charlie: in sync. */
function store(): MemoryStore {
  const s = new MemoryStore();
  s.addAccessPoint(ref("alpha"));
  const arn = (name: string) => `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}`;
  const statement = (name: string, actions: string[]) => ({
    Sid: "Read",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reports` },
    Action: actions,
    Resource: `${arn(name)}/object/*`,
  });
  s.addAccessPoint(ref("bravo"), {
    Version: "2012-10-17",
    Statement: [statement("bravo", ["s3:GetObject"])],
  });
  s.addAccessPoint(ref("charlie"), {
    Version: "2012-10-17",
    Statement: [statement("charlie", ["s3:GetObject", "s3:GetObjectTagging"])],
  });
  return s;
}

class FakeAnalyzer implements PolicyChecker {
  readonly calls: string[] = [];
  findings: AnalyzerFinding[] = [];
  failOn = new Map<string, AwsError>();
  newAccess: AnalyzerCheck = { result: "FAIL", message: "grants new access", reasons: [] };

  private record(operation: string, ap: AccessPointRef) {
    this.calls.push(`${operation} ${ap.name}`);
    const failure = this.failOn.get(`${operation} ${ap.name}`);
    if (failure !== undefined) throw failure;
  }
  async validatePolicy(ap: AccessPointRef, policyJson: string) {
    this.record("ValidatePolicy", ap);
    JSON.parse(policyJson);
    return this.findings;
  }
  async checkNoPublicAccess(ap: AccessPointRef) {
    this.record("CheckNoPublicAccess", ap);
    return { result: "PASS" as const, message: "no public access", reasons: [] };
  }
  async checkNoNewAccess(ap: AccessPointRef, existing: string, desired: string) {
    this.record("CheckNoNewAccess", ap);
    expect(existing).not.toBe(desired);
    return this.newAccess;
  }
}

const request = (overrides: Partial<ReconcileRequest> = {}) => engineRequest(repo, overrides);

/** A checker is given only when Access Analyzer is asked for. */
function deps(s: MemoryStore, analyzer: FakeAnalyzer | undefined) {
  return {
    reader: s,
    writer: s,
    sleep: async () => {},
    now: () => 0,
    ...(analyzer !== undefined ? { checker: analyzer } : {}),
  };
}

const INVALID_ACTION: AnalyzerFinding = {
  findingType: "ERROR",
  issueCode: "INVALID_ACTION",
  details: "The action s3:GetObjectTagging does not exist.",
  learnMoreLink:
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
  path: [{ value: "Statement" }, { index: 0 }, { value: "Action" }, { index: 1 }],
};

describe("--access-analyzer", () => {
  test("an ERROR finding is a problem at the YAML line and column of its path; nothing is read", async () => {
    const analyzer = new FakeAnalyzer();
    analyzer.findings = [INVALID_ACTION];
    const s = store();
    const outcome = await reconcile(await request(), deps(s, analyzer));
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems).toHaveLength(3);
    expect(outcome.problems[0]).toEqual({
      file: "policies/alpha.yaml",
      line: 12,
      col: 11,
      severity: "error",
      rule: "access-analyzer",
      message: `IAM Access Analyzer ERROR INVALID_ACTION: The action s3:GetObjectTagging does not exist. (${INVALID_ACTION.learnMoreLink})`,
    });
    expect(s.calls).toEqual([]);
    expect(exitCodeOf(outcome)).toBe(1);
  });

  test("a WARNING finding is a warning at its line:col; it fails the run only with --strict", async () => {
    const analyzer = new FakeAnalyzer();
    const warning: AnalyzerFinding = {
      ...INVALID_ACTION,
      findingType: "WARNING",
      issueCode: "MISSING_VERSION",
      path: [{ value: "Statement" }, { index: 0 }, { value: "Action" }, { index: 1 }],
    };
    analyzer.findings = [warning];
    const expected = (name: string) => ({
      file: `policies/${name}.yaml`,
      line: 12,
      col: 11,
      severity: "warning",
      rule: "access-analyzer",
      message: expect.stringMatching(/^IAM Access Analyzer WARNING MISSING_VERSION: /),
    });
    const outcome = await reconcile(await request(), deps(store(), analyzer));
    if (outcome.status !== "planned") throw new Error(outcome.status);
    expect(outcome.warnings).toEqual(["alpha", "bravo", "charlie"].map(expected));
    // 2: the plan's drift (alpha created, bravo updated), not a failure.
    expect(exitCodeOf(outcome)).toBe(2);
    expect(outcome.plan.summary.error).toBe(0);

    const s = store();
    const strict = await reconcile(await request({ strict: true }), deps(s, analyzer));
    if (strict.status !== "invalid") throw new Error(strict.status);
    expect(strict.problems).toEqual(["alpha", "bravo", "charlie"].map(expected));
    expect(exitCodeOf(strict)).toBe(1);
    expect(s.calls).toEqual([]);
  });

  test("SECURITY_WARNING and SUGGESTION findings are warnings too; an ERROR beside them is an error", async () => {
    const analyzer = new FakeAnalyzer();
    analyzer.findings = [
      { ...INVALID_ACTION, findingType: "SECURITY_WARNING", issueCode: "PASS_ROLE_WITH_STAR" },
      { ...INVALID_ACTION, findingType: "SUGGESTION", issueCode: "EMPTY_ARRAY_ACTION" },
    ];
    const outcome = await reconcile(await request({ only: ["alpha"] }), deps(store(), analyzer));
    if (outcome.status !== "planned") throw new Error(outcome.status);
    expect(outcome.warnings.map((p) => [p.severity, p.message.split(":")[0]])).toEqual([
      ["warning", "IAM Access Analyzer SECURITY_WARNING PASS_ROLE_WITH_STAR"],
      ["warning", "IAM Access Analyzer SUGGESTION EMPTY_ARRAY_ACTION"],
    ]);

    analyzer.findings = [...analyzer.findings, INVALID_ACTION];
    const failed = await reconcile(await request({ only: ["alpha"] }), deps(store(), analyzer));
    if (failed.status !== "invalid") throw new Error(failed.status);
    expect(failed.problems.map((p) => p.severity).sort()).toEqual(["error", "warning", "warning"]);
  });

  test("a create gets CheckNoPublicAccess, an update also CheckNoNewAccess, beside the offline verdict", async () => {
    const analyzer = new FakeAnalyzer();
    const suggestion = { ...INVALID_ACTION, findingType: "SUGGESTION" as const, issueCode: "X" };
    analyzer.findings = [suggestion];
    const outcome = await reconcile(await request(), deps(store(), analyzer));
    expect(outcome.status).toBe("planned");
    if (outcome.status !== "planned") return;
    const [alpha, bravo, charlie] = outcome.plan.changes;
    expect(alpha).toMatchObject({
      action: "create",
      access: "widens",
      accessAnalyzer: {
        findings: [suggestion],
        noPublicAccess: { result: "PASS" },
      },
    });
    expect(alpha?.accessAnalyzer?.noNewAccess).toBeUndefined();
    expect(bravo).toMatchObject({
      action: "update",
      access: "widens",
      accessAnalyzer: { noPublicAccess: { result: "PASS" }, noNewAccess: { result: "FAIL" } },
    });
    expect(charlie?.action).toBe("noop");
    expect(analyzer.calls.filter((c) => c.startsWith("Check")).sort()).toEqual([
      "CheckNoNewAccess bravo",
      "CheckNoPublicAccess alpha",
      "CheckNoPublicAccess bravo",
    ]);
  });

  test("a failed check makes its access point an error, says why, and never stops the others", async () => {
    const analyzer = new FakeAnalyzer();
    analyzer.failOn.set(
      "CheckNoNewAccess bravo",
      new AwsError(
        "access denied: --access-analyzer needs access-analyzer:CheckNoNewAccess",
        "AccessDeniedException",
        false,
        403,
      ),
    );
    const s = store();
    const outcome = await reconcile(
      await request({ apply: { allowDirty: false } }),
      deps(s, analyzer),
    );
    expect(outcome.status).toBe("applied");
    if (outcome.status !== "applied") return;
    const bravo = outcome.plan.changes.find((c) => c.name === "bravo");
    expect(bravo).toMatchObject({
      action: "error",
      reason: expect.stringMatching(/access-analyzer:CheckNoNewAccess/),
    });
    expect(outcome.plan.summary).toMatchObject({ create: 1, update: 0, error: 1, noop: 1 });
    expect(s.writes().map((w) => w.key)).toEqual([`${ACCOUNT}/us-east-1/alpha`]);
    expect(exitCodeOf(outcome)).toBe(1);
  });

  test("a failed ValidatePolicy makes its access point an error", async () => {
    const analyzer = new FakeAnalyzer();
    analyzer.failOn.set(
      "ValidatePolicy alpha",
      new AwsError("throttled for good", "ThrottlingException", true, 429),
    );
    const outcome = await reconcile(await request(), deps(store(), analyzer));
    if (outcome.status !== "planned") throw new Error(outcome.status);
    expect(outcome.plan.changes[0]).toMatchObject({
      name: "alpha",
      action: "error",
      reason: "throttled for good",
    });
  });

  test("with no checker given, the plan carries no Access Analyzer results", async () => {
    const outcome = await reconcile(await request(), deps(store(), undefined));
    if (outcome.status !== "planned") throw new Error(outcome.status);
    expect(outcome.plan.changes.map((c) => c.accessAnalyzer)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

test("a finding's path becomes a path into the file; a substring stops at its value", () => {
  expect(
    dataPathOf([
      { value: "Statement" },
      { index: 2 },
      { key: "Condition" },
      { substring: { start: 1, length: 3 } },
      { value: "x" },
    ]),
  ).toEqual(["policy", "Statement", 2, "Condition"]);
});
