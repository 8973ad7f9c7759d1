import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalJson, canonicallyEqual } from "../../src/policy/canonicalize.js";

// canonicallyEqual compares statement sets without building the documents' texts; it must
// answer exactly what comparing those texts answers.

const STATEMENTS: unknown[] = [
  { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: "*" },
  { Effect: "Allow", Action: ["s3:getobject"], Resource: ["*", "*"], Principal: { AWS: "*" } },
  { Effect: "Deny", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:x" },
  { Effect: "Deny", Action: ["s3:GetObject", "s3:PutObject", "s3:GetObject"], Resource: ["arn:x"] },
  { Effect: "Allow", Action: ['s3:"quoted"', "s3:\\"], Resource: ["\ud800", "a\u0001"] },
  { Effect: "Allow", Action: ["b", "a"], Principal: { AWS: "111122223333" }, Sid: "" },
  { Effect: "Allow", Action: ["a", "b"], Principal: { AWS: ["arn:aws:iam::111122223333:root"] } },
  { Effect: "Allow", Action: [], Condition: { Bool: { "aws:SecureTransport": true } } },
  { Effect: "Allow", Action: [], Condition: { Bool: { "AWS:securetransport": ["true"] } } },
  { Effect: "Allow", Action: [], Condition: {}, Extra: [Number.NaN] },
  { Effect: "Allow", Action: [], Extra: [null] },
  { Effect: "Allow", Action: [], Sid: "s-${aws:username}" },
  null,
  undefined,
  "a statement",
  [],
];
const statementArb = fc.constantFrom(...STATEMENTS);
const docArb = fc.record(
  {
    Version: fc.constantFrom("2012-10-17", "2008-10-17"),
    Id: fc.constantFrom("", "id"),
    Statement: fc.oneof(
      { weight: 5, arbitrary: fc.array(statementArb, { maxLength: 6 }) },
      // Past the linear search's limit.
      { weight: 1, arbitrary: fc.array(statementArb, { minLength: 17, maxLength: 30 }) },
      { weight: 1, arbitrary: statementArb },
    ),
  },
  { requiredKeys: [] },
);
/** The same statements, reordered and repeated: usually equal, so both answers get tested. */
const pairArb = fc.oneof(
  fc.tuple(docArb, docArb),
  docArb.chain((doc) =>
    fc.tuple(
      fc.constant(doc),
      Array.isArray(doc.Statement)
        ? fc
            .shuffledSubarray([...doc.Statement, ...doc.Statement], {
              minLength: doc.Statement.length,
            })
            .map((Statement) => ({ ...doc, Statement }))
        : fc.constant({ ...doc, Statement: [doc.Statement] }),
    ),
  ),
);

describe("canonicallyEqual", () => {
  test("answers whether the canonical texts are equal", () => {
    let equal = 0;
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const expected = canonicalJson(a) === canonicalJson(b);
        if (expected) equal++;
        expect(canonicallyEqual(a, b)).toBe(expected);
        expect(canonicallyEqual(b, a)).toBe(expected);
      }),
      { numRuns: 400 },
    );
    // Both answers were put to the test.
    expect(equal).toBeGreaterThan(50);
    expect(equal).toBeLessThan(350);
  });

  test("falls back to the texts for documents without a statement list", () => {
    expect(canonicallyEqual({ Statement: "x" }, { Statement: "x" })).toBe(true);
    expect(canonicallyEqual({ Statement: "x" }, { Statement: ["x"] })).toBe(false);
    expect(canonicallyEqual(null, null)).toBe(true);
    expect(canonicallyEqual([], { Statement: [] })).toBe(false);
  });

  test("a statement missing on either side makes the documents differ", () => {
    const [s1, s2, s3] = [STATEMENTS[0], STATEMENTS[2], STATEMENTS[5]];
    expect(canonicallyEqual({ Statement: [s1, s2] }, { Statement: [s2, s1, s1] })).toBe(true);
    expect(canonicallyEqual({ Statement: [s1, s2] }, { Statement: [s1] })).toBe(false);
    expect(canonicallyEqual({ Statement: [s1] }, { Statement: [s1, s3] })).toBe(false);
  });
});
