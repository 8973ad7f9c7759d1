import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { accessVerdict } from "../../src/policy/access-verdict.js";
import { globMatches, patternCovers, patternsDisjoint } from "../../src/policy/patterns.js";

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const ROLE = "arn:aws:iam::111122223333:role/reports";
const PARTNER = "arn:aws:iam::444455556666:root";

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
  return accessVerdict(before, after).reasons.map((r) => `${r.direction}: ${r.text}`);
}

describe("access verdict", () => {
  test("an added principal widens, and says which", () => {
    const after = policy(read({ Principal: { AWS: [ROLE, PARTNER] } }));
    expect(accessVerdict(policy(read()), after).access).toBe("widens");
    expect(texts(policy(read()), after)).toContain(
      `widens: statement "Read": adds principal ${PARTNER}`,
    );
  });

  test('a "*" principal widens and says `*` is introduced', () => {
    const after = policy(read({ Principal: "*" }));
    const verdict = accessVerdict(policy(read()), after);
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons.map((r) => r.text)).toContain(
      'statement "Read": adds principal everyone ("*")',
    );
  });

  test("replacing a principal by another is mixed", () => {
    const after = policy(read({ Principal: { AWS: PARTNER } }));
    expect(accessVerdict(policy(read()), after).access).toBe("mixed");
  });

  test("an action covered by a wildcard already granted changes nothing", () => {
    const before = policy(read({ Action: ["s3:Get*"] }));
    const after = policy(read({ Action: ["s3:Get*", "s3:GetObjectTagging"] }));
    expect(accessVerdict(before, after).access).toBe("same");
  });

  test("a removed condition on an Allow widens; an added one narrows", () => {
    const vpc = { Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } };
    expect(accessVerdict(policy(read(vpc)), policy(read())).access).toBe("widens");
    expect(texts(policy(read(vpc)), policy(read()))).toContain(
      'widens: statement "Read": removes condition StringEquals aws:SourceVpc',
    );
    expect(accessVerdict(policy(read()), policy(read(vpc))).access).toBe("narrows");
  });

  test("a condition value more widens an Allow with StringEquals and narrows one with StringNotEquals", () => {
    const cond = (op: string, values: string[]) => ({
      Condition: { [op]: { "aws:SourceVpc": values } },
    });
    const eq = [
      policy(read(cond("StringEquals", ["vpc-1"]))),
      policy(read(cond("StringEquals", ["vpc-1", "vpc-2"]))),
    ] as const;
    expect(accessVerdict(...eq).access).toBe("widens");
    const ne = [
      policy(read(cond("StringNotEquals", ["vpc-1"]))),
      policy(read(cond("StringNotEquals", ["vpc-1", "vpc-2"]))),
    ] as const;
    expect(accessVerdict(...ne).access).toBe("narrows");
  });

  test("a removed Deny widens, and says so", () => {
    const deny = {
      Sid: "NoDelete",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:DeleteObject",
      Resource: `${AP}/object/*`,
    };
    const verdict = accessVerdict(policy(read(), deny), policy(read()));
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons[0]?.text).toMatch(/^removes Deny statement "NoDelete"/);
  });

  test("a Deny that applies to fewer actions widens", () => {
    const deny = (Action: string[]) => ({ Effect: "Deny", Principal: "*", Action, Resource: "*" });
    const verdict = accessVerdict(
      policy(read(), deny(["s3:DeleteObject", "s3:PutObject"])),
      policy(read(), deny(["s3:DeleteObject"])),
    );
    expect(verdict.access).toBe("widens");
  });

  test("an Effect flip from Deny to Allow widens, from Allow to Deny narrows", () => {
    expect(accessVerdict(policy(read({ Effect: "Deny" })), policy(read())).access).toBe("widens");
    expect(accessVerdict(policy(read()), policy(read({ Effect: "Deny" }))).access).toBe("narrows");
    expect(texts(policy(read()), policy(read({ Effect: "Deny" })))).toEqual([
      'narrows: statement "Read": Effect Allow becomes Deny',
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
    const verdict = accessVerdict(
      policy(notAction(["s3:DeleteObject", "s3:PutObject"])),
      policy(notAction(["s3:DeleteObject"])),
    );
    expect(verdict.access).toBe("widens");
    expect(verdict.reasons.map((r) => r.text)).toContain(
      "desired statement 1: removes NotAction s3:PutObject",
    );
  });

  test("create from no policy widens by its Allows; a Deny-only policy narrows", () => {
    expect(accessVerdict(null, policy(read())).access).toBe("widens");
    const deny = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    expect(accessVerdict(null, policy(deny)).access).toBe("narrows");
    expect(accessVerdict(null, policy(read(), deny)).access).toBe("mixed");
  });

  test("delete to no policy narrows by the Allows it drops and widens by the Denies", () => {
    expect(accessVerdict(policy(read()), null).access).toBe("narrows");
    const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" };
    expect(accessVerdict(policy(deny), null).access).toBe("widens");
  });

  test("meaning-preserving rewrites are the same", () => {
    const before = policy(
      read({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: [AP, `${AP}/object/*`] }),
    );
    const after = policy(
      read({ Sid: "A", Action: "s3:getobject", Resource: [AP, `${AP}/object/*`] }),
      read({ Sid: "B", Action: ["s3:ListBucket"], Resource: [`${AP}/object/*`, AP] }),
    );
    expect(accessVerdict(before, after)).toEqual({
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
    const home = read({ Resource: `${AP}/object/home/\${aws:username}/*` });
    const verdict = accessVerdict({ Version: "2008-10-17", Statement: [home] }, policy(home));
    expect(verdict.access).toBe("mixed");
  });

  test("an unreadable Statement is mixed", () => {
    expect(
      accessVerdict(policy(read()), { Version: "2012-10-17", Statement: "nonsense" }).access,
    ).toBe("mixed");
  });

  test("an unknown Effect is read as both Allow and Deny", () => {
    expect(
      accessVerdict(
        policy(read()),
        policy(read(), read({ Sid: "X", Effect: "Maybe", Principal: { AWS: PARTNER } })),
      ).access,
    ).toBe("mixed");
  });

  test("reasons list what widens first", () => {
    const after = policy(
      read({ Principal: { AWS: PARTNER }, Action: ["s3:GetObject", "s3:PutObject"] }),
    );
    const directions = accessVerdict(policy(read()), after).reasons.map((r) => r.direction);
    expect(directions).toEqual(
      [...directions].sort((a, b) => (a === "widens" ? -1 : b === "widens" ? 1 : 0)),
    );
    expect(directions[0]).toBe("widens");
  });
});

describe("pattern containment", () => {
  test("globs match with * and ?", () => {
    expect(globMatches("s3:get*", "s3:getobject")).toBe(true);
    expect(globMatches("s3:?etobject", "s3:getobject")).toBe(true);
    expect(globMatches("s3:*object", "s3:getobjecttagging")).toBe(false);
  });

  test("a prefix wildcard covers what starts with its prefix, variables included", () => {
    expect(patternCovers(`${AP}/object/*`, `${AP}/object/home/\${aws:username}/*`)).toBe(true);
    expect(patternCovers(`${AP}/object/home/*`, `${AP}/object/\${aws:username}/*`)).toBe(false);
    expect(patternCovers("s3:*object", "s3:get*")).toBe(false);
    expect(patternCovers(`${AP}/object/\${aws:username}`, `${AP}/object/jane`)).toBe(false);
  });

  test("disjointness is claimed only when certain", () => {
    expect(patternsDisjoint("s3:get*", "s3:put*")).toBe(true);
    expect(patternsDisjoint("s3:get*", "s3:*object")).toBe(false);
    expect(patternsDisjoint(`${AP}/object/jane`, `${AP}/object/\${aws:username}`)).toBe(false);
  });
});
