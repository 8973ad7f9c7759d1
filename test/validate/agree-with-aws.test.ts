// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy files use ${...} variables
// The rules that make validation agree with AWS: action names from IAM's authorization data,
// condition keys, "public" as S3 defines it, the objects pattern `${accessPointArn}/*`.
import { describe, expect, test } from "vitest";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { checkActionName } from "../../src/validate/lint-actions.js";
import { conditionKeyProblem } from "../../src/validate/lint-condition-keys.js";
import { coversObjectsOnly } from "../../src/validate/resource-patterns.js";
import { ARN, problemsOf, rulesOf } from "./support/statement-problems.js";

describe("action names (IAM service authorization data)", () => {
  test("a name that is no IAM action is an error with the nearest valid name", () => {
    expect(checkActionName("s3", "GetObjcet", "Action")).toEqual({
      severity: "error",
      message:
        '"s3:GetObjcet" is not an IAM action of s3; did you mean "s3:GetObject"? AWS refuses the policy ("Policy has invalid action")',
    });
  });
  test("an API operation name points at the action that authorizes it", () => {
    expect(checkActionName("s3", "HeadObject", "Action")?.message).toBe(
      '"s3:HeadObject" is not an IAM action of s3 (IAM authorizes HeadObject with s3:GetObject); did you mean "s3:GetObject"? AWS refuses the policy ("Policy has invalid action")',
    );
  });
  test("names are case-insensitive, as IAM compares them", () => {
    expect(checkActionName("s3", "getobject", "Action")).toBeUndefined();
    expect(checkActionName("s3", "LISTBUCKET", "Action")).toBeUndefined();
  });
  test("actions on buckets only, and S3 Control actions on the access point, are errors", () => {
    expect(checkActionName("s3", "PutBucketPolicy", "Action")).toEqual({
      severity: "error",
      message:
        'action "s3:PutBucketPolicy" applies to bucket, not to an access point or its objects; AWS refuses it in an access point policy ("Policy has invalid action")',
    });
    expect(checkActionName("s3", "DeleteAccessPointPolicy", "Action")?.message).toMatch(
      /acts on the access point itself \(S3 Control\)/,
    );
    expect(checkActionName("s3", "CreateJob", "Action")?.message).toMatch(
      /applies to no resource \(it is account-wide\)|applies to .*, not to an access point/,
    );
  });
  test("object and access point actions pass; Outposts has its own list", () => {
    for (const name of ["GetObject", "PutObjectTagging", "ListBucket", "ListBucketVersions"]) {
      expect(checkActionName("s3", name, "Action"), name).toBeUndefined();
    }
    expect(checkActionName("s3-outposts", "GetObject", "Action")).toBeUndefined();
    expect(checkActionName("s3-outposts", "ListBucketMultipartUploads", "Action")).toBeUndefined();
    expect(checkActionName("s3-outposts", "PutBucketPolicy", "Action")?.severity).toBe("error");
    expect(checkActionName("s3-outposts", "GetObjectAttributes", "Action")?.severity).toBe("error");
  });
  test("NotAction names must exist but need not apply to access points", () => {
    expect(checkActionName("s3", "PutBucketPolicy", "NotAction")).toBeUndefined();
    expect(checkActionName("s3", "ListObjectsV2", "NotAction")?.severity).toBe("error");
  });
  test("wildcards are expanded: no match, or only actions that do not apply, is a warning", () => {
    expect(checkActionName("s3", "*", "Action")).toBeUndefined();
    expect(checkActionName("s3", "Get*", "Action")).toBeUndefined();
    expect(checkActionName("s3", "GetObject?ersion", "Action")).toBeUndefined();
    expect(checkActionName("s3", "Fetch*", "Action")).toEqual({
      severity: "warning",
      message: 'action "s3:Fetch*" matches no s3 action, so it grants nothing; check the spelling',
    });
    expect(checkActionName("s3", "PutBucket*", "Action")?.message).toMatch(
      /^action "s3:PutBucket\*" matches only actions that do not apply to an access point \(PutBucketAbac, /,
    );
  });
  test("in a file, the problem points at the action and carries its severity", () => {
    expect(
      problemsOf(
        `{ Effect: Allow, Principal: { AWS: "111122223333" }, Action: [s3:ListBucket, s3:GetBucketLocation, s3:Fetch*], Resource: "${ARN}" }`,
      ).map((p) => `${p.severity} ${p.rule}`),
    ).toEqual(["error action", "warning action"]);
  });
});

describe("condition keys", () => {
  test("a misspelt key is a warning with the nearest valid key", () => {
    expect(conditionKeyProblem("s3", "aws:SourceVcp")).toBe(
      'condition key "aws:SourceVcp" is not a global condition key or a s3 key, so requests never carry it; did you mean "aws:SourceVpc"?',
    );
    expect(conditionKeyProblem("s3", "s3:prefx")).toMatch(/did you mean "s3:prefix"\?$/);
  });
  test("key names are case-insensitive (IAM User Guide): aws:SourceVPC is aws:SourceVpc", () => {
    expect(conditionKeyProblem("s3", "aws:SourceVPC")).toBeUndefined();
    expect(conditionKeyProblem("s3", "AWS:SourceArn")).toBeUndefined();
  });
  test("keys with a variable part match any non-empty name", () => {
    expect(conditionKeyProblem("s3", "aws:PrincipalTag/team")).toBeUndefined();
    expect(conditionKeyProblem("s3", "s3:ExistingObjectTag/data")).toBeUndefined();
    expect(conditionKeyProblem("s3", "aws:PrincipalTag/")).toBeDefined();
  });
  test("each service has its own keys; far-off keys get no suggestion", () => {
    expect(conditionKeyProblem("s3-outposts", "s3-outposts:prefix")).toBeUndefined();
    expect(conditionKeyProblem("s3", "s3-outposts:prefix")).toBeDefined();
    expect(conditionKeyProblem("s3", "kms:EncryptionContext:team")).toMatch(
      /; see the IAM global condition context keys$/,
    );
  });
  test("in a file: a warning at the key; the file still declares its access point", () => {
    const text = `accountId: "111122223333"\nregion: us-east-1\nname: reports\npolicy:\n  Statement:\n    - { Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${ARN}", Condition: { Bool: { aws:SecureTransprt: "false" } } }\n`;
    const checked = checkPolicyFile(text, "ap.yaml");
    const col = (text.split("\n")[5] ?? "").indexOf("aws:SecureTransprt") + 1;
    expect(checked.problems).toEqual([
      expect.objectContaining({ line: 6, col, severity: "warning", rule: "condition-key" }),
    ]);
    expect(checked.problems[0]?.message).toMatch(/did you mean "aws:SecureTransport"\?$/);
    expect(checked.desired).toBeDefined();
  });
});

describe('"public" as S3 defines it', () => {
  const allow = (principal: string, condition?: string) =>
    `{ Effect: Allow, Principal: ${principal}, Action: s3:GetObject, Resource: "${ARN}/object/*"${condition === undefined ? "" : `, Condition: ${condition}`} }`;

  test("fixed values of a listed key make a '*' statement non-public", () => {
    for (const condition of [
      '{ StringEquals: { aws:SourceVpc: "vpc-91237329" } }',
      '{ StringEquals: { aws:PrincipalOrgID: "o-a1b2c3d4e5" } }',
      '{ ForAnyValue:StringEquals: { aws:SourceVpce: ["vpce-1", "vpce-2"] } }',
      '{ ArnEquals: { aws:SourceArn: "arn:aws:cloudfront::111122223333:distribution/E1" } }',
      '{ IpAddress: { aws:SourceIp: ["203.0.113.0/24", "2001:db8::/48"] } }',
      '{ StringEquals: { s3:DataAccessPointAccount: "111122223333" } }',
    ]) {
      expect(rulesOf(allow('"*"', condition)), condition).toEqual([]);
    }
  });
  test("wildcards, policy variables, broad ranges and non-limiting operators stay public", () => {
    const cases: [string, RegExp][] = [
      ['{ StringLike: { aws:SourceVpc: "vpc-*" } }', /aws:SourceVpc "vpc-\*" has a wildcard\./],
      [
        '{ StringLike: { s3:DataAccessPointArn: "arn:aws:s3:us-east-1:111122223333:accesspoint/*" } }',
        /has a wildcard: in an access point policy a set of access points is public/,
      ],
      [
        '{ StringEquals: { aws:PrincipalAccount: "${aws:username}" } }',
        /is a policy variable, not a fixed value/,
      ],
      ['{ IpAddress: { aws:SourceIp: "2001:db8::/16" } }', /is broader than \/32/],
      [
        '{ StringEqualsIfExists: { aws:SourceVpc: "vpc-1" } }',
        /StringEqualsIfExists on aws:SourceVpc does not require a fixed value/,
      ],
      [
        '{ ForAllValues:StringEquals: { aws:SourceVpc: "vpc-1" } }',
        /ForAllValues:StringEquals on aws:SourceVpc does not require/,
      ],
      ['{ Bool: { aws:SecureTransport: "true" } }', /no Condition limits it to fixed values/],
    ];
    for (const [condition, why] of cases) {
      const found = problemsOf(allow('"*"', condition));
      expect(
        found.map((p) => `${p.severity} ${p.rule}`),
        condition,
      ).toEqual(["error public"]);
      expect(found[0]?.message, condition).toMatch(why);
    }
  });
  test("Federated principals are public; AWS, Service and CanonicalUser principals are not", () => {
    expect(rulesOf(allow("{ Federated: graph.facebook.com }"))).toEqual(["error public"]);
    expect(rulesOf(allow("{ Federated: graph.facebook.com }"), "allowPublic: true\n")).toEqual([]);
    expect(rulesOf(allow('{ AWS: "444455556666" }'))).toEqual([]);
    expect(rulesOf(allow("{ Service: cloudfront.amazonaws.com }"))).toEqual([]);
  });
  test("Deny statements are never public", () => {
    expect(rulesOf(`{ Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${ARN}" }`)).toEqual(
      [],
    );
  });
});

describe("resources", () => {
  test("${accessPointArn}/* covers the access point's objects and is accepted", () => {
    expect(coversObjectsOnly(`${ARN}/*`, ARN)).toBe(true);
    expect(coversObjectsOnly(`${ARN}/object/a/b`, ARN)).toBe(true);
    expect(coversObjectsOnly(`${ARN}/obj*`, ARN)).toBe(true);
    expect(coversObjectsOnly(`${ARN}/o?ject/x`, ARN)).toBe(true);
    expect(coversObjectsOnly(`${ARN}/bucket/x`, ARN)).toBe(false);
    expect(coversObjectsOnly(`${ARN}/obj`, ARN)).toBe(false);
    expect(coversObjectsOnly(`${ARN}x/*`, ARN)).toBe(false);
    expect(
      rulesOf(
        '{ Effect: Allow, Principal: { AWS: "111122223333" }, Action: s3:GetObject, Resource: "${accessPointArn}/*" }',
      ),
    ).toEqual([]);
  });
});
