import { describe, expect, test } from "vitest";
import { diffPolicies } from "../../src/policy/diff.js";
import { renderPolicyDiffMarkdown } from "../../src/report/policy-diff-markdown.js";

const stmt = (over: Record<string, unknown> = {}) => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:role/reports" },
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*",
  ...over,
});
const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

describe("renderPolicyDiffMarkdown", () => {
  test("a diff block with -/+ lines and no ANSI codes", () => {
    const md = renderPolicyDiffMarkdown(
      diffPolicies(doc(stmt()), doc(stmt({ Action: ["s3:GetObject", "s3:PutObject"] }))),
    );
    expect(md).not.toContain("\u001b");
    expect(md).toContain("```diff\n");
    expect(md).toContain('~ statement "Read"\n    Action\n+     s3:PutObject\n```');
    expect(md.startsWith("**statements: 1 changed**")).toBe(true);
  });

  test("backticks inside the policy cannot close the code block", () => {
    const md = renderPolicyDiffMarkdown(
      diffPolicies(doc(stmt()), doc(stmt({ Resource: "arn:aws:s3:::x/````/*" }))),
    );
    expect(md).toContain("`````diff\n");
    expect(md.trimEnd().endsWith("`````")).toBe(true);
  });

  test("findings and notes outside the block escape pipes, backticks and HTML", () => {
    const md = renderPolicyDiffMarkdown(
      diffPolicies(
        doc(stmt({ Principal: { AWS: "AIDAEXAMPLEUSERID1234" } })),
        doc(stmt({ Principal: { AWS: "arn:aws:iam::111122223333:user/a" } })),
      ),
    );
    expect(md).toContain(
      "- :warning: AIDAEXAMPLEUSERID1234 is the unique id of a deleted IAM user",
    );
    const equalMd = renderPolicyDiffMarkdown(
      diffPolicies(doc(stmt({ Action: "s3:Get|`<b>`" })), doc(stmt({ Action: ["s3:Get|`<b>`"] }))),
    );
    expect(equalMd).toContain("**no differences**");
    expect(equalMd).toContain("s3&#58;Get&#124;&#96;&#60;b&#62;&#96;");
    expect(equalMd).not.toMatch(/[|`<]/);
    expect(equalMd).not.toContain("```");
  });
});
