// WARNING_RULES (the rules an s3ap.yaml exception may excuse) is exactly the set of rules the
// validator can give as warnings.
import { expect, test } from "vitest";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { WARNING_RULES } from "../../src/validate/warning-rules.js";

const file = (region: string, statements: string) =>
  [
    'accountId: "111122223333"',
    `region: ${region}`,
    "name: reports",
    "policy:",
    '  Version: "2012-10-17"',
    "  Statement:",
    statements,
  ].join("\n");
const statement = (sid: string, extra = "") =>
  [
    `    - Sid: ${sid}`,
    "      Effect: Allow",
    "      Principal: { AWS: arn:aws:iam::111122223333:role/r }",
    "      Action: s3:GetObject",
    "      Resource: ${accessPointArn}/object/*",
    extra,
  ]
    .filter((l) => l !== "")
    .join("\n");

test("every rule that can warn is in WARNING_RULES, and each of them does warn", () => {
  const padding = "x".repeat(21_000);
  const texts = [
    file("us-central-1", statement("A")),
    file("us-east-1", `${statement("A")}\n${statement("A")}`),
    file("us-east-1", statement("A").replace("s3:GetObject", "s3:GetNothing*")),
    file(
      "us-east-1",
      statement("A", '      Condition: { StringEquals: { "aws:SourceVcp": vpc-1 } }'),
    ),
    file(
      "us-east-1",
      statement("A", `      Condition: { StringEquals: { "aws:SourceVpc": ${padding} } }`),
    ),
    // A directory-bucket access point whose policy lets nobody open a session.
    file("us-east-1", statement("A"))
      .replace("name: reports", "name: reports--use1-az4--xa-s3")
      .replace("s3:GetObject", "s3express:GetAccessPointScope*")
      .replace("${accessPointArn}/object/*", "${accessPointArn}"),
  ];
  const warned = new Set(
    texts.flatMap((text) =>
      checkPolicyFile(text, "p.yaml")
        .problems.filter((p) => p.severity === "warning")
        .map((p) => p.rule),
    ),
  );
  // Access Analyzer's SECURITY_WARNING, WARNING and SUGGESTION findings are warnings too.
  warned.add("access-analyzer");
  expect([...warned].sort()).toEqual([...WARNING_RULES].sort());
});
