import { describe, expect, test } from "vitest";
import { type RepositoryConfig, resolveAccountRoles } from "../../src/aws/account-roles.js";
import { InputError } from "../../src/errors.js";

const A = "111122223333";
const B = "444455556666";

function config(settings: Partial<RepositoryConfig>): RepositoryConfig {
  return { accounts: Object.assign(Object.create(null), settings.accounts ?? {}), ...settings };
}

describe("which role each account assumes", () => {
  test("without any role every account signs with the base credentials", () => {
    const roleFor = resolveAccountRoles({ flags: {}, env: {}, config: null });
    expect(roleFor(A, "aws")).toEqual({ kind: "base" });
  });

  test("the template's ${accountId} and ${partition} are replaced per account", () => {
    const roleFor = resolveAccountRoles({
      flags: { roleArn: "arn:${partition}:iam::${accountId}:role/s3ap-apply" },
      env: {},
      config: null,
    });
    expect(roleFor(A, "aws")).toEqual({
      kind: "role",
      roleArn: `arn:aws:iam::${A}:role/s3ap-apply`,
      source: "--role-arn",
    });
    expect(roleFor(B, "aws-cn")).toMatchObject({ roleArn: `arn:aws-cn:iam::${B}:role/s3ap-apply` });
  });

  test("precedence: flag > environment > accounts.<id> > top-level roleArn", () => {
    const file = config({
      roleArn: "arn:aws:iam::${accountId}:role/top",
      externalId: "top-id",
      accounts: { [A]: { roleArn: "arn:aws:iam::${accountId}:role/own", externalId: "own-id" } },
    });
    const fromFile = resolveAccountRoles({ flags: {}, env: {}, config: file });
    expect(fromFile(A, "aws")).toEqual({
      kind: "role",
      roleArn: `arn:aws:iam::${A}:role/own`,
      externalId: "own-id",
      source: `s3ap.yaml accounts.${A}.roleArn`,
    });
    expect(fromFile(B, "aws")).toEqual({
      kind: "role",
      roleArn: `arn:aws:iam::${B}:role/top`,
      externalId: "top-id",
      source: "s3ap.yaml roleArn",
    });
    const env = { S3AP_ROLE_ARN: "arn:aws:iam::${accountId}:role/env", S3AP_EXTERNAL_ID: "env-id" };
    const fromEnv = resolveAccountRoles({ flags: {}, env, config: file });
    expect(fromEnv(A, "aws")).toMatchObject({
      roleArn: `arn:aws:iam::${A}:role/env`,
      externalId: "env-id",
    });
    const fromFlag = resolveAccountRoles({
      flags: { roleArn: "arn:aws:iam::${accountId}:role/flag", externalId: "flag-id" },
      env,
      config: file,
    });
    expect(fromFlag(A, "aws")).toEqual({
      kind: "role",
      roleArn: `arn:aws:iam::${A}:role/flag`,
      externalId: "flag-id",
      source: "--role-arn",
    });
  });

  test("an account without a role while others have one is named in the error", () => {
    const roleFor = resolveAccountRoles({
      flags: {},
      env: {},
      config: config({ accounts: { [A]: { roleArn: "arn:aws:iam::${accountId}:role/own" } } }),
    });
    expect(roleFor(A, "aws").kind).toBe("role");
    const missing = roleFor(B, "aws");
    expect(missing.kind).toBe("missing");
    expect(missing.kind === "missing" && missing.message).toMatch(
      new RegExp(`account ${B} has no role.*accounts\\.${A} only.*accounts\\."${B}"\\.roleArn`),
    );
  });

  test("a bad template or ExternalId on the command line or in the environment is an input error", () => {
    expect(() =>
      resolveAccountRoles({
        flags: { roleArn: "arn:aws:iam::${acount}:role/x" },
        env: {},
        config: null,
      }),
    ).toThrow(/--role-arn: unknown variable \$\{acount\}/);
    expect(() =>
      resolveAccountRoles({ flags: {}, env: { S3AP_ROLE_ARN: "s3ap-apply" }, config: null }),
    ).toThrow(/S3AP_ROLE_ARN: "s3ap-apply" is not an IAM role ARN/);
    expect(() =>
      resolveAccountRoles({
        flags: { roleArn: "arn:aws:iam::${accountId}:role/x", externalId: "a b" },
        env: {},
        config: null,
      }),
    ).toThrow(InputError);
  });

  test("an ExternalId without any role is refused rather than silently unused", () => {
    expect(() =>
      resolveAccountRoles({ flags: { externalId: "abc" }, env: {}, config: null }),
    ).toThrow(/--external-id is set but no role is/);
  });
});
