import { describe, expect, test } from "vitest";
import type { PolicyDocument, Problem } from "../../src/model.js";
import { diffPolicies } from "../../src/policy/diff.js";
import { trustVerdict } from "../../src/policy/trust.js";
import { Exceptions } from "../../src/validate/exceptions.js";
import { ACCOUNT, desiredAp, readPolicy } from "../support/desired.js";
import { policyException } from "../support/policy-exception.js";

const NOW = Date.parse("2026-03-01T09:00:00Z");
const exception = policyException;

const ap = desiredAp("reports-read");
const file = ap.policy as PolicyDocument;
const withStatement = (statement: Record<string, unknown>): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [...(file.Statement as unknown[]), statement],
});
const extra = (sid: string, principal: unknown) => ({
  Sid: sid,
  Effect: "Allow",
  Principal: principal,
  Action: "s3:GetObject",
  Resource: `${ap.arn}/object/*`,
});

/** The excuse for drift from the file to `live`. */
function excuse(exceptions: Exceptions, live: PolicyDocument) {
  const trust = trustVerdict(file, live, {
    trust: undefined,
    accountId: ACCOUNT,
    partition: "aws",
  });
  return exceptions.drift(ap, diffPolicies(live, file), trust);
}

describe("exceptions for drift", () => {
  const ownRole = extra("Extra", { AWS: `arn:aws:iam::${ACCOUNT}:role/extra` });

  test("an exception whose glob matches excuses drift within trust until its date", () => {
    const live = withStatement(ownRole);
    expect(excuse(new Exceptions([exception()], NOW), live)).toEqual({
      status: "excepted",
      exception: {
        id: "legacy",
        owner: "team-data",
        reason: "partner moves in March",
        expires: "2026-03-31",
      },
    });
    expect(
      excuse(new Exceptions([exception()], Date.parse("2026-03-31T23:59:00Z")), live)?.status,
    ).toBe("excepted");
    expect(
      excuse(new Exceptions([exception()], Date.parse("2026-04-01T00:00:00Z")), live),
    ).toBeUndefined();
  });

  test("the glob matches the name, file, label or ARN, and nothing else", () => {
    const live = withStatement(ownRole);
    for (const glob of ["reports-read", "policies/*.yaml", `${ACCOUNT}/us-east-1/*`, ap.arn]) {
      expect(excuse(new Exceptions([exception({ accessPoints: glob })], NOW), live)?.status).toBe(
        "excepted",
      );
    }
    expect(
      excuse(new Exceptions([exception({ accessPoints: "other-*" })], NOW), live),
    ).toBeUndefined();
  });

  test("with a sid it excuses only drift confined to statements with that Sid", () => {
    const live = withStatement(ownRole);
    expect(excuse(new Exceptions([exception({ sid: "Extra" })], NOW), live)?.status).toBe(
      "excepted",
    );
    expect(excuse(new Exceptions([exception({ sid: "Read" })], NOW), live)).toBeUndefined();
    const both = withStatement(ownRole);
    (both.Statement as Array<Record<string, unknown>>)[0] = {
      ...(readPolicy(ap.arn).Statement as object[])[0],
      Action: "s3:*",
    };
    expect(excuse(new Exceptions([exception({ sid: "Extra" })], NOW), both)).toBeUndefined();
  });

  test("a public grant can never be excepted", () => {
    const live = withStatement(extra("Open", "*"));
    const result = excuse(new Exceptions([exception()], NOW), live);
    expect(result?.status).toBe("refused");
    expect(result?.status === "refused" && result.because).toMatch(
      /^live statement "Open" grants \*: public as Amazon S3 defines it .*: a public grant can never be excepted$/,
    );
  });

  test("a widening outside trust can never be excepted", () => {
    const live = withStatement(extra("Partner", { AWS: "999988887777" }));
    const result = excuse(new Exceptions([exception()], NOW), live);
    expect(result?.status === "refused" && result.because).toContain(
      "a widening outside trust can never be excepted",
    );
  });

  test("an exception for a rule excuses warnings, never drift", () => {
    const live = withStatement(ownRole);
    expect(excuse(new Exceptions([exception({ rule: "sid" })], NOW), live)).toBeUndefined();
  });
});

describe("exceptions for warnings", () => {
  const warning = (overrides: Partial<Problem> = {}): Problem => ({
    file: ap.file,
    line: 9,
    col: 11,
    severity: "warning",
    rule: "condition-key",
    message: 'condition key "aws:SourceVcp" is not a global condition key',
    sid: "Read",
    ...overrides,
  });

  test("a warning of the exception's rule in a matching file is marked excepted, others stay", () => {
    const exceptions = new Exceptions([exception({ rule: "condition-key" })], NOW);
    const other = warning({ rule: "sid" });
    expect(exceptions.markWarnings([warning(), other], [ap])).toEqual([
      {
        ...warning(),
        exception: {
          id: "legacy",
          owner: "team-data",
          reason: "partner moves in March",
          expires: "2026-03-31",
        },
      },
      other,
    ]);
  });

  test("an error is never excepted, nor a warning of another access point or Sid", () => {
    const exceptions = new Exceptions([exception({ rule: "condition-key", sid: "Read" })], NOW);
    const problems = [
      warning({ severity: "error" }),
      warning({ file: "policies/other.yaml" }),
      warning({ sid: "Write" }),
    ];
    expect(exceptions.markWarnings(problems, [ap, desiredAp("other")])).toEqual(problems);
  });

  test("an expired exception excuses nothing", () => {
    const exceptions = new Exceptions(
      [exception({ rule: "condition-key", expires: "2026-02-28" })],
      NOW,
    );
    expect(exceptions.markWarnings([warning()], [ap])).toEqual([warning()]);
  });
});
