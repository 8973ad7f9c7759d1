// Fuzzing the whole validate path (issue 12): random policies with random and dangerous keys,
// randomly mutated YAML, random bytes and deep structures. Whatever the input: no exception, no
// hang, every problem at a real line and column, and when a file passes, the JSON s3ap would
// Put is exactly the policy the lint passed (re-linting that JSON finds nothing, and it equals
// the input with its variables replaced). RUNS fixes how many inputs each run tries.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { checkListedFile } from "../../src/validate/check-listed-file.js";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { lintPolicy } from "../../src/validate/lint-policy.js";

/** Inputs tried per run, by kind (the total is quoted in the closing note of issue 12). */
const RUNS = { policies: 300, mutations: 300, bytes: 300, deep: 40 } as const;

const HEAD = { accountId: "111122223333", region: "us-east-1", name: "reports" };
const ARN = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const DANGEROUS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
];
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

const key = fc.oneof(
  fc.constantFrom(...DANGEROUS, "Condition", "Principal", "Effect", "Sid", "aws:SourceVpc"),
  fc.string({ maxLength: 8 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("${accessPointArn}", "${name}", "${aws:username}", "*", "true", "10"),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("tree"), { maxLength: 3 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 3 }),
  ),
})).tree;

const statement = fc.record(
  {
    Sid: fc.stringMatching(/^[A-Za-z0-9]{0,8}$/),
    Effect: fc.constantFrom("Allow", "Deny"),
    Principal: fc.constantFrom(
      "*",
      { AWS: "arn:aws:iam::111122223333:role/r" },
      { AWS: "111122223333" },
    ),
    Action: fc.constantFrom("s3:GetObject", ["s3:GetObject", "s3:PutObject"], "s3:*"),
    Resource: fc.constantFrom("${accessPointArn}/object/*", ["${accessPointArn}"]),
    Condition: fc.constantFrom(
      { Bool: { "aws:SecureTransport": "true" } },
      { StringEquals: { "aws:SourceVpc": ["vpc-1a2b"] } },
      { NumericLessThan: { "s3:max-keys": 10 } },
    ),
  },
  { requiredKeys: ["Effect", "Principal", "Action", "Resource"] },
);

/** A policy with, sometimes, one random extra key (dangerous ones included) somewhere in it. */
const policy = fc
  .tuple(
    fc.array(statement, { minLength: 1, maxLength: 3 }),
    fc.option(fc.tuple(key, value)),
    fc.nat(),
  )
  .map(([statements, extra, where]) => {
    const document: Record<string, unknown> = { Version: "2012-10-17", Statement: statements };
    if (extra !== null) {
      const [k, v] = extra;
      const targets: Record<string, unknown>[] = [document, ...statements];
      const target = targets[where % targets.length] as Record<string, unknown>;
      Object.defineProperty(target, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return document;
  });

function substituted(value: unknown): unknown {
  if (typeof value === "string") {
    return value.replaceAll("${accessPointArn}", ARN).replaceAll("${name}", "reports");
  }
  if (Array.isArray(value)) return value.map(substituted);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, {
        value: substituted((value as Record<string, unknown>)[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function hasKey(value: unknown, keys: Set<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, keys));
  if (value !== null && typeof value === "object") {
    return Object.keys(value).some(
      (k) => keys.has(k) || hasKey((value as Record<string, unknown>)[k], keys),
    );
  }
  return false;
}

function everyObjectHasNoPrototype(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(everyObjectHasNoPrototype);
  if (value !== null && typeof value === "object") {
    return (
      Object.getPrototypeOf(value) === null && Object.values(value).every(everyObjectHasNoPrototype)
    );
  }
  return true;
}

/** The invariants every outcome keeps. */
function checkOutcome(text: string): ReturnType<typeof checkPolicyFile> {
  const checked = checkPolicyFile(text, "fuzz.yaml");
  const lines = text.split("\n").length;
  for (const problem of checked.problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines);
    expect(problem.col).toBeGreaterThanOrEqual(1);
  }
  const desired = checked.desired;
  const sent = desired?.policy;
  if (desired !== undefined && sent !== undefined && sent !== null) {
    expect(everyObjectHasNoPrototype(sent)).toBe(true);
    // What apply Puts is JSON.stringify(policy): lint exactly that, as AWS would read it, for the
    // access point the file declares (a mutation may change its region, account or name).
    const wire = JSON.parse(JSON.stringify(sent));
    const again = lintPolicy(wire, {
      arn: desired.arn,
      service: desired.outpostId !== undefined ? "s3-outposts" : "s3",
      allowPublic: desired.allowPublic,
    });
    // Warnings (a misspelt condition key, ...) do not stop a file; errors would.
    expect(again.filter((f) => (f.severity ?? "error") === "error")).toEqual([]);
  }
  return checked;
}

// Shared objects would be written as anchors and aliases, which s3ap refuses before anything else.
const file = (doc: unknown) =>
  stringify({ ...HEAD, policy: doc }, { aliasDuplicateObjects: false });

describe("fuzzing the validate path", () => {
  test("random policies with random and dangerous keys: the JSON sent is the policy linted", () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const checked = checkOutcome(file(doc));
        if (hasKey(doc, FORBIDDEN)) {
          expect(checked.desired).toBeUndefined();
          expect(checked.problems.some((p) => p.rule === "forbidden-key")).toBe(true);
        }
        if (checked.desired !== undefined) {
          expect(JSON.stringify(checked.desired.policy)).toBe(JSON.stringify(substituted(doc)));
        }
      }),
      { numRuns: RUNS.policies },
    );
  });

  test("a file declaring another region, account and name re-lints clean against its own ARN", () => {
    // What a mutation of `region:` produces; the re-lint must not assume the unmutated ARN.
    const doc = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::444455556666:role/r" },
          Action: "s3:GetObject",
          Resource: ["${accessPointArn}/object/*"],
        },
      ],
    };
    const text = stringify(
      { accountId: "444455556666", region: "eu-west-1", name: "other", policy: doc },
      { aliasDuplicateObjects: false },
    );
    const checked = checkOutcome(text);
    expect(checked.desired?.arn).toBe("arn:aws:s3:eu-west-1:444455556666:accesspoint/other");
  });

  const MUTATION_CHARS = [
    ..."\n :-[]{},#&*!|>'\"%@`?\t\\",
    "\u0000",
    "\u00e9",
    "__proto__: ",
    "${",
    "9007199254740993",
  ];
  const mutation = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 4 }),
    insert: fc.array(fc.constantFrom(...MUTATION_CHARS), { maxLength: 3 }).map((a) => a.join("")),
  });
  test("randomly mutated files: never an exception, problems at real positions", () => {
    fc.assert(
      fc.property(policy, fc.array(mutation, { minLength: 1, maxLength: 4 }), (doc, edits) => {
        let text = file(doc);
        for (const { at, remove, insert } of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        checkOutcome(text);
      }),
      { numRuns: RUNS.mutations },
    );
  });

  test("random bytes: a problem or a check, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = checkListedFile({ absolute: "x", file: "bytes.yaml" }, () =>
          Buffer.from(bytes),
        );
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: RUNS.bytes },
    );
  });

  test("deep structures of every kind: refused past the limit, never a stack overflow", () => {
    const opener = fc.constantFrom("[", "{a: ", "- ", "\n- ");
    fc.assert(
      fc.property(
        fc.array(opener, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3000 }),
        (kinds, depth) => {
          let body = "";
          for (let i = 0; i < depth; i++) {
            const kind = kinds[i % kinds.length] as string;
            // Block nesting needs one more space per level: capped so a file stays near 256 KiB.
            body += kind === "\n- " ? `\n${" ".repeat(Math.min(i, 300) + 2)}- ` : kind;
          }
          const checked = checkOutcome(`${stringify(HEAD)}policy: ${body}x\n`);
          if (depth > 70) expect(checked.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: RUNS.deep },
    );
  });
});
