import { describe, expect, test } from "vitest";
import { type Clause, clauseHolds, keySamples } from "../../src/policy/condition-clause.js";
import { parseOperator } from "../../src/policy/condition-operator.js";

function clause(operatorText: string, key: string, values: string[], variables = true): Clause {
  return { operatorText, operator: parseOperator(operatorText), key, values, variables };
}
const none = () => undefined;

describe("a condition test, as IAM evaluates it", () => {
  test("a missing key fails positive operators, holds for negated ones and IfExists", () => {
    expect(clauseHolds(clause("StringEquals", "aws:sourcevpc", ["vpc-1"]), undefined, none)).toBe(
      false,
    );
    expect(
      clauseHolds(clause("StringNotEquals", "aws:sourcevpc", ["vpc-1"]), undefined, none),
    ).toBe(true);
    expect(
      clauseHolds(clause("StringEqualsIfExists", "aws:sourcevpc", ["vpc-1"]), undefined, none),
    ).toBe(true);
    expect(clauseHolds(clause("Null", "aws:sourcevpc", ["true"]), undefined, none)).toBe(true);
    expect(clauseHolds(clause("Null", "aws:sourcevpc", ["false"]), "vpc-1", none)).toBe(true);
  });

  test("set operators: ForAllValues holds for no values, ForAnyValue needs one", () => {
    const all = clause("ForAllValues:StringEquals", "aws:calledvia", ["athena.amazonaws.com"]);
    const any = clause("ForAnyValue:StringEquals", "aws:calledvia", ["athena.amazonaws.com"]);
    const both = ["athena.amazonaws.com", "glue.amazonaws.com"];
    expect(clauseHolds(all, undefined, none)).toBe(true);
    expect(clauseHolds(any, undefined, none)).toBe(false);
    expect(clauseHolds(all, both, none)).toBe(false);
    expect(clauseHolds(any, both, none)).toBe(true);
    // A single-valued operator on a set cannot be told.
    expect(clauseHolds(clause("StringEquals", "aws:calledvia", ["x"]), both, none)).toBeUndefined();
  });

  test("numbers, dates and IP ranges compare as IAM's operators do", () => {
    expect(clauseHolds(clause("NumericLessThan", "s3:max-keys", ["10"]), "9.5", none)).toBe(true);
    expect(clauseHolds(clause("NumericLessThan", "s3:max-keys", ["10"]), "10", none)).toBe(false);
    expect(
      clauseHolds(
        clause("DateGreaterThan", "aws:currenttime", ["2026-01-01T00:00:00Z"]),
        "2026-06-01T00:00:00.000Z",
        none,
      ),
    ).toBe(true);
    const ip = clause("IpAddress", "aws:sourceip", ["203.0.113.0/24", "2001:db8::/32"]);
    expect(clauseHolds(ip, "203.0.113.77", none)).toBe(true);
    expect(clauseHolds(ip, "203.0.114.1", none)).toBe(false);
    expect(clauseHolds(ip, "2001:db8:1::1", none)).toBe(true);
    // A value IAM would not compare leaves the test undecided.
    expect(
      clauseHolds(clause("NumericLessThan", "s3:max-keys", ["ten"]), "5", none),
    ).toBeUndefined();
  });

  test("ArnLike matches each ARN component on its own; StringLike lets * cross colons", () => {
    const arn = "arn:aws:iam::111122223333:role/admin";
    expect(
      clauseHolds(clause("ArnLike", "aws:principalarn", ["arn:aws:*:role/admin"]), arn, none),
    ).toBe(false);
    expect(
      clauseHolds(clause("StringLike", "aws:principalarn", ["arn:aws:*:role/admin"]), arn, none),
    ).toBe(true);
    expect(
      clauseHolds(clause("ArnEquals", "aws:principalarn", ["arn:aws:iam::*:role/*"]), arn, none),
    ).toBe(true);
  });

  test("a policy variable takes the request's value; one the request lacks makes it false", () => {
    const home = clause("StringLike", "s3:prefix", ["home/${aws:username}/*"]);
    const alice = (key: string) => (key === "aws:username" ? "alice" : undefined);
    expect(clauseHolds(home, "home/alice/x", alice)).toBe(true);
    expect(clauseHolds(home, "home/bob/x", alice)).toBe(false);
    expect(clauseHolds(home, "home/alice/x", none)).toBe(false);
    // Version 2008-10-17: the same text is literal.
    const literal = clause("StringLike", "s3:prefix", ["home/${aws:username}/*"], false);
    expect(clauseHolds(literal, "home/${aws:username}/x", alice)).toBe(true);
  });
});

describe("sample values of a key", () => {
  test("every number threshold is met below, on and above", () => {
    const tests = [
      clause("NumericLessThan", "s3:max-keys", ["10"]),
      clause("NumericGreaterThanEquals", "s3:max-keys", ["20"]),
    ];
    const { values, complete } = keySamples(tests, none);
    expect(complete).toBe(true);
    const outcomes = new Set(
      values.map((v) => tests.map((t) => String(clauseHolds(t, v, none))).join(",")),
    );
    expect(outcomes).toEqual(new Set(["false,false", "true,false", "false,true"]));
  });

  test("nested IP ranges: an address in each part, and one outside them all", () => {
    const tests = [
      clause("IpAddress", "aws:sourceip", ["10.0.0.0/8"]),
      clause("IpAddress", "aws:sourceip", ["10.1.0.0/16"]),
    ];
    const outcomes = new Set(
      keySamples(tests, none).values.map((v) =>
        tests.map((t) => String(clauseHolds(t, v, none))).join(","),
      ),
    );
    expect(outcomes).toEqual(new Set(["false,false", "true,false", "true,true"]));
  });

  test("set-valued keys get every combination of their item cases, and none", () => {
    const tests = [clause("ForAnyValue:StringLike", "aws:calledvia", ["a*", "b"])];
    const { values } = keySamples(tests, none);
    expect(values).toContain(undefined);
    expect(values.filter((v) => Array.isArray(v) && v.length === 2).length).toBeGreaterThan(0);
  });
});
