import { describe, expect, test } from "vitest";
import {
  expandRoleArn,
  roleSessionName,
  roleTemplateProblem,
} from "../../src/access-point/role-arn.js";

describe("role ARN templates", () => {
  test("accept a role with a path and both variables", () => {
    expect(
      roleTemplateProblem("arn:${partition}:iam::${accountId}:role/ops/s3ap-plan"),
    ).toBeUndefined();
    expect(
      expandRoleArn("arn:${partition}:iam::${accountId}:role/x", "111122223333", "aws-us-gov"),
    ).toBe("arn:aws-us-gov:iam::111122223333:role/x");
  });

  test.each([
    ["arn:aws:iam::${account}:role/x", /unknown variable \$\{account\}/],
    ["arn:aws:iam::${accountId}:user/x", /not an IAM role ARN/],
    ["arn:aws:s3:::${accountId}", /not an IAM role ARN/],
    ["arn:aws:iam::${accountId}:role/", /not an IAM role ARN/],
  ])("refuse %s", (template, message) => {
    expect(roleTemplateProblem(template)).toMatch(message);
  });
});

describe("the STS session name", () => {
  test("names the command and the short commit", () => {
    expect(roleSessionName("apply", "0123456789abcdef0123456789abcdef01234567")).toBe(
      "s3ap-apply-0123456789ab",
    );
  });

  test("uses only characters STS allows, at most 64", () => {
    const name = roleSessionName("plan drift/ä", null);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(roleSessionName("x".repeat(80), null)).toHaveLength(64);
  });
});
