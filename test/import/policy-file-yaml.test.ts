// The import writer's style: the README example's layout, and a file that reads back unchanged.
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { renderPolicyFile } from "../../src/import/policy-file-yaml.js";
import { ACCOUNT } from "../support/account.js";

describe("renderPolicyFile", () => {
  test("writes keys in the documented order, block style, quoting only what YAML needs", () => {
    const text = renderPolicyFile({
      accountId: ACCOUNT,
      region: "eu-west-1",
      name: "reports-read",
      mode: "observe",
      allowPublic: false,
      policy: {
        Statement: [
          {
            Resource: ["${accessPointArn}", "${accessPointArn}/object/reports/*"],
            Condition: { Bool: { "aws:SecureTransport": "true" } },
            Action: ["s3:GetObject", "s3:ListBucket"],
            Principal: { AWS: "arn:aws:iam::111122223333:role/reports-reader" },
            Effect: "Allow",
            Sid: "ReportsRoleRead",
          },
        ],
        Version: "2012-10-17",
      },
    });
    expect(text).toBe(
      [
        'accountId: "111122223333"',
        "region: eu-west-1",
        "name: reports-read",
        "mode: observe",
        "policy:",
        '  Version: "2012-10-17"',
        "  Statement:",
        "    - Sid: ReportsRoleRead",
        "      Effect: Allow",
        "      Principal:",
        "        AWS: arn:aws:iam::111122223333:role/reports-reader",
        "      Action:",
        "        - s3:GetObject",
        "        - s3:ListBucket",
        "      Resource:",
        "        - ${accessPointArn}",
        "        - ${accessPointArn}/object/reports/*",
        "      Condition:",
        "        Bool:",
        '          aws:SecureTransport: "true"',
        "",
      ].join("\n"),
    );
  });

  test("no policy is written as policy: null; the header comes first", () => {
    const text = renderPolicyFile({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "bare",
      mode: "enforce",
      allowPublic: false,
      policy: null,
      header: ["Imported by s3ap import."],
    });
    expect(text).toBe(
      [
        "# Imported by s3ap import.",
        "",
        'accountId: "111122223333"',
        "region: us-east-1",
        "name: bare",
        "mode: enforce",
        "policy: null",
        "",
      ].join("\n"),
    );
  });

  test("allowPublic comes with its comment line; a single statement and strings stay as AWS returned them", () => {
    const policy = {
      Version: "2012-10-17",
      Statement: {
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "${accessPointArn}/object/*",
        Sid: "",
      },
    };
    const text = renderPolicyFile({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "open",
      outpostId: "op-0123456789abcdef0",
      mode: "enforce",
      allowPublic: true,
      publicComment: "imported public: review",
      policy,
    });
    expect(text).toContain(
      [
        "outpostId: op-0123456789abcdef0",
        "mode: enforce",
        "# imported public: review",
        "allowPublic: true",
        "policy:",
        '  Version: "2012-10-17"',
        "  Statement:",
        '    Sid: ""',
        "    Effect: Allow",
        '    Principal: "*"',
        "    Action: s3:GetObject",
        "    Resource: ${accessPointArn}/object/*",
      ].join("\n"),
    );
    expect(parse(text).policy).toEqual(policy);
  });

  test("values YAML would read as something else are quoted, long values are never folded", () => {
    const long = `arn:aws:iam::${ACCOUNT}:role/${"x".repeat(120)}`;
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: [long, "123456789012"] },
          Action: "s3:*",
          Resource: "${accessPointArn}/object/a: b #c",
          Condition: {
            NumericLessThanEquals: { "s3:max-keys": 10 },
            StringEquals: { "s3:prefix": ["null", "true", "", "- x", "@home"] },
            Bool: { "aws:SecureTransport": false },
          },
        },
      ],
    };
    const text = renderPolicyFile({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "tricky",
      mode: "enforce",
      allowPublic: false,
      policy,
    });
    expect(text).toContain(`        - ${long}\n`);
    expect(text).toContain('        - "123456789012"\n');
    expect(parse(text)).toEqual({
      accountId: ACCOUNT,
      region: "us-east-1",
      name: "tricky",
      mode: "enforce",
      policy,
    });
  });
});
