import { describe, expect, test } from "vitest";
import { accessPointArn } from "../../src/access-point/arn.js";
import { compileOnly } from "../../src/access-point/only-pattern.js";
import { InputError } from "../../src/errors.js";
import { plan } from "../../src/reconcile/plan.js";
import { selectOnly } from "../../src/reconcile/reconcile.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { ACCOUNT, desiredAp } from "../support/desired.js";

describe("--only patterns", () => {
  test.each([
    ["reports-*", "reports-read", true],
    ["reports-*", "policies/reports-read.yaml", false],
    ["*", "a/b", false],
    ["**", "a/b", true],
    ["policies/**/*.yaml", "policies/111122223333/us-east-1/a.yaml", true],
    ["policies/**/*.yaml", "policies/a.yaml", true],
    ["policies/*.yaml", "policies/x/a.yaml", false],
    ["?eports", "reports", true],
    ["?eports", "/eports", false],
    ["[rs]eports", "seports", true],
    ["[!rs]eports", "reports", false],
    ["[a-c]x", "bx", true],
    ["{reports,audit}-*", "audit-logs", true],
    ["{reports,audit}-*", "scratch", false],
    ["a{b,c{d,e}}f", "acef", true],
    ["{x}", "{x}", true],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["!reports-*", "audit-logs", true],
    ["!reports-*", "reports-read", false],
    ["*.yaml", ".hidden.yaml", true],
    ["arn:aws:s3:*:*:accesspoint/reports-*", "arn:aws:s3:us-east-1:1:accesspoint/reports-x", true],
  ])("%s on %s: %s", (pattern, text, expected) => {
    expect(compileOnly(pattern)(text)).toBe(expected);
  });

  test("a pattern built to backtrack is answered in one pass over the text", {
    timeout: 5_000,
  }, () => {
    // 21 s on one access point, more than 100 s with 12 pairs, with a backtracking RegExp.
    const pattern = `${"*?".repeat(12)}*!`;
    const isMatch = compileOnly(pattern);
    const arn = accessPointArn({ accountId: ACCOUNT, region: "us-east-1", name: "x".repeat(50) });
    for (let i = 0; i < 200; i++) expect(isMatch(arn)).toBe(false);
    expect(isMatch(`${"y".repeat(12)}!`)).toBe(true);
    expect(isMatch(`${"y".repeat(11)}!`)).toBe(false);
  });

  test("patterns that would expand without end are refused with the flag's name", () => {
    expect(() => compileOnly("{a,b}".repeat(9))).toThrow(InputError);
    expect(() => compileOnly("{a,b}".repeat(9))).toThrow(/--only expands to more than 256/);
    expect(() => compileOnly("a".repeat(2000))).toThrow(/--only is 2000 characters long/);
  });
});

describe("--only selects by the label the plan prints", () => {
  const outpost = desiredAp("sensors", { region: "us-west-2", outpostId: "op-0123456789abcdef0" });
  const regular = desiredAp("reports");

  test("an Outposts access point's label account/region/op-…/name selects it", () => {
    const printed = renderPlanText(plan([outpost, regular], new Map(), "a".repeat(40)), {
      color: false,
    });
    const label = `${ACCOUNT}/us-west-2/op-0123456789abcdef0/sensors`;
    expect(printed).toContain(label);
    expect(selectOnly([outpost, regular], [label]).map((ap) => ap.name)).toEqual(["sensors"]);
  });

  test("so does a regular access point's account/region/name", () => {
    const label = `${ACCOUNT}/us-east-1/reports`;
    expect(selectOnly([outpost, regular], [label]).map((ap) => ap.name)).toEqual(["reports"]);
  });
});
