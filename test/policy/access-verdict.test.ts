import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { type AccessPointAuthorization, accessVerdict } from "../../src/policy/access-verdict.js";
import { diffPolicies } from "../../src/policy/diff.js";
import { accessPointAuthorization } from "../../src/validate/iam-authorization.js";

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const ROLE = "arn:aws:iam::111122223333:role/reports";
const PARTNER = "arn:aws:iam::444455556666:root";
const OPTIONS = { authorization: accessPointAuthorization(AP) as AccessPointAuthorization };

function verdictOf(before: PolicyDocument | null, after: PolicyDocument | null) {
  return accessVerdict(before, after, OPTIONS);
}

function policy(...Statement: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: "2012-10-17", Statement };
}
const read = (extra: Record<string, unknown> = {}) => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: ROLE },
  Action: ["s3:GetObject"],
  Resource: `${AP}/object/*`,
  ...extra,
});

function texts(before: PolicyDocument | null, after: PolicyDocument | null): string[] {
  return verdictOf(before, after).reasons.map((r) => `${r.direction}: ${r.text}`);
}

describe("access verdict", () => {
  test("takes whether the documents are equivalent from their diff when it is given", () => {
    const before = policy(read());
    const after = policy(read({ Principal: { AWS: [ROLE, PARTNER] } }));
    const diff = diffPolicies(before, after);
    expect(accessVerdict(before, after, OPTIONS, diff).access).toBe("widens");
    // The diff of the same documents is the caller's word on equivalence: no second comparison.
    expect(accessVerdict(before, after, OPTIONS, { ...diff, equal: true }).access).toBe("same");
  });

  test("an added principal widens, and says which", () => {
    const after = policy(read({ Principal: { AWS: [ROLE, PARTNER] } }));
    expect(verdictOf(policy(read()), after).access).toBe("widens");
    expect(texts(policy(read()), after)).toContain(
      `widens: statement "Read": adds principal ${PARTNER}`,
    );
  });

  test('a "*" principal widens and says `*` is introduced', () => {
    const after = policy(read({ Principal: "*" }));
    const verdict = verdictOf(policy(read()), after);
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons.map((r) => r.text)).toContain(
      'statement "Read": adds principal everyone ("*")',
    );
  });

  test("replacing a principal by another is mixed", () => {
    const after = policy(read({ Principal: { AWS: PARTNER } }));
    expect(verdictOf(policy(read()), after).access).toBe("mixed");
  });

  test("an action covered by a wildcard already granted changes nothing", () => {
    const before = policy(read({ Action: ["s3:Get*"] }));
    const after = policy(read({ Action: ["s3:Get*", "s3:GetObjectTagging"] }));
    expect(verdictOf(before, after).access).toBe("same");
  });

  test("a removed condition on an Allow widens; an added one narrows", () => {
    const vpc = { Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } };
    expect(verdictOf(policy(read(vpc)), policy(read())).access).toBe("widens");
    expect(texts(policy(read(vpc)), policy(read()))).toContain(
      'widens: statement "Read": removes condition StringEquals aws:SourceVpc',
    );
    expect(verdictOf(policy(read()), policy(read(vpc))).access).toBe("narrows");
  });

  test("a condition value more widens an Allow with StringEquals and narrows one with StringNotEquals", () => {
    const cond = (op: string, values: string[]) => ({
      Condition: { [op]: { "aws:SourceVpc": values } },
    });
    const eq = [
      policy(read(cond("StringEquals", ["vpc-1"]))),
      policy(read(cond("StringEquals", ["vpc-1", "vpc-2"]))),
    ] as const;
    expect(verdictOf(...eq).access).toBe("widens");
    const ne = [
      policy(read(cond("StringNotEquals", ["vpc-1"]))),
      policy(read(cond("StringNotEquals", ["vpc-1", "vpc-2"]))),
    ] as const;
    expect(verdictOf(...ne).access).toBe("narrows");
  });

  test("a removed Deny widens, and says so", () => {
    const deny = {
      Sid: "NoDelete",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:DeleteObject",
      Resource: `${AP}/object/*`,
    };
    const verdict = verdictOf(policy(read(), deny), policy(read()));
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons[0]?.text).toMatch(/^removes Deny statement "NoDelete"/);
  });

  test("a Deny that applies to fewer actions widens", () => {
    const deny = (Action: string[]) => ({ Effect: "Deny", Principal: "*", Action, Resource: "*" });
    const verdict = verdictOf(
      policy(read(), deny(["s3:DeleteObject", "s3:PutObject"])),
      policy(read(), deny(["s3:DeleteObject"])),
    );
    expect(verdict.access).toBe("widens");
  });

  test("an Effect flip from Deny to Allow widens, from Allow to Deny narrows", () => {
    expect(verdictOf(policy(read({ Effect: "Deny" })), policy(read())).access).toBe("widens");
    expect(verdictOf(policy(read()), policy(read({ Effect: "Deny" }))).access).toBe("narrows");
    expect(texts(policy(read()), policy(read({ Effect: "Deny" })))).toEqual([
      'narrows: statement "Read": Effect Allow becomes Deny',
      `narrows: statement "Read" denies ${ROLE} s3:GetObject on ${AP}/object/z, which statement "Read" allowed`,
    ]);
  });

  test("a live Effect that is no string is shown as its JSON, not as [object Object]", () => {
    const odd = Object.setPrototypeOf({ Allow: true }, null);
    expect(texts(policy(read({ Effect: odd })), policy(read()))).toContain(
      'unclear: statement "Read": Effect {"Allow":true} becomes Allow',
    );
  });

  test("fewer NotAction values on an Allow widen it", () => {
    const notAction = (NotAction: string[]) => ({
      Effect: "Allow",
      Principal: { AWS: ROLE },
      NotAction,
      Resource: "*",
    });
    const verdict = verdictOf(
      policy(notAction(["s3:DeleteObject", "s3:PutObject"])),
      policy(notAction(["s3:DeleteObject"])),
    );
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons.map((r) => r.text)).toContain(
      "desired statement 1: removes NotAction s3:PutObject",
    );
  });

  test("create from no policy widens by its Allows; a Deny-only policy narrows", () => {
    expect(verdictOf(null, policy(read())).access).toBe("widens");
    const deny = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    expect(verdictOf(null, policy(deny)).access).toBe("narrows");
    expect(verdictOf(null, policy(read(), deny)).access).toBe("mixed");
  });

  test("delete to no policy narrows by the Allows it drops and widens by the Denies", () => {
    expect(verdictOf(policy(read()), null).access).toBe("narrows");
    const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" };
    expect(verdictOf(policy(deny), null).access).toBe("widens");
  });

  test("meaning-preserving rewrites are the same", () => {
    const before = policy(
      read({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: [AP, `${AP}/object/*`] }),
    );
    const after = policy(
      read({ Sid: "A", Action: "s3:getobject", Resource: [AP, `${AP}/object/*`] }),
      read({ Sid: "B", Action: ["s3:ListBucket"], Resource: [`${AP}/object/*`, AP] }),
    );
    expect(verdictOf(before, after)).toEqual({
      access: "same",
      reasons: [
        {
          direction: "unclear",
          text: "the statements are rewritten, but every request gets the same answer as before",
        },
      ],
    });
  });

  test("a Version change with policy variables is mixed: variables are read differently", () => {
    const home = read({
      Principal: { AWS: "arn:aws:iam::111122223333:user/alice" },
      Resource: `${AP}/object/home/\${aws:username}/*`,
    });
    // 2008-10-17 reads "${aws:username}" as a folder of that name; 2012-10-17 as alice's.
    const verdict = verdictOf({ Version: "2008-10-17", Statement: [home] }, policy(home));
    expect(verdict.access).toBe("mixed");
  });

  test("an unreadable Statement is mixed", () => {
    expect(verdictOf(policy(read()), { Version: "2012-10-17", Statement: "nonsense" }).access).toBe(
      "mixed",
    );
  });

  test("an unknown Effect is read as both Allow and Deny", () => {
    expect(
      verdictOf(
        policy(read()),
        policy(read(), read({ Sid: "X", Effect: "Maybe", Principal: { AWS: PARTNER } })),
      ).access,
    ).toBe("mixed");
  });

  test("reasons list what widens first", () => {
    const after = policy(
      read({ Principal: { AWS: PARTNER }, Action: ["s3:GetObject", "s3:PutObject"] }),
    );
    const directions = verdictOf(policy(read()), after).reasons.map((r) => r.direction);
    expect(directions).toEqual(
      [...directions].sort((a, b) => (a === "widens" ? -1 : b === "widens" ? 1 : 0)),
    );
    expect(directions[0]).toBe("widens");
  });
});

describe("an exact verdict", () => {
  const list = { ...read(), Sid: "List", Action: "s3:ListBucket", Resource: AP };
  const vpc = (operator: string, value: string | string[]) => ({
    Condition: { [operator]: { "aws:SourceVpc": value } },
  });

  test("splitting one statement into several, or merging them, with the same grants is same", () => {
    const merged = policy(
      read({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: [AP, `${AP}/object/*`] }),
    );
    const split = policy(read(), list);
    // GetObject never names the access point itself, nor ListBucket an object: the merged
    // statement grants nothing more than the two.
    expect(verdictOf(merged, split).access).toBe("same");
    expect(verdictOf(split, merged).access).toBe("same");
    const byVpc = policy(read(vpc("StringEquals", ["vpc-1", "vpc-2"])));
    const twoVpcs = policy(
      read(vpc("StringEquals", "vpc-1")),
      read({ Sid: "Read2", ...vpc("StringEquals", "vpc-2") }),
    );
    expect(verdictOf(byVpc, twoVpcs).access).toBe("same");
  });

  test("StringEquals and StringLike with no wildcard in the values match alike: same", () => {
    const swap = (value: string) =>
      verdictOf(policy(read(vpc("StringEquals", value))), policy(read(vpc("StringLike", value))))
        .access;
    expect(swap("vpc-1")).toBe("same");
    // With a wildcard, StringLike matches more: an Allow widens.
    expect(swap("vpc-*")).toBe("widens");
  });

  test("ArnEquals and ArnLike are the same operator (IAM documents both as ARN matching)", () => {
    const source = (operator: string, value: string) => ({
      Condition: { [operator]: { "aws:SourceArn": value } },
    });
    for (const arn of [
      "arn:aws:cloudfront::444455556666:distribution/E1",
      "arn:aws:cloudfront::444455556666:distribution/*",
    ]) {
      expect(
        verdictOf(policy(read(source("ArnEquals", arn))), policy(read(source("ArnLike", arn))))
          .access,
        arn,
      ).toBe("same");
    }
  });

  test("a narrowing is said only when something is taken away, a widening only when granted", () => {
    // The added principal was already allowed by a statement naming everyone in the account.
    const account = { ...read(), Sid: "All", Principal: { AWS: "444455556666" } };
    const partnerRole = "arn:aws:iam::444455556666:role/partner";
    expect(
      verdictOf(policy(account), policy(account, read({ Principal: { AWS: partnerRole } }))).access,
    ).toBe("same");
    // In the access point's own account an Allow naming the account grants its principals
    // nothing beyond their identity policies: naming the role does.
    const own = { ...read(), Sid: "All", Principal: { AWS: "111122223333" } };
    expect(verdictOf(policy(own), policy(own, read())).access).toBe("widens");
    // A Deny naming the account denies its principals: one naming a role in it adds nothing.
    const denyAccount = {
      ...read(),
      Sid: "No",
      Effect: "Deny",
      Principal: { AWS: "111122223333" },
    };
    const denyRole = { ...read(), Sid: "NoRole", Effect: "Deny" };
    expect(verdictOf(policy(denyAccount, denyRole), policy(denyAccount)).access).toBe("same");
  });

  test("conditions that always or never hold through this access point change nothing", () => {
    const through = { Condition: { StringEquals: { "s3:DataAccessPointArn": AP } } };
    expect(verdictOf(policy(read(through)), policy(read())).access).toBe("same");
    // s3:prefix is carried by listing requests only: a GetObject statement testing it never
    // matches, and removing it takes nothing away.
    const prefix = { Sid: "Never", Condition: { StringLike: { "s3:prefix": "home/*" } } };
    expect(verdictOf(policy(list, read(prefix)), policy(list)).access).toBe("same");
  });

  test("a home directory by ${aws:username} narrowed to a subfolder narrows, exactly", () => {
    const home = (path: string) =>
      read({
        Principal: { AWS: "arn:aws:iam::111122223333:user/alice" },
        Resource: `${AP}/object/home/\${aws:username}${path}`,
      });
    const verdict = verdictOf(policy(home("/*")), policy(home("/docs/*")));
    expect(verdict.access).toBe("narrows");
    expect(verdict.reasons.filter((r) => r.direction === "unclear")).toEqual([]);
    // The request that shows it is alice's own folder: aws:username is her name.
    expect(verdict.reasons.find((r) => r.request)?.request?.resource).toMatch(
      /\/object\/home\/alice\//,
    );
    // A role has no aws:username: a statement for it by ${aws:username} never matched.
    const forRole = (path: string) =>
      read({ Resource: `${AP}/object/home/\${aws:username}${path}` });
    expect(verdictOf(policy(forRole("/*")), policy(forRole("/docs/*"))).access).toBe("same");
  });

  test("numbers and IP ranges: the request shows a value in the part that changed", () => {
    const range = (cidr: string) => read({ Condition: { IpAddress: { "aws:SourceIp": cidr } } });
    const broader = verdictOf(policy(range("203.0.113.0/25")), policy(range("203.0.113.0/24")));
    expect(broader.access).toBe("widens");
    expect(broader.reasons.find((r) => r.request)?.request?.context).toEqual({
      "aws:sourceip": "203.0.113.128",
    });
    const keys = (n: string) => ({
      ...list,
      Condition: { NumericLessThanEquals: { "s3:max-keys": n } },
    });
    const fewer = verdictOf(policy(keys("100")), policy(keys("10")));
    expect(fewer.access).toBe("narrows");
    const maxKeys = Number(fewer.reasons.find((r) => r.request)?.request?.context["s3:max-keys"]);
    expect(maxKeys > 10 && maxKeys <= 100).toBe(true);
  });

  test("NotResource: excluding fewer objects from an Allow widens it", () => {
    const notIn = (paths: string[]) => {
      const { Resource: _, ...statement } = read();
      return { ...statement, NotResource: paths.map((p) => `${AP}/object/${p}`) };
    };
    expect(verdictOf(policy(notIn(["secret/*", "hr/*"])), policy(notIn(["secret/*"]))).access).toBe(
      "widens",
    );
  });

  test("where it cannot be decided, the verdict is mixed and says why", () => {
    // An operator IAM does not know: whether the Deny ever applies cannot be told.
    const odd = {
      ...list,
      Sid: "Odd",
      Effect: "Deny",
      Condition: { NumericLessThanish: { "s3:max-keys": "10" } },
    };
    const verdict = verdictOf(policy(list), policy(list, odd));
    expect(verdict.access).toBe("mixed");
    expect(verdict.reasons.map((r) => `${r.direction}: ${r.text}`)).toContain(
      "unclear: may narrow access: the condition NumericLessThanish on s3:max-keys cannot be evaluated exactly",
    );
    // A test whose value is no number still fails when the request has no such key: that much
    // is certain, and said.
    const ten = { ...list, Condition: { NumericLessThan: { "s3:max-keys": "ten" } } };
    expect(verdictOf(policy(list), policy(ten)).access).toBe("narrows");
  });

  test("each proven direction carries the request that shows it: who, what, on which resource", () => {
    const after = policy(read({ Principal: { AWS: [ROLE, PARTNER] } }));
    const widening = verdictOf(policy(read()), after).reasons.filter((r) => r.request);
    expect(widening.map((r) => r.request)).toEqual([
      {
        principal: { type: "AWS", value: PARTNER, account: "444455556666" },
        action: "s3:GetObject",
        resource: `${AP}/object/z`,
        context: {},
        before: "none",
        after: "allow",
      },
      expect.objectContaining({ principal: { type: "AWS", account: "444455556666" } }),
    ]);
    expect(Object.getPrototypeOf(widening[0]?.request?.context)).toBeNull();
  });
});
