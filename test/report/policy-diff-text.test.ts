import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { diffPolicies } from "../../src/policy/diff.js";
import { renderPolicyDiffText } from "../../src/report/policy-diff-text.js";

const fixture = (name: string): PolicyDocument =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/policy", name), "utf8"));
const ESC = "\u001b";
const stmt = (over: Record<string, unknown> = {}) => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:role/reports" },
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*",
  ...over,
});

describe("renderPolicyDiffText", () => {
  const diff = diffPolicies(fixture("live-as-returned.json"), fixture("desired.json"));

  test("shows set differences as -/+ lines and warns about unique ids", () => {
    const text = renderPolicyDiffText(diff, { color: false });
    expect(text).not.toContain(ESC);
    const lines = text.split("\n");
    expect(lines[0]).toBe("  statements: 1 added, 1 changed, 1 unchanged");
    expect(lines).toContain('~ statement "ReportsRead" (#2 → #1)');
    expect(lines).toContain("-     AWS: AROAEXAMPLEROLEID1234");
    expect(lines).toContain("+     AWS: arn:aws:iam::111122223333:role/reports");
    expect(lines).toContain("-     s3:GetObjectVersion");
    expect(lines).toContain('+ statement "DenyInsecure" (added)');
    expect(lines).toContain('+     "Effect": "Deny",');
    expect(text).toMatch(/^! AROAEXAMPLEROLEID1234 is the unique id of a deleted IAM role/m);
  });

  test("colours lines only when asked", () => {
    const text = renderPolicyDiffText(diff, { color: true });
    expect(text).toContain(`${ESC}[32m+     AWS: arn:aws:iam::111122223333:role/reports${ESC}[0m`);
    expect(text).toContain(`${ESC}[31m-     s3:GetObjectVersion${ESC}[0m`);
    expect(text).toContain(`${ESC}[33m~ statement "ReportsRead"`);
  });

  test("control characters from a live policy cannot reach the terminal", () => {
    const hostile = diffPolicies(
      { Version: "2012-10-17", Statement: [stmt({ Sid: `x${ESC}[2J\nfake` })] },
      { Version: "2012-10-17", Statement: [stmt({ Sid: "Read" })] },
    );
    const text = renderPolicyDiffText(hostile, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain("\\u001b[2J\\u000afake");
  });

  test("equal documents say so and carry the notes", () => {
    const same = diffPolicies(
      { Version: "2012-10-17", Statement: stmt({ Principal: "*" }) },
      { Version: "2012-10-17", Statement: [stmt({ Principal: { AWS: "*" } })] },
    );
    const text = renderPolicyDiffText(same, { color: true });
    expect(text).toContain("  no differences");
    expect(text).toContain('    = Principal "*" is the same as {"AWS": "*"}');
    expect(text).not.toContain(ESC);
  });

  test("create and delete", () => {
    const policy = { Version: "2012-10-17", Statement: [stmt()] };
    expect(renderPolicyDiffText(diffPolicies(null, policy), { color: false })).toMatch(
      /^ {2}new policy: 1 statement\n\+ statement "Read" \(added\)\n\+ {3}\{/,
    );
    expect(renderPolicyDiffText(diffPolicies(policy, null), { color: false })).toContain(
      '- statement "Read" (removed)',
    );
  });
});
