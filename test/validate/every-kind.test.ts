// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy files use ${...} variables
// What validation makes of each kind of access point's file: the desired access point it
// declares, and the rules only that kind has.
import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { kindOf } from "../../src/access-point/kind.js";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";

const check = (text: string) => checkPolicyFile(text, "policies/ap.yaml");
const problems = (text: string) =>
  check(text).problems.map((p) => `${p.line}:${p.col} ${p.severity} [${p.rule}] ${p.message}`);

const directory = (extra: string, action = "s3express:CreateSession") =>
  `accountId: "111122223333"\nregion: us-east-1\nname: reports--use1-az4--xa-s3\n${extra}policy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Principal: { AWS: arn:aws:iam::111122223333:role/r }\n      Action: ${action}\n      Resource: \${accessPointArn}\n`;

const multiRegion = (extra = "", resource = "${accessPointArn}/object/*") =>
  `accountId: "111122223333"\nmultiRegionAccessPoint: global-reports\nalias: mfzwi23gnjvgw.mrap\n${extra}policy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Principal: { AWS: arn:aws:iam::111122223333:role/r }\n      Action: s3:GetObject\n      Resource: ${resource}\n`;

describe("directory-bucket access points", () => {
  test("declare their s3express ARN and their scope", () => {
    const checked = check(directory("scope:\n  prefixes: [logs/]\n  permissions: [GetObject]\n"));
    expect(checked.problems).toEqual([]);
    expect(checked.desired).toMatchObject({
      arn: "arn:aws:s3express:us-east-1:111122223333:accesspoint/reports--use1-az4--xa-s3",
      scope: { prefixes: ["logs/"], permissions: ["GetObject"] },
      policy: {
        Statement: [
          {
            Resource:
              "arn:aws:s3express:us-east-1:111122223333:accesspoint/reports--use1-az4--xa-s3",
          },
        ],
      },
    });
    expect(kindOf(checked.desired ?? { region: "", name: "" })).toBe("directory");
  });

  test("no scope, `scope: null` and an empty scope all declare that it must have none", () => {
    for (const extra of ["", "scope: null\n", "scope: { prefixes: [], permissions: [] }\n"]) {
      expect(check(directory(extra)).desired?.scope).toBeNull();
    }
  });

  test("the prefixes may add up to 255 bytes, not 256", () => {
    const prefixes = (n: number) =>
      `scope: { prefixes: ["${"a".repeat(200)}", "${"b".repeat(n)}"] }\n`;
    expect(problems(directory(prefixes(55)))).toEqual([]);
    expect(problems(directory(prefixes(56)))).toEqual([
      "4:20 error [scope] the scope's prefixes add up to 256 bytes; AWS requires all of them together to be under 256: use fewer or shorter prefixes (a trailing * covers a whole tree)",
    ]);
  });

  test("a permission AWS does not take is named with the nearest one", () => {
    expect(problems(directory("scope: { permissions: [GetObjects] }\n"))).toEqual([
      '4:24 error [scope] scope permission "GetObjects" is not one AWS takes (did you mean "GetObject"?); use GetObject, GetObjectAttributes, ListMultipartUploadParts, ListBucket, ListBucketMultipartUploads, PutObject, DeleteObject, AbortMultipartUpload',
    ]);
  });

  test("s3express:* or a NotAction can grant CreateSession; an s3: action cannot", () => {
    expect(problems(directory("", "s3express:*"))).toEqual([]);
    expect(problems(directory("", "s3express:Create*"))).toEqual([]);
    expect(problems(directory("", "s3:GetObject"))).toEqual([
      "4:1 warning [create-session] no Allow statement grants s3express:CreateSession, so the policy lets nobody use the access point (every request through a directory-bucket access point starts with a session); grant s3express:CreateSession to the principals that need it",
      '9:15 error [action] action "s3:GetObject" is an S3 action; on a directory-bucket access point write "s3express:GetObject"',
    ]);
  });
});

describe("Multi-Region Access Points", () => {
  test("declare no Region: their key says multi-region and their ARN names the alias", () => {
    const checked = check(multiRegion());
    expect(checked.problems).toEqual([]);
    expect(checked.desired).toMatchObject({
      accountId: "111122223333",
      region: "multi-region",
      name: "global-reports",
      alias: "mfzwi23gnjvgw.mrap",
      arn: "arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap",
      partition: "aws",
      policy: {
        Statement: [
          { Resource: "arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap/object/*" },
        ],
      },
    });
    expect(accessPointKey(checked.desired as never)).toBe(
      "111122223333/multi-region/global-reports",
    );
  });

  test("${region} has no value in their file", () => {
    expect(problems(multiRegion("", "${accessPointArn}/object/${region}/*"))).toEqual([
      "10:17 error [variable] ${region} has no value here: a Multi-Region Access Point has no Region",
    ]);
  });

  test("a Resource of another Multi-Region Access Point is refused", () => {
    expect(
      problems(multiRegion("", "arn:aws:s3::111122223333:accesspoint/other.mrap/object/*")),
    ).toEqual([
      '10:17 error [resource] Resource "arn:aws:s3::111122223333:accesspoint/other.mrap/object/*" is not this access point; use ${accessPointArn} (arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap) or its objects: ${accessPointArn}/object/... or ${accessPointArn}/*',
    ]);
  });

  test("region, name and scope belong to other kinds", () => {
    expect(problems(multiRegion("region: us-east-1\nname: x\n"))).toEqual([
      "4:1 error [multi-region] a Multi-Region Access Point has no Region (AWS serves its policy from us-west-2); remove region from this Multi-Region Access Point file",
      "5:1 error [multi-region] a Multi-Region Access Point is named by multiRegionAccessPoint; remove name from this Multi-Region Access Point file",
    ]);
  });
});

describe("access points attached to an FSx volume", () => {
  test("carry their data source, and allowPublic cannot make a public policy acceptable", () => {
    const file = (principal: string) =>
      `accountId: "111122223333"\nregion: us-east-1\nname: research\nallowPublic: true\ndataSource: { type: FSX_ONTAP, id: fsvol-1 }\npolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Principal: ${principal}\n      Action: s3:GetObject\n      Resource: \${accessPointArn}/object/*\n`;
    expect(check(file("{ AWS: arn:aws:iam::111122223333:role/r }")).desired?.dataSource).toEqual({
      type: "FSX_ONTAP",
      id: "fsvol-1",
    });
    expect(problems(file('"*"'))).toEqual([
      expect.stringContaining(
        '10:18 error [public] the statement is public as Amazon S3 defines it: it allows Principal "*" (anyone)',
      ),
    ]);
    expect(problems(file('"*"'))[0]).toContain("whatever allowPublic says");
  });
});

test("an Object Lambda access point is out of scope, said in one line", () => {
  expect(
    problems(
      'accountId: "111122223333"\nregion: us-east-1\nobjectLambdaAccessPoint: x\nname: reports\npolicy: null\n',
    ),
  ).toEqual([
    "3:1 error [object-lambda] Object Lambda access points are out of s3ap's scope (AWS closed them to new customers on 2025-11-07); manage this one elsewhere and remove the file",
  ]);
});
