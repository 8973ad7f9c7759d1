// s3ap.yaml: roles per account, checked like policy files (file:line:col, specific messages).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import configSchema from "../../schemas/s3ap-config.schema.json" with { type: "json" };
// @ts-expect-error -- plain .mjs build script without types
import { CONFIG_GENERATED, configValidatorCode } from "../../scripts/schema-validator.mjs";
import { checkS3apConfig } from "../../src/validate/check-s3ap-config.js";
import { validate } from "../../src/validate/generated/s3ap-config-validator.js";

const check = (text: string) => checkS3apConfig(text, "s3ap.yaml");
const at = (text: string) =>
  check(text).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`);

describe("s3ap.yaml", () => {
  test("a valid file gives the settings, accounts without a prototype", () => {
    const { config, problems } = check(
      [
        "roleArn: arn:${partition}:iam::${accountId}:role/s3ap-apply",
        "externalId: org-1234",
        "accounts:",
        '  "444455556666":',
        "    roleArn: arn:aws:iam::${accountId}:role/legacy-s3ap",
        "",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(config?.roleArn).toBe("arn:${partition}:iam::${accountId}:role/s3ap-apply");
    expect(config?.externalId).toBe("org-1234");
    expect(Object.getPrototypeOf(config?.accounts)).toBeNull();
    expect({ ...config?.accounts }).toEqual({
      "444455556666": { roleArn: "arn:aws:iam::${accountId}:role/legacy-s3ap" },
    });
  });

  test("an empty file (comments only) sets nothing", () => {
    expect(check("# roles come from S3AP_ROLE_ARN\n")).toEqual({
      config: null,
      problems: [],
      dated: {},
    });
  });

  test("problems point at file:line:col with what to do", () => {
    expect(
      at(
        [
          "roleArn: arn:aws:iam::${acount}:role/x",
          "rolearn: x",
          "accounts:",
          "  4444:",
          "    roleArn: arn:aws:iam::${accountId}:role/y",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      // One pass: the role ARN's content is checked although other keys broke the schema.
      "s3ap.yaml:1:10: unknown variable ${acount} in the role ARN; a role ARN template knows ${accountId} and ${partition} [role-arn]",
      's3ap.yaml:2:1: unknown key "rolearn" in s3ap.yaml; did you mean "roleArn"? allowed: roleArn, externalId, accounts, trust, exceptions, remediate, paused [unknown-key]',
      's3ap.yaml:4:3: accounts keys are 12-digit account ids in quotes, got "4444" [account-id]',
    ]);
    expect(
      at(
        'roleArn: arn:aws:iam::${acount}:role/x\naccounts:\n  "111122223333":\n    externalId: a b\n',
      ),
    ).toEqual([
      "s3ap.yaml:1:10: unknown variable ${acount} in the role ARN; a role ARN template knows ${accountId} and ${partition} [role-arn]",
      "s3ap.yaml:4:17: an ExternalId is 2-1224 characters: letters, digits and + = , . @ : / - _ [external-id]",
    ]);
  });

  test("YAML errors and wrong types are reported like in policy files", () => {
    expect(at("roleArn: [unclosed\n")[0]).toMatch(/^s3ap\.yaml:\d+:\d+: YAML: .*\[yaml-syntax\]$/);
    expect(at("roleArn: a\nroleArn: b\n")).toEqual([
      's3ap.yaml:2:1: duplicate key "roleArn": each key may appear only once in a mapping [duplicate-key]',
    ]);
    expect(at("accounts: []\n")).toEqual(["s3ap.yaml:1:11: accounts must be a mapping [type]"]);
    expect(at("externalId: 1234\n")).toEqual([
      "s3ap.yaml:1:13: externalId must be a string; externalId was read as a number: quote it [type]",
    ]);
  });
});

describe("its generated validator", () => {
  test("is what scripts/schema-validator.mjs generates", () => {
    const committed = readFileSync(join(import.meta.dirname, "..", "..", CONFIG_GENERATED), "utf8");
    expect(
      committed === configValidatorCode(),
      `${CONFIG_GENERATED} is stale: run npm run build`,
    ).toBe(true);
  });

  test("judges data as ajv compiling the schema does", () => {
    const compiled = new Ajv2020({ allErrors: true, verbose: true, strictTypes: false }).compile(
      configSchema,
    );
    const samples: unknown[] = [
      { roleArn: "arn:aws:iam::${accountId}:role/x" },
      { accounts: { "111122223333": { externalId: "abc" } } },
      { accounts: { "12": {}, "111122223333": { other: 1 } }, extra: true },
      { roleArn: 5 },
      [],
    ];
    for (const data of samples) {
      expect(validate(data)).toBe(compiled(data));
      expect(validate.errors ?? null).toEqual(compiled.errors ?? null);
    }
  });
});
