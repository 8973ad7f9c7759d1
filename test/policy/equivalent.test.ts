import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { canonicalize } from "../../src/policy/canonicalize.js";
import { equivalent } from "../../src/policy/equivalent.js";

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const ROLE = "arn:aws:iam::111122223333:role/reports";
const ROOT = "arn:aws:iam::111122223333:root";

type Statement = Record<string, unknown>;
const stmt = (over: Statement = {}): Statement => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: ROLE },
  Action: "s3:GetObject",
  Resource: `${AP}/object/*`,
  ...over,
});
const without = (key: string, s: Statement = stmt()): Statement =>
  Object.fromEntries(Object.entries(s).filter(([k]) => k !== key));
const doc = (...statements: unknown[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});
const write = stmt({ Sid: "Write", Action: ["s3:PutObject"], Resource: `${AP}/object/in/*` });
const vpc = (value: unknown) => ({ StringEquals: { "aws:SourceVpc": value } });

// [name, a, b, equal, a note expected when equal]
const pairs: Array<[string, unknown, unknown, boolean, string?]> = [
  // Equal: form only.
  ["identical", doc(stmt()), doc(stmt()), true],
  [
    "key order",
    doc(stmt()),
    { Statement: [Object.fromEntries(Object.entries(stmt()).reverse())], Version: "2012-10-17" },
    true,
    "key order differs",
  ],
  ["statement order", doc(stmt(), write), doc(write, stmt()), true, "statement order differs"],
  [
    "single statement object vs one-element array",
    doc(stmt()),
    { Version: "2012-10-17", Statement: stmt() },
    true,
    "a single statement object is the same as a one-element Statement array",
  ],
  ["Action string vs array", doc(stmt()), doc(stmt({ Action: ["s3:GetObject"] })), true],
  [
    "NotAction string vs array",
    doc(without("Action", stmt({ NotAction: "s3:DeleteObject" }))),
    doc(without("Action", stmt({ NotAction: ["s3:DeleteObject"] }))),
    true,
  ],
  ["Resource string vs array", doc(stmt()), doc(stmt({ Resource: [`${AP}/object/*`] })), true],
  [
    "NotResource string vs array",
    doc(without("Resource", stmt({ NotResource: `${AP}/object/x` }))),
    doc(without("Resource", stmt({ NotResource: [`${AP}/object/x`] }))),
    true,
  ],
  ["principal value string vs array", doc(stmt()), doc(stmt({ Principal: { AWS: [ROLE] } })), true],
  [
    "condition value string vs array",
    doc(stmt({ Condition: vpc("vpc-1") })),
    doc(stmt({ Condition: vpc(["vpc-1"]) })),
    true,
  ],
  [
    "duplicate actions",
    doc(stmt({ Action: ["s3:GetObject", "s3:PutObject"] })),
    doc(stmt({ Action: ["s3:GetObject", "s3:GetObject", "s3:PutObject"] })),
    true,
    "duplicate s3:getobject in Action is ignored",
  ],
  [
    "[A,A,B] vs [A,B,B] (true sets)",
    doc(stmt({ Action: ["s3:GetObject", "s3:GetObject", "s3:PutObject"] })),
    doc(stmt({ Action: ["s3:GetObject", "s3:PutObject", "s3:PutObject"] })),
    true,
  ],
  ["duplicate principals", doc(stmt({ Principal: { AWS: [ROLE, ROLE] } })), doc(stmt()), true],
  [
    "duplicate condition values",
    doc(stmt({ Condition: vpc(["vpc-1", "vpc-1"]) })),
    doc(stmt({ Condition: vpc("vpc-1") })),
    true,
  ],
  [
    "value order",
    doc(stmt({ Action: ["s3:PutObject", "s3:GetObject"] })),
    doc(stmt({ Action: ["s3:GetObject", "s3:PutObject"] })),
    true,
    "order of Action values differs",
  ],
  [
    'condition true vs "true"',
    doc(stmt({ Condition: { Bool: { "aws:SecureTransport": true } } })),
    doc(stmt({ Condition: { Bool: { "aws:SecureTransport": "true" } } })),
    true,
    'condition value true is the same as "true"',
  ],
  [
    'condition 10 vs "10"',
    doc(stmt({ Condition: { NumericLessThan: { "s3:max-keys": 10 } } })),
    doc(stmt({ Condition: { NumericLessThan: { "s3:max-keys": ["10"] } } })),
    true,
  ],
  [
    "account id vs root ARN",
    doc(stmt({ Principal: { AWS: "111122223333" } })),
    doc(stmt({ Principal: { AWS: ROOT } })),
    true,
    `account id 111122223333 is the same principal as ${ROOT}`,
  ],
  [
    'Principal "*" vs {AWS: "*"}',
    doc(stmt({ Principal: "*", Condition: vpc("vpc-1") })),
    doc(stmt({ Principal: { AWS: "*" }, Condition: vpc("vpc-1") })),
    true,
    'Principal "*" is the same as {"AWS": "*"}',
  ],
  [
    'NotPrincipal "*" vs {AWS: ["*"]}',
    doc(without("Principal", stmt({ Effect: "Deny", NotPrincipal: "*" }))),
    doc(without("Principal", stmt({ Effect: "Deny", NotPrincipal: { AWS: ["*"] } }))),
    true,
  ],
  [
    'missing Sid vs ""',
    doc(without("Sid")),
    doc(stmt({ Sid: "" })),
    true,
    'Sid "" is the same as no Sid',
  ],
  [
    "Condition {} vs none",
    doc(stmt({ Condition: {} })),
    doc(stmt()),
    true,
    '"Condition": {} is the same as no Condition',
  ],
  [
    "operator with no keys vs none",
    doc(stmt({ Condition: { StringEquals: {} } })),
    doc(stmt()),
    true,
  ],
  ["action case", doc(stmt({ Action: "S3:getobject" })), doc(stmt()), true],
  [
    "condition key case",
    doc(stmt({ Condition: vpc("vpc-1") })),
    doc(stmt({ Condition: { StringEquals: { "AWS:SOURCEVPC": "vpc-1" } } })),
    true,
  ],
  [
    "missing Version vs 2012-10-17 without variables",
    { Statement: [stmt()] },
    doc(stmt()),
    true,
    'a missing Version ("2008-10-17") is the same as "2012-10-17" for a document without policy variables',
  ],
  [
    "missing Version vs 2008-10-17 with variables",
    { Statement: [stmt({ Resource: `${AP}/object/\${aws:username}/*` })] },
    { Version: "2008-10-17", Statement: [stmt({ Resource: `${AP}/object/\${aws:username}/*` })] },
    true,
  ],
  [
    "duplicate statements",
    doc(stmt(), stmt()),
    doc(stmt()),
    true,
    "a duplicate statement is ignored",
  ],
  ['Id "" vs none', { ...doc(stmt()), Id: "" }, doc(stmt()), true],
  // Different: meaning.
  ["Allow vs Deny", doc(stmt()), doc(stmt({ Effect: "Deny" })), false],
  [
    '"*" vs a specific principal (Terraform fault)',
    doc(stmt({ Principal: "*" })),
    doc(stmt()),
    false,
  ],
  [
    "string principal vs missing principal (Terraform fault)",
    doc(stmt({ Principal: "*" })),
    doc(without("Principal")),
    false,
  ],
  [
    '"*" vs {AWS: ["*", role]}',
    doc(stmt({ Principal: "*" })),
    doc(stmt({ Principal: { AWS: ["*", ROLE] } })),
    false,
  ],
  [
    "different roles",
    doc(stmt()),
    doc(stmt({ Principal: { AWS: "arn:aws:iam::111122223333:role/other" } })),
    false,
  ],
  [
    "AWS vs Service principal of the same text",
    doc(stmt({ Principal: { AWS: "s3.amazonaws.com" } })),
    doc(stmt({ Principal: { Service: "s3.amazonaws.com" } })),
    false,
  ],
  [
    "Principal vs NotPrincipal",
    doc(stmt()),
    doc(without("Principal", stmt({ NotPrincipal: { AWS: ROLE } }))),
    false,
  ],
  [
    "unique id vs ARN",
    doc(stmt({ Principal: { AWS: "AROAEXAMPLEID1234567" } })),
    doc(stmt()),
    false,
  ],
  [
    "account in another partition",
    doc(stmt({ Principal: { AWS: "111122223333" } })),
    doc(stmt({ Principal: { AWS: "arn:aws-cn:iam::111122223333:root" } })),
    false,
  ],
  ["extra action", doc(stmt()), doc(stmt({ Action: ["s3:GetObject", "s3:PutObject"] })), false],
  [
    "Action vs NotAction",
    doc(stmt()),
    doc(without("Action", stmt({ NotAction: "s3:GetObject" }))),
    false,
  ],
  [
    "resource case (ARNs are case-sensitive)",
    doc(stmt()),
    doc(stmt({ Resource: `${AP}/object/Reports/*` })),
    false,
  ],
  [
    "Resource vs NotResource",
    doc(stmt()),
    doc(without("Resource", stmt({ NotResource: `${AP}/object/*` }))),
    false,
  ],
  [
    "condition value",
    doc(stmt({ Condition: vpc("vpc-1") })),
    doc(stmt({ Condition: vpc("vpc-2") })),
    false,
  ],
  [
    "condition value case under StringEquals",
    doc(stmt({ Condition: vpc("vpc-A") })),
    doc(stmt({ Condition: vpc("vpc-a") })),
    false,
  ],
  [
    "condition key",
    doc(stmt({ Condition: vpc("vpc-1") })),
    doc(stmt({ Condition: { StringEquals: { "aws:SourceVpce": "vpc-1" } } })),
    false,
  ],
  [
    "condition operator",
    doc(stmt({ Condition: vpc("vpc-1") })),
    doc(stmt({ Condition: { StringLike: { "aws:SourceVpc": "vpc-1" } } })),
    false,
  ],
  ["condition vs none", doc(stmt({ Condition: vpc("vpc-1") })), doc(stmt()), false],
  [
    "condition tag key case is kept",
    doc(stmt({ Condition: { StringEquals: { "s3:ExistingObjectTag/Project": "x" } } })),
    doc(stmt({ Condition: { StringEquals: { "s3:ExistingObjectTag/project": "x" } } })),
    false,
  ],
  [
    "condition 10 vs 10.5",
    doc(stmt({ Condition: { NumericLessThan: { "s3:max-keys": 10 } } })),
    doc(stmt({ Condition: { NumericLessThan: { "s3:max-keys": 10.5 } } })),
    false,
  ],
  [
    "missing Version vs 2012-10-17 with variables",
    { Statement: [stmt({ Resource: `${AP}/object/\${aws:username}/*` })] },
    doc(stmt({ Resource: `${AP}/object/\${aws:username}/*` })),
    false,
  ],
  ["different Sid", doc(stmt()), doc(stmt({ Sid: "Other" })), false],
  ["extra statement", doc(stmt()), doc(stmt(), write), false],
  ["statement dropped", doc(stmt(), write), doc(write), false],
  ["Statement missing vs empty", { Version: "2012-10-17" }, doc(), false],
  [
    "odd shapes: number vs string Action",
    doc(stmt({ Action: 5 })),
    doc(stmt({ Action: "5" })),
    false,
  ],
  [
    "odd shapes: Statement string vs array",
    { Version: "2012-10-17", Statement: "x" },
    doc("x"),
    false,
  ],
];

describe("equivalent: the rule table", () => {
  test("has at least 40 pairs covering equal and different", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    expect(pairs.filter((p) => p[3]).length).toBeGreaterThanOrEqual(15);
    expect(pairs.filter((p) => !p[3]).length).toBeGreaterThanOrEqual(15);
  });
  test.each(pairs)("%s", (_name, a, b, equal, note) => {
    const ab = equivalent(a as PolicyDocument, b as PolicyDocument);
    const ba = equivalent(b as PolicyDocument, a as PolicyDocument);
    expect(ab.equal).toBe(equal);
    expect(ba.equal).toBe(equal);
    if (equal) {
      const differentText = JSON.stringify(a) !== JSON.stringify(b);
      expect(ab.notes.length > 0).toBe(differentText);
      expect(ba.notes.length > 0).toBe(differentText);
      if (note !== undefined) {
        expect(ab.notes).toContain(note);
        expect(ba.notes).toContain(note);
      }
    } else {
      expect(ab.notes).toEqual([]);
    }
  });
});

describe("equivalent: notes", () => {
  test("only differences between the two documents are noted", () => {
    const a = doc(stmt({ Principal: { AWS: "111122223333" } }), write);
    const b = doc(write, stmt({ Principal: { AWS: ["111122223333"] } }));
    const { equal, notes } = equivalent(a, b);
    expect(equal).toBe(true);
    expect(notes).toContain("statement order differs");
    expect(notes.some((n) => n.startsWith("account id"))).toBe(false);
  });
  test("the partition option decides the root ARN", () => {
    const cn = "arn:aws-cn:iam::111122223333:root";
    const a = doc(stmt({ Principal: { AWS: "111122223333" } }));
    const b = doc(stmt({ Principal: { AWS: cn } }));
    expect(equivalent(a, b, { partition: "aws-cn" })).toEqual({
      equal: true,
      notes: [`account id 111122223333 is the same principal as ${cn}`],
    });
  });
  test("identical documents need no notes", () => {
    expect(equivalent(doc(stmt()), doc(stmt()))).toEqual({ equal: true, notes: [] });
  });
});

describe("canonicalize", () => {
  test("produces the documented canonical form", () => {
    const policy = {
      Statement: {
        Sid: "",
        Effect: "Allow",
        Principal: { AWS: ["111122223333", ROLE, ROLE] },
        Action: ["s3:PutObject", "S3:GetObject"],
        Resource: `${AP}/object/*`,
        Condition: { Bool: { "AWS:SecureTransport": true }, StringLike: {} },
      },
    };
    expect(canonicalize(policy)).toEqual({
      Statement: [
        {
          Action: ["s3:getobject", "s3:putobject"],
          Condition: { Bool: { "aws:securetransport": ["true"] } },
          Effect: "Allow",
          Principal: { AWS: [ROLE, ROOT] },
          Resource: [`${AP}/object/*`],
        },
      ],
      Version: "2012-10-17",
    });
  });
  test("never throws on odd shapes and keeps what it cannot read", () => {
    const odd: unknown[] = [
      null,
      5,
      "text",
      [1, 2],
      { Statement: 5 },
      { Statement: [null, 3, "s", [1]] },
      { Statement: [{ Principal: 5, Action: { a: 1 }, Condition: [1], Resource: null }] },
      { Statement: [{ Condition: { StringEquals: 5, Bool: { k: { nested: true } } } }] },
      { Statement: [{ Principal: { AWS: [1, "111122223333", { x: 1 }] } }] },
      { ["__proto__"]: { polluted: true }, Statement: [] },
    ];
    for (const value of odd) {
      const once = canonicalize(value as PolicyDocument);
      expect(canonicalize(once)).toEqual(once);
    }
    expect(canonicalize({ Statement: [{ Action: 5 }] })).toEqual({
      Statement: [{ Action: 5 }],
      Version: "2012-10-17",
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  test("keeps both spellings of a condition key used twice in one block", () => {
    const policy = doc(
      stmt({ Condition: { StringEquals: { "aws:SourceVpc": "a", "AWS:SourceVpc": "b" } } }),
    );
    const once = canonicalize(policy);
    expect(JSON.stringify(once)).toContain("AWS:SourceVpc");
    expect(canonicalize(once)).toEqual(once);
  });
});
