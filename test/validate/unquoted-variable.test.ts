// Issue 11 item 8: an unquoted `${...}` that starts a flow item is a YAML error that says "quote it".
import { expect, test } from "vitest";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";

const FILE = "policies/reports.yaml";
const policy = (statementLines: string) => `accountId: "111122223333"
region: us-east-1
name: reports
policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: { AWS: arn:aws:iam::111122223333:role/reports }
${statementLines}`;

test("an unquoted ${accessPointArn}/object/* in a flow sequence says to quote it at its $", () => {
  const { problems } = checkPolicyFile(
    policy("      Action: s3:GetObject\n      Resource: [${accessPointArn}/object/*]\n"),
    FILE,
  );
  expect(problems).toEqual([
    expect.objectContaining({
      file: FILE,
      line: 10,
      col: 18,
      severity: "error",
      rule: "yaml-syntax",
      message: expect.stringContaining('quote it: "${accessPointArn}/object/*"'),
    }),
  ]);
});

test("an unquoted ${accessPointArn} as the first of several flow items says to quote it", () => {
  const { problems } = checkPolicyFile(
    policy(
      '      Action: [s3:GetObject]\n      Resource: [${accessPointArn}, "${accessPointArn}/object/*"]\n',
    ),
    FILE,
  );
  expect(problems).toEqual([
    expect.objectContaining({
      file: FILE,
      line: 10,
      col: 18,
      rule: "yaml-syntax",
      message: expect.stringContaining('quote it: "${accessPointArn}"'),
    }),
  ]);
});

test("an unquoted variable after a comma or in a flow mapping gets the same hint at its column", () => {
  const { problems } = checkPolicyFile(
    policy(
      '      Action: s3:GetObject\n      Resource: ["${accessPointArn}", ${accessPointArn}/object/*]\n',
    ),
    FILE,
  );
  expect(problems).toEqual([
    expect.objectContaining({
      line: 10,
      col: 39,
      message: expect.stringContaining('quote it: "${accessPointArn}/object/*"'),
    }),
  ]);
  const mapping = checkPolicyFile(
    policy("      Action: s3:GetObject\n      Resource: { x: ${name} }\n"),
    FILE,
  );
  expect(mapping.problems[0]).toMatchObject({
    line: 10,
    col: 22,
    message: expect.stringContaining('quote it: "${name}"'),
  });
});

test("the same policy with the flow items quoted validates clean", () => {
  const { problems, desired } = checkPolicyFile(
    policy(
      '      Action: [s3:GetObject]\n      Resource: ["${accessPointArn}", "${accessPointArn}/object/*"]\n',
    ),
    FILE,
  );
  expect(problems).toEqual([]);
  expect(desired?.policy).toMatchObject({
    Statement: [
      {
        Resource: [
          "arn:aws:s3:us-east-1:111122223333:accesspoint/reports",
          "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*",
        ],
      },
    ],
  });
});

test("other YAML syntax errors keep yaml's own message", () => {
  const { problems } = checkPolicyFile(policy("      Action: [s3:GetObject\n"), FILE);
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) expect(problem.message).not.toContain("quote it");
});
