// Issue 11 item 10: every report says "1 access point", "1 problem", never "1 access points".
import { expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { count } from "../../src/count.js";
import type { LiveState, PolicyDocument, Problem, SourceInfo } from "../../src/model.js";
import { plan, withUnmanaged } from "../../src/reconcile/plan.js";
import type { ApplyResult, Plan, ReconcileOutcome } from "../../src/reconcile/types.js";
import { refusalText } from "../../src/report/refusal-text.js";
import { countBySeverity, validateSummaryLine } from "../../src/report/validate-report.js";
import { CLI_NAMES } from "../../src/run/option-names.js";
import { failureReason, renderReport } from "../../src/run/outcome-text.js";
import { ACCOUNT, desiredAp, readPolicy } from "../support/desired.js";

const PLURAL_AFTER_ONE =
  /(?<![\d.,])1 (?:(?:unmanaged |other |more )?(?:access points|problems|files|changes|errors|warnings|accounts|retries|attempts|lines|sections|shards|statements|items)\b|access point (?:are|have|differ)\b|of them (?:widen|narrow)\b)/;

const inSync = (policy: PolicyDocument): LiveState => ({
  kind: "policy",
  policy,
});

const SOURCE: SourceInfo = {
  root: "/repo",
  policiesDir: "/repo/policies",
  commit: "a".repeat(40),
  dirty: false,
};
const OTHER = "444455556666";

/** One access point of each kind: to create, in sync, failed; and one unmanaged. */
function planOfOnes(): Plan {
  const create = desiredAp("to-create");
  const same = desiredAp("same");
  const broken = desiredAp("broken", { accountId: OTHER });
  const live = new Map<string, LiveState>([
    [accessPointKey(create), { kind: "none" }],
    [accessPointKey(same), inSync(same.policy ?? readPolicy(same.arn))],
    [accessPointKey(broken), { kind: "error", code: "AccessDenied", message: "access denied" }],
  ]);
  const planned = plan([create, same, broken], live, SOURCE.commit);
  return withUnmanaged(planned, { enabled: true, warnings: [] }, [
    {
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "legacy",
      arn: "arn:aws:s3:us-east-1:111122223333:accesspoint/legacy",
      hasPolicy: true,
    },
  ]);
}

function everyReport(outcome: ReconcileOutcome): string {
  const text = (["text", "markdown", "json"] as const).map((format) => {
    const { notes, stdout, stderr } = renderReport(outcome, {
      format,
      color: false,
      verbose: true,
      retries: 1,
      root: "/repo",
      names: CLI_NAMES,
    });
    return notes + stdout + stderr;
  });
  return [...text, failureReason(outcome, true, CLI_NAMES) ?? ""].join("\n");
}

const error: Problem = {
  file: "policies/a.yaml",
  line: 1,
  col: 1,
  severity: "error",
  rule: "name",
  message: "bad",
};
const warning: Problem = { ...error, severity: "warning", rule: "condition-key" };

test("count agrees the noun (and the words given with it) with the number", () => {
  expect(count(1, "access point")).toBe("1 access point");
  expect(count(2, "access point")).toBe("2 access points");
  expect(count(0, "problem")).toBe("0 problems");
  expect(count(1, "retry", "retries")).toBe("1 retry");
  expect(count(3, "line was", "lines were")).toBe("3 lines were");
});

test("a plan with one change, one access point in sync, one error and one unmanaged says each in the singular", () => {
  const report = everyReport({
    status: "planned",
    source: SOURCE,
    warnings: [warning],
    plan: planOfOnes(),
  });
  expect(report).toContain("1 error");
  expect(report).toContain("1 unmanaged access point");
  expect(report).toContain("1 of them widens access");
  expect(report).toContain("new policy: 1 statement");
  expect(report).not.toMatch(PLURAL_AFTER_ONE);
});

test("a plan with one access point, in sync, says it is in sync", () => {
  const same = desiredAp("same");
  const live = new Map<string, LiveState>([
    [accessPointKey(same), inSync(same.policy ?? readPolicy(same.arn))],
  ]);
  const report = everyReport({
    status: "planned",
    source: SOURCE,
    warnings: [],
    plan: plan([same], live, SOURCE.commit),
  });
  expect(report).toContain("1 access point is in sync");
  expect(report).not.toMatch(PLURAL_AFTER_ONE);
});

test("an apply with one result of each status and one retry says each in the singular", () => {
  const planned = planOfOnes();
  const [create, , broken] = planned.changes;
  const results: ApplyResult[] = [
    {
      change: create as ApplyResult["change"],
      status: "applied",
      verified: true,
      message: "applied",
      durationMs: 1,
    },
    {
      change: broken as ApplyResult["change"],
      status: "failed",
      verified: false,
      message: "access denied",
      durationMs: 1,
    },
  ];
  const report = everyReport({
    status: "applied",
    source: SOURCE,
    warnings: [],
    plan: planned,
    results,
  });
  expect(report).toContain("1 retry");
  expect(report).toContain(`1 access point could not be reconciled: ${OTHER}/us-east-1/broken`);
  expect(report).not.toMatch(PLURAL_AFTER_ONE);
});

test("one invalid file, one problem, one refused change: singular in every sentence", () => {
  const invalid = everyReport({ status: "invalid", source: SOURCE, problems: [error], files: 1 });
  expect(invalid).toContain("1 problem in the policy files");
  expect(invalid).not.toMatch(PLURAL_AFTER_ONE);
  const lines = [
    validateSummaryLine(1, 1, [error], SOURCE),
    validateSummaryLine(1, 1, [error, warning], SOURCE),
    countBySeverity([error, warning]),
    refusalText(
      { kind: "only-matches-nothing", only: ["nope"], among: 1, of: "declared" },
      CLI_NAMES,
    ),
  ].join("\n");
  expect(lines).toContain("1 file, 1 access point, 1 problem (1 error)");
  expect(lines).toContain("matches none of the 1 access point ");
  expect(lines).not.toMatch(PLURAL_AFTER_ONE);
});

test("the check itself catches a plural after 1", () => {
  expect("1 access points").toMatch(PLURAL_AFTER_ONE);
  expect("all 1 other files").toMatch(PLURAL_AFTER_ONE);
  expect("1 access point are").toMatch(PLURAL_AFTER_ONE);
  expect("21 access points, 1 access point").not.toMatch(PLURAL_AFTER_ONE);
});
