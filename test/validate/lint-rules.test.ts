// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy files use ${...} variables
// One test per validation rule: the exact message and where it points (line:col, 1-based).
import { describe, expect, test } from "vitest";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { awsRegions } from "../../src/validate/generated/aws-regions.js";

const FILE = "policies/ap.yaml";

function problems(text: string): string[] {
  return checkPolicyFile(text, FILE).problems.map(
    (p) =>
      `${p.line}:${p.col}${p.severity === "warning" ? " warning" : ""} [${p.rule}] ${p.message}`,
  );
}

/** A valid file whose statement body (indented 6) and top-level extras can be swapped. */
function file(options: { top?: string; statement?: string; policy?: string } = {}): string {
  const statement =
    options.statement ??
    [
      "Effect: Allow",
      "Principal: { AWS: arn:aws:iam::111122223333:role/reader }",
      "Action: s3:GetObject",
      "Resource: ${accessPointArn}/object/*",
    ].join("\n");
  const policy =
    options.policy ??
    `  Version: "2012-10-17"\n  Statement:\n${statement
      .split("\n")
      .map((line, i) => (i === 0 ? `    - ${line}` : `      ${line}`))
      .join("\n")}`;
  const top = options.top ?? 'accountId: "111122223333"\nregion: us-east-1\nname: reports';
  return `${top}\npolicy:\n${policy}\n`;
}

test("the base file is valid", () => {
  expect(problems(file())).toEqual([]);
  const checked = checkPolicyFile(file(), FILE);
  expect(checked.desired?.policy).toMatchObject({
    Statement: [{ Resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*" }],
  });
  expect(checked.desired?.position).toEqual({ line: 4, col: 1 });
  expect(checked.desired?.mode).toBe("enforce");
  expect(checked.desired?.allowPublic).toBe(false);
});

describe("region", () => {
  const region = (name: string) =>
    problems(file({ top: `accountId: "111122223333"\nregion: ${name}\nname: reports` }));

  test("a Region that does not exist is refused at its value, with the nearest real names", () => {
    expect(region("us-east-7")).toEqual([
      '2:9 [region] region "us-east-7" is not an AWS Region: aws has us-east-1 to us-east-2, ' +
        "and new Regions are numbered on from there; nearest AWS Regions: us-east-2, us-east-1",
    ]);
  });
  test("a misspelt direction is refused, whatever the number", () => {
    expect(region("us-eats-1")).toEqual([
      expect.stringMatching(
        /^2:9 \[region\] region "us-eats-1" is not an AWS Region: "eats" is not a Region direction .*; nearest AWS Regions: .*us-east-1/,
      ),
    ]);
  });
  test("a name that fits no partition is refused (its ARN partition is unknown)", () => {
    expect(region("xx-east-1")).toEqual([
      expect.stringMatching(
        /^2:9 \[region\] region "xx-east-1" is not an AWS Region: it fits no partition's Region names in the AWS SDK's partition data \(@aws-sdk\/core [\d.]+\); nearest AWS Regions: /,
      ),
    ]);
  });
  test("every Region the SDK lists is accepted", () => {
    const all = awsRegions.partitions.flatMap((p) => p.regions);
    expect(all).toEqual(expect.arrayContaining(["us-east-1", "cn-north-1", "us-gov-west-1"]));
    for (const name of all) expect(region(name), name).toEqual([]);
  });
  test("a future Region of a known partition is accepted with a warning, not refused", () => {
    // The next ap-southeast and a new stem of the aws partition: what AWS would open next.
    for (const name of ["ap-southeast-8", "ap-southeast-9", "us-central-1", "us-gov-south-1"]) {
      expect(region(name), name).toEqual([
        expect.stringMatching(
          new RegExp(
            `^2:9 warning \\[region\\] region "${name}" is not listed in the AWS SDK's partition data .*; accepted as a Region of partition [a-z-]+ newer than this s3ap \\(check the spelling: nearest AWS Regions: `,
          ),
        ),
      ]);
    }
    expect(region("ap-southeast-10")).toEqual([expect.stringMatching(/^2:9 \[region\] /)]);
    expect(region("ap-southeast-8")[0]).toContain("nearest AWS Regions: ap-southeast-7, ");
  });
  test("a future Region warns, so it does not stop validate (only --strict)", () => {
    const checked = checkPolicyFile(
      file({ top: 'accountId: "111122223333"\nregion: ap-southeast-8\nname: reports' }),
      FILE,
    );
    expect(checked.problems.map((p) => p.severity)).toEqual(["warning"]);
    expect(checked.desired?.policy).toMatchObject({
      Statement: [
        { Resource: "arn:aws:s3:ap-southeast-8:111122223333:accesspoint/reports/object/*" },
      ],
    });
  });
});

describe("YAML", () => {
  test("yaml-syntax", () => {
    expect(problems("accountId: [1,\n")).toEqual([
      expect.stringMatching(/^2:1 \[yaml-syntax\] YAML: Flow sequence in block collection must/),
    ]);
  });
  test("duplicate-key", () => {
    expect(
      problems(
        file({ top: 'accountId: "111122223333"\nregion: us-east-1\nregion: x\nname: reports' }),
      ),
    ).toEqual([
      '3:1 [duplicate-key] duplicate key "region": each key may appear only once in a mapping',
    ]);
  });
  test("multi-document", () => {
    expect(problems(`${file()}---\n${file()}`)).toEqual([
      "11:1 [multi-document] the file holds 2 YAML documents; declare exactly one access point per file",
    ]);
  });
  test("empty: no content, only comments, or a bare ---", () => {
    for (const text of ["", "# nothing\n", "---\n"]) {
      expect(problems(text)).toEqual(["1:1 [empty] the file is empty; declare one access point"]);
    }
  });
  test("yaml-alias", () => {
    expect(
      problems(file({ top: 'accountId: &id "111122223333"\nregion: us-east-1\nname: *id' })),
    ).toEqual([
      "3:7 [yaml-alias] YAML aliases (*id) are not allowed in policy files; write the value out",
    ]);
  });
  test("yaml-syntax for unknown tags", () => {
    expect(
      problems(file({ top: 'accountId: "111122223333"\nregion: !Ref Region\nname: reports' })),
    ).toEqual(["2:9 [yaml-syntax] YAML: Unresolved tag: !Ref"]);
  });
});

describe("the access point", () => {
  test("unquoted account id: read as a number, quote it", () => {
    expect(
      problems(file({ top: "accountId: 111122223333\nregion: us-east-1\nname: reports" })),
    ).toEqual([
      '1:12 [account-id] accountId was read as the number 111122223333; quote it: "111122223333"',
    ]);
  });
  test("unquoted account id with a leading zero keeps the digits the user wrote", () => {
    expect(
      problems(file({ top: "accountId: 011122223333\nregion: us-east-1\nname: reports" }))[0],
    ).toBe(
      '1:12 [account-id] accountId was read as the number 11122223333; quote it: "011122223333"',
    );
  });
  test("account-id not 12 digits", () => {
    expect(problems(file({ top: 'accountId: "1111"\nregion: us-east-1\nname: reports' }))).toEqual([
      '1:12 [account-id] accountId must be exactly 12 digits, got "1111"',
    ]);
  });
  test("region", () => {
    expect(
      problems(file({ top: 'accountId: "111122223333"\nregion: US-East-1\nname: reports' })),
    ).toEqual([
      '2:9 [region] region "US-East-1" is not a Region code such as us-east-1 or eu-west-2',
    ]);
  });
  test.each([
    ["ab", 'access point name "ab" is 2 characters long; AWS requires 3 to 50'],
    [
      "a".repeat(51),
      `access point name "${"a".repeat(51)}" is 51 characters long; AWS requires 3 to 50`,
    ],
    [
      "Reports_AP",
      'access point name "Reports_AP" contains "R", "_", "A", "P"; use only lowercase letters, digits and "-"',
    ],
    ["-reports", 'access point name "-reports" must begin and end with a letter or digit, not "-"'],
    ["reports-", 'access point name "reports-" must begin and end with a letter or digit, not "-"'],
    [
      "reports-s3alias",
      'access point name "reports-s3alias" must not end with "-s3alias" (AWS reserves it for access point aliases)',
    ],
  ])("name %s", (name, message) => {
    expect(
      problems(file({ top: `accountId: "111122223333"\nregion: us-east-1\nname: "${name}"` })),
    ).toEqual([`3:7 [name] ${message}`]);
  });
  test("directory-bucket: a name without its zone", () => {
    expect(
      problems(
        file({
          top: 'accountId: "111122223333"\nregion: us-east-1\nname: logs--xa-s3',
          statement:
            "Effect: Allow\nPrincipal: { AWS: arn:aws:iam::111122223333:role/r }\nAction: s3express:CreateSession\nResource: ${accessPointArn}",
        }),
      ),
    ).toEqual([
      '3:7 [directory-bucket] directory-bucket access point name "logs--xa-s3" must be <name>--<zone-id>--xa-s3, e.g. reports--use1-az4--xa-s3 (the zone of its directory bucket)',
    ]);
  });
  test("outpost-id", () => {
    expect(
      problems(
        file({
          top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\noutpostId: op-1',
          statement:
            "Effect: Deny\nPrincipal: '*'\nAction: s3-outposts:*\nResource: ${accessPointArn}",
        }),
      ),
    ).toEqual([
      '4:12 [outpost-id] outpostId must be "op-" followed by 17 lowercase hex digits, got "op-1"',
    ]);
  });
  test("unknown-key, with a did-you-mean for a case slip", () => {
    expect(
      problems(
        file({
          top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\nmodes: observe\nRegion: x',
        }),
      ),
    ).toEqual([
      '4:1 [unknown-key] unknown key "modes" in the access point file; allowed: accountId, region, name, outpostId, multiRegionAccessPoint, alias, scope, dataSource, mode, allowPublic, policy',
      '5:1 [unknown-key] unknown key "Region" in the access point file; did you mean "region"?',
    ]);
  });
  test("missing-key points at the parent mapping and hints at policy: null", () => {
    expect(problems('accountId: "111122223333"\nregion: us-east-1\nname: reports\n')).toEqual([
      '1:1 [missing-key] missing required key "policy" (use policy: null to require that the access point has no policy)',
    ]);
  });
  test("mode", () => {
    expect(
      problems(
        file({ top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\nmode: dry' }),
      ),
    ).toEqual(['4:7 [mode] mode must be "enforce" or "observe", got "dry"']);
  });
  test("type", () => {
    expect(
      problems(
        file({
          top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\nallowPublic: "yes"',
        }),
      ),
    ).toEqual(['4:14 [type] allowPublic must be true or false, got "yes"']);
  });
  test("a file that is not a mapping", () => {
    expect(problems("- a\n- b\n")).toEqual([
      "1:1 [type] a policy file must be a mapping with accountId, region, name and policy, got a list",
    ]);
  });
});

describe("the policy", () => {
  test("statement: missing", () => {
    expect(problems(file({ policy: '  Version: "2012-10-17"' }))).toEqual([
      "5:3 [statement] the policy has no Statement; add at least one",
    ]);
  });
  test("statement: empty", () => {
    expect(problems(file({ policy: "  Statement: []" }))).toEqual([
      "5:14 [statement] Statement is empty; add at least one statement",
    ]);
  });
  test("effect: missing", () => {
    expect(
      problems(
        file({
          statement:
            "Principal: '*'\nAction: s3:GetObject\nResource: ${accessPointArn}/object/*\nCondition: { Bool: { aws:SecureTransport: true } }",
        }),
      ),
    ).toEqual(["7:7 [effect] the statement has no Effect; add Effect: Allow or Effect: Deny"]);
  });
  test("effect: bad", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: allow\nPrincipal: { AWS: '111122223333' }\nAction: s3:GetObject\nResource: ${accessPointArn}/object/*",
        }),
      ),
    ).toEqual(['7:15 [effect] Effect must be "Allow" or "Deny", got "allow"']);
  });
  test("version", () => {
    expect(
      problems(
        file({
          policy:
            '  Version: "2012-10-18"\n  Statement: { Effect: Deny, Principal: "*", Action: "s3:*", Resource: "${accessPointArn}" }',
        }),
      ),
    ).toEqual(['5:12 [version] Version must be "2012-10-17" or "2008-10-17", got "2012-10-18"']);
  });
  test.each([
    ["Action", "NotAction", "NotAction: s3:PutObject"],
    ["Resource", "NotResource", "NotResource: ${accessPointArn}"],
    ["Principal", "NotPrincipal", "NotPrincipal: { AWS: '111122223333' }"],
  ])("exclusive-keys: %s and %s", (one, other, extra) => {
    expect(
      problems(
        file({
          statement: `Effect: Deny\nPrincipal: { AWS: '111122223333' }\nAction: s3:GetObject\nResource: \${accessPointArn}/object/*\n${extra}`,
        }),
      ),
    ).toEqual([
      `11:7 [exclusive-keys] the statement has both ${one} and ${other}; keep only one of them`,
    ]);
  });
  test("principal: missing", () => {
    expect(
      problems(
        file({
          statement: "Effect: Allow\nAction: s3:GetObject\nResource: ${accessPointArn}/object/*",
        }),
      ),
    ).toEqual([
      '7:7 [principal] the statement has no Principal; an access point policy must say whom it applies to (e.g. Principal: { AWS: "arn:aws:iam::111122223333:role/name" })',
    ]);
  });
  test("action: missing", () => {
    expect(
      problems(file({ statement: "Effect: Deny\nPrincipal: '*'\nResource: ${accessPointArn}" })),
    ).toEqual(["7:7 [action] the statement has no Action; add one such as Action: s3:GetObject"]);
  });
  test("resource: missing", () => {
    expect(problems(file({ statement: "Effect: Deny\nPrincipal: '*'\nAction: s3:*" }))).toEqual([
      "7:7 [resource] the statement has no Resource; add Resource: ${accessPointArn}/object/*",
    ]);
  });
  test.each([
    ["GetObject", 'action "GetObject" has no service prefix; write "s3:GetObject"'],
    [
      "ec2:RunInstances",
      'action "ec2:RunInstances" is outside s3:; an access point policy can only grant s3: actions',
    ],
    [
      "s3-outposts:GetObject",
      'action "s3-outposts:GetObject" is an S3 on Outposts action; on a general-purpose or Multi-Region access point write "s3:GetObject"',
    ],
    ["s3:Get Object", 'action "s3:Get Object" is not an action name such as s3:GetObject'],
  ])("action %s", (action, message) => {
    expect(
      problems(
        file({
          statement: `Effect: Deny\nPrincipal: '*'\nAction: [s3:ListBucket, "${action}"]\nResource: \${accessPointArn}`,
        }),
      ),
    ).toEqual([`9:31 [action] ${message}`]);
  });
  test("action: '*' alone and S3 with any case pass; Outposts need s3-outposts:", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: Deny\nPrincipal: '*'\nAction: ['*', S3:getobject]\nResource: ${accessPointArn}/object/*",
        }),
      ),
    ).toEqual([]);
    const outposts = file({
      top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\noutpostId: op-01ac5d28a6a232904',
      statement:
        "Effect: Deny\nPrincipal: '*'\nAction: [s3-outposts:GetObject, s3:PutObject]\nResource: ${accessPointArn}/object/*",
    });
    expect(problems(outposts)).toEqual([
      '10:39 [action] action "s3:PutObject" is an S3 action; on an Outposts access point write "s3-outposts:PutObject"',
    ]);
    expect(checkPolicyFile(outposts, FILE).problems).toHaveLength(1);
  });
  test.each([
    [
      "arn:aws:iam::1111:role/x",
      'AWS principal "arn:aws:iam::1111:role/x" is not "*", a 12-digit account id or an IAM ARN such as arn:aws:iam::111122223333:role/name',
    ],
    ["12345", 'AWS principal "12345" is not a 12-digit account id'],
    [
      "arn:aws:iam::111122223333:role/*",
      'AWS principal "arn:aws:iam::111122223333:role/*" contains a wildcard; IAM accepts "*" alone or an exact ARN (use a Condition with aws:PrincipalArn and ArnLike to match patterns)',
    ],
  ])("principal %s", (principal, message) => {
    expect(
      problems(
        file({
          statement: `Effect: Deny\nPrincipal:\n  AWS:\n    - "111122223333"\n    - "${principal}"\nAction: s3:*\nResource: \${accessPointArn}`,
        }),
      ),
    ).toEqual([`11:13 [principal] ${message}`]);
  });
  test("principal: Service and CanonicalUser shapes", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: Deny\nPrincipal: { Service: cloudfront, CanonicalUser: abc }\nAction: s3:*\nResource: ${accessPointArn}",
        }),
      ),
    ).toEqual([
      '8:29 [principal] Service principal "cloudfront" is not a service name such as cloudfront.amazonaws.com',
      '8:56 [principal] CanonicalUser "abc" is not a canonical user id (64 lowercase hex digits)',
    ]);
  });
  test("principal: a string other than *", () => {
    expect(
      problems(
        file({
          statement: "Effect: Deny\nPrincipal: everyone\nAction: s3:*\nResource: ${accessPointArn}",
        }),
      ),
    ).toEqual([
      '8:18 [principal] Principal must be "*" or a mapping such as { AWS: arn:aws:iam::111122223333:role/name }, got "everyone"',
    ]);
  });
  test("unquoted principal account id", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: Deny\nPrincipal: { AWS: 111122223333 }\nAction: s3:*\nResource: ${accessPointArn}",
        }),
      ),
    ).toEqual(['8:25 [type] AWS was read as the number 111122223333; quote it: "111122223333"']);
  });
  test("condition-operator: unknown, with a suggestion for a case slip; IfExists and set prefixes pass", () => {
    const statement = [
      "Effect: Deny",
      "Principal: '*'",
      "Action: s3:*",
      "Resource: ${accessPointArn}",
      "Condition:",
      "  StringEqualsIfExists: { aws:SourceVpc: vpc-1 }",
      "  ForAllValues:StringLike: { aws:TagKeys: [a*] }",
      "  stringequals: { aws:SourceVpc: vpc-1 }",
      "  StringEqual: { aws:SourceVpc: vpc-1 }",
      "  NullIfExists: { aws:SourceVpc: true }",
    ].join("\n");
    expect(problems(file({ statement }))).toEqual([
      '14:9 [condition-operator] unknown condition operator "stringequals"; did you mean "StringEquals"?',
      '15:9 [condition-operator] unknown condition operator "StringEqual"; use an IAM operator such as StringEquals, StringLike, ArnLike, Bool, IpAddress (optionally with IfExists, ForAllValues: or ForAnyValue:)',
      '16:9 [condition-operator] unknown condition operator "NullIfExists"; use an IAM operator such as StringEquals, StringLike, ArnLike, Bool, IpAddress (optionally with IfExists, ForAllValues: or ForAnyValue:)',
    ]);
  });
  test("resource: not this access point", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: Deny\nPrincipal: '*'\nAction: s3:*\nResource: [arn:aws:s3:::bucket/*, '${accessPointArn}/object/a', '${accessPointArn}x']",
        }),
      ),
    ).toEqual([
      '10:18 [resource] Resource "arn:aws:s3:::bucket/*" is not this access point; use ${accessPointArn} (arn:aws:s3:us-east-1:111122223333:accesspoint/reports) or its objects: ${accessPointArn}/object/... or ${accessPointArn}/*',
      '10:71 [resource] Resource "arn:aws:s3:us-east-1:111122223333:accesspoint/reportsx" is not this access point; use ${accessPointArn} (arn:aws:s3:us-east-1:111122223333:accesspoint/reports) or its objects: ${accessPointArn}/object/... or ${accessPointArn}/*',
    ]);
  });
  test("resource: the Outposts ARN form on an Outposts access point", () => {
    const top =
      'accountId: "111122223333"\nregion: us-east-1\nname: reports\noutpostId: op-01ac5d28a6a232904';
    const ok =
      "Effect: Deny\nPrincipal: '*'\nAction: s3-outposts:*\nResource: arn:aws:s3-outposts:us-east-1:111122223333:outpost/op-01ac5d28a6a232904/accesspoint/reports/object/*";
    expect(problems(file({ top, statement: ok }))).toEqual([]);
    const bad =
      "Effect: Deny\nPrincipal: '*'\nAction: s3-outposts:*\nResource: arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
    expect(problems(file({ top, statement: bad }))[0]).toMatch(
      /^11:17 \[resource\] Resource "arn:aws:s3:us-east-1/,
    );
  });
  test("policy-size: a warning over 20 KB of compact JSON, an error from the size AWS refused", () => {
    const sized = (n: number) =>
      file({
        statement: `Effect: Deny\nPrincipal: '*'\nAction: [${Array.from({ length: n }, (_, i) => `s3:Get*${i}`).join(", ")}]\nResource: \${accessPointArn}`,
      });
    const lint = (n: number) =>
      checkPolicyFile(sized(n), FILE).problems.filter((p) => p.rule === "policy-size");
    // Every name is a wildcard matching no action: one warning each, so only look at the size.
    expect(lint(1500)).toEqual([]);
    expect(lint(1800)).toEqual([
      expect.objectContaining({
        line: 4,
        col: 1,
        severity: "warning",
        message: expect.stringMatching(
          /^the policy is 2\d{4} bytes as compact JSON, over 20 KB \(20480 bytes\); AWS counts its own normalised form and has accepted documents of up to 24,620 bytes but refused one of 24861: it may refuse this one$/,
        ),
      }),
    ]);
    expect(lint(2200)).toEqual([
      expect.objectContaining({
        severity: "error",
        message: expect.stringMatching(/^the policy is 2\d{4} bytes as compact JSON; AWS refuses/),
      }),
    ]);
  });
  test("policy-size: multi-byte characters and escapes count as the bytes of compact JSON", () => {
    const withValue = (yamlValue: string) =>
      file({
        statement: `Effect: Deny\nPrincipal: '*'\nAction: s3:GetObject\nResource: \${accessPointArn}\nCondition: { StringEquals: { "aws:UserAgent": ${yamlValue} } }`,
      });
    const sizes = (text: string) =>
      checkPolicyFile(text, FILE)
        .problems.filter((p) => p.rule === "policy-size")
        .map((p) => `${p.severity}: ${/^the policy is (\d+) bytes/.exec(p.message)?.[1]}`);
    // 7,000 characters of 3 bytes each in UTF-8; 3,500 controls written as 6-byte \u0001 escapes.
    expect(sizes(withValue(`"${"\u20ac".repeat(7000)}"`))).toEqual(["warning: 21213"]);
    expect(sizes(withValue(`"${"\\x01".repeat(3500)}"`))).toEqual(["warning: 21213"]);
    expect(sizes(withValue(`"${"x".repeat(7000)}"`))).toEqual([]);
  });
  test("public: * without a Condition unless allowPublic: true", () => {
    const statement =
      "Effect: Allow\nPrincipal: { AWS: '*' }\nAction: s3:GetObject\nResource: ${accessPointArn}/object/*";
    expect(problems(file({ statement }))).toEqual([
      '8:18 [public] the statement is public as Amazon S3 defines it: it allows Principal { AWS: "*" } (anyone), and no Condition limits it to fixed values of the keys S3 lists (principal, organization, source VPC, VPC endpoint, IP range, source ARN or account, KMS key, data access point). AWS refuses public policies on access points with BlockPublicPolicy (the default). Limit it with a Condition on a fixed value (e.g. aws:PrincipalOrgID, aws:SourceVpc, aws:SourceVpce, aws:PrincipalAccount) or set allowPublic: true if it must be public',
    ]);
    const allowed = file({
      top: 'accountId: "111122223333"\nregion: us-east-1\nname: reports\nallowPublic: true',
      statement,
    });
    expect(problems(allowed)).toEqual([]);
    expect(checkPolicyFile(allowed, FILE).desired?.allowPublic).toBe(true);
  });
  test("public: Allow with NotPrincipal", () => {
    expect(
      problems(
        file({
          statement:
            "Effect: Allow\nNotPrincipal: { AWS: '111122223333' }\nAction: s3:GetObject\nResource: ${accessPointArn}/object/*",
        }),
      ),
    ).toEqual([
      "8:7 [public] the statement is public as Amazon S3 defines it: Allow with NotPrincipal grants everyone except the listed principals, and no Condition limits it to fixed values of the keys S3 lists (principal, organization, source VPC, VPC endpoint, IP range, source ARN or account, KMS key, data access point). AWS refuses public policies on access points with BlockPublicPolicy (the default). Limit it with a Condition on a fixed value (e.g. aws:PrincipalOrgID, aws:SourceVpc, aws:SourceVpce, aws:PrincipalAccount) or set allowPublic: true if it must be public",
    ]);
  });
  test("sid: duplicates are a warning (S3 accepts them), and the file still declares its access point", () => {
    const policy = [
      "  Statement:",
      "    - { Sid: A, Effect: Deny, Principal: '*', Action: s3:*, Resource: '${accessPointArn}' }",
      "    - { Sid: A, Effect: Deny, Principal: '*', Action: s3:*, Resource: '${accessPointArn}' }",
    ].join("\n");
    expect(problems(file({ policy }))).toEqual([
      '7:14 warning [sid] Sid "A" is also used by another statement; S3 accepts it, but give each statement its own Sid so reviews and reports can tell them apart',
    ]);
    expect(checkPolicyFile(file({ policy }), FILE).desired?.name).toBe("reports");
  });
  test("variable: unknown names fail, IAM variables and escapes pass, known ones are replaced", () => {
    const statement =
      "Effect: Deny\nPrincipal: '*'\nAction: s3:*\nResource: ['${accessPointArn}/object/${aws:username}/${*}', '${accessPointArn}/object/${bucket}']";
    expect(problems(file({ statement }))).toEqual([
      "10:67 [variable] unknown variable ${bucket}; s3ap knows ${accessPointArn}, ${accountId}, ${region}, ${name}, ${partition} (IAM policy variables have a colon, e.g. ${aws:username}; write ${!bucket} for a literal ${bucket})",
    ]);
    const ok =
      "Effect: Deny\nPrincipal: { AWS: 'arn:${partition}:iam::${accountId}:root' }\nAction: s3:*\nResource: '${accessPointArn}/object/${region}/${name}/${aws:username}/${*}'";
    expect(checkPolicyFile(file({ statement: ok }), FILE).desired?.policy).toMatchObject({
      Statement: [
        {
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Resource:
            "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/us-east-1/reports/${aws:username}/${*}",
        },
      ],
    });
  });
  test("variable: ${!...} is a literal ${...}, whatever follows the !", () => {
    const statement =
      "Effect: Deny\nPrincipal: '*'\nAction: s3:*\nResource: '${accessPointArn}/object/*'\n" +
      "Condition: { StringEquals: { 'aws:UserAgent': ['${!accountId}-${!region}', '${!bucket}', '${!!x}', '${!aws:username}', '$${!name}'] } }";
    const checked = checkPolicyFile(file({ statement }), FILE);
    expect(checked.problems).toEqual([]);
    const statements = checked.desired?.policy?.Statement as Record<string, unknown>[];
    expect(statements[0]?.Condition).toEqual({
      StringEquals: {
        "aws:UserAgent": [
          "${accountId}-${region}",
          "${bucket}",
          "${!x}",
          "${aws:username}",
          "$${name}",
        ],
      },
    });
  });
  test("policy: null declares that the access point has no policy", () => {
    const checked = checkPolicyFile(
      file({ policy: "  null" }).replace("policy:\n  null", "policy: null"),
      FILE,
    );
    expect(checked.problems).toEqual([]);
    expect(checked.desired?.policy).toBeNull();
  });
  test("problems are all collected, not only the first", () => {
    const text = file({
      top: "accountId: 111122223333\nregion: moon\nname: AB",
      statement: "Effect: Maybe\nAction: GetObject\nResource: arn:aws:s3:::b",
    });
    expect(
      checkPolicyFile(text, FILE)
        .problems.map((p) => p.rule)
        .sort(),
    ).toEqual(["account-id", "action", "effect", "name", "principal", "region"].sort());
  });
});
