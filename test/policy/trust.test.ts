import { describe, expect, test } from "vitest";
import type { PolicyDocument, TrustSettings } from "../../src/model.js";
import { APPLY_SIDES } from "../../src/policy/access-reasons.js";
import { accessVerdict } from "../../src/policy/access-verdict.js";
import { scopeLimits } from "../../src/policy/scope-access.js";
import { type TrustContext, trustVerdict, witnessesWithinTrust } from "../../src/policy/trust.js";
import { verdictOptions } from "../../src/reconcile/verdict-options.js";

const OWN = "111122223333";
const LISTED = "444455556666";
const STRANGER = "999988887777";
const ORG = "o-a1b2c3d4e5";
const AP = `arn:aws:s3:us-east-1:${OWN}:accesspoint/reports`;
const ROLE = `arn:aws:iam::${OWN}:role/reports`;

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
const grant = (principal: unknown, extra: Record<string, unknown> = {}) =>
  read({ Sid: "Grant", Principal: principal, ...extra });

/** The usual guard: Deny everyone outside the organisation. */
const guard = {
  Sid: "OrgOnly",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [AP, `${AP}/object/*`],
  Condition: { StringNotEquals: { "aws:PrincipalOrgID": ORG } },
};

const trust: TrustSettings = { organizationId: ORG, accounts: [LISTED] };
const context = (settings: TrustSettings | "none" = trust): TrustContext => ({
  trust: settings === "none" ? undefined : settings,
  accountId: OWN,
  partition: "aws",
});

function verdict(before: PolicyDocument | null, after: PolicyDocument | null, c = context()) {
  return trustVerdict(before, after, c, verdictOptions(AP, "aws"));
}
const kinds = (before: PolicyDocument | null, after: PolicyDocument | null, c = context()) =>
  verdict(before, after, c).outside.map((g) => `${g.kind} ${g.principal}`);

describe("trust tiers of a widening", () => {
  test("a principal of a listed account stays within trust", () => {
    const after = policy(read(), grant({ AWS: `arn:aws:iam::${LISTED}:role/audit` }));
    expect(verdict(policy(read()), after)).toEqual({ tier: "within", outside: [] });
  });

  test("a principal of the access point's own account stays within trust without any trust", () => {
    const after = policy(read(), grant({ AWS: `arn:aws:iam::${OWN}:role/other` }));
    expect(verdict(policy(read()), after, context("none")).tier).toBe("within");
  });

  test("an account not listed reaches outside trust and is named", () => {
    const after = policy(read(), grant({ AWS: STRANGER }));
    const result = verdict(policy(read()), after);
    expect(result.tier).toBe("outside");
    expect(result.outside).toEqual([
      {
        kind: "unlisted-account",
        principal: `arn:aws:iam::${STRANGER}:root`,
        statement: 'statement "Grant"',
        text: `statement "Grant" grants arn:aws:iam::${STRANGER}:root: account ${STRANGER}; it is not listed in trust.accounts`,
      },
    ]);
  });

  test("without trust in s3ap.yaml another account is outside, and the text says why", () => {
    const after = policy(read(), grant({ AWS: `arn:aws:iam::${LISTED}:root` }));
    const [first] = verdict(policy(read()), after, context("none")).outside;
    expect(first?.text).toContain("only the access point's own account is trusted");
  });

  test("everyone without a condition is public", () => {
    expect(kinds(policy(read()), policy(read(), grant("*")))).toEqual(["public *"]);
  });

  test("Allow with NotPrincipal is public", () => {
    const after = policy(read(), {
      ...grant(undefined),
      Principal: undefined,
      NotPrincipal: { AWS: ROLE },
    });
    expect(kinds(policy(read()), after)).toEqual([`public all but ${ROLE}`]);
  });

  test("everyone pinned to the organisation stays within trust", () => {
    const pinned = { Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } };
    expect(verdict(policy(read()), policy(read(), grant("*", pinned))).tier).toBe("within");
    const paths = {
      Condition: {
        "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${ORG}/r-ab12/ou-ab12-1/*` },
      },
    };
    expect(verdict(policy(read()), policy(read(), grant("*", paths))).tier).toBe("within");
  });

  test("everyone pinned to another organisation reaches outside and names it", () => {
    const other = { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" } } };
    const result = verdict(policy(read()), policy(read(), grant("*", other)));
    expect(result.outside.map((g) => g.kind)).toEqual(["other-organization"]);
    expect(result.outside[0]?.text).toContain(`organisation o-zzzzzzzzzz, not ${ORG}`);
  });

  test("IfExists on the organisation key pins nothing: anonymous requests carry no org id", () => {
    const loose = { Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": ORG } } };
    expect(kinds(policy(read()), policy(read(), grant("*", loose)))).toEqual(["public *"]);
  });

  test("everyone from a VPC is not public but any account may use it", () => {
    const vpc = { Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } };
    expect(kinds(policy(read()), policy(read(), grant("*", vpc)))).toEqual(["any-account *"]);
  });

  test("everyone pinned to listed accounts stays within; an unlisted one is named", () => {
    const listed = { Condition: { StringEquals: { "aws:PrincipalAccount": [OWN, LISTED] } } };
    expect(verdict(policy(read()), policy(read(), grant("*", listed))).tier).toBe("within");
    const mixed = { Condition: { StringEquals: { "aws:PrincipalAccount": [LISTED, STRANGER] } } };
    const result = verdict(policy(read()), policy(read(), grant("*", mixed)));
    expect(result.outside[0]?.kind).toBe("unlisted-account");
    expect(result.outside[0]?.text).toContain(`account ${STRANGER}`);
  });

  test("a principal ARN pattern pins its account; a wildcard account pins nothing", () => {
    const team = {
      Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${LISTED}:role/team-*` } },
    };
    expect(verdict(policy(read()), policy(read(), grant("*", team))).tier).toBe("within");
    const any = { Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/team-*" } } };
    expect(kinds(policy(read()), policy(read(), grant("*", any)))).toEqual(["public *"]);
  });

  test("an account outside the list is within when its condition pins the organisation", () => {
    const pinned = { Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } };
    const after = policy(read(), grant({ AWS: STRANGER }, pinned));
    expect(verdict(policy(read()), after).tier).toBe("within");
  });

  test("a Deny guarding the organisation keeps any grant it covers within trust", () => {
    const after = policy(read(), guard, grant({ AWS: STRANGER }));
    expect(verdict(policy(read(), guard), after).tier).toBe("within");
  });

  test("removing that guard reaches outside through the grants it held back", () => {
    const open = grant("*", { Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } });
    expect(kinds(policy(read(), open, guard), policy(read(), open))).toEqual(["any-account *"]);
  });

  test("a guard that lets another organisation through guards nothing", () => {
    const guard = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { StringNotEquals: { "aws:PrincipalOrgID": [ORG, "o-zzzzzzzzzz"] } },
    };
    const after = policy(read(), guard, grant({ AWS: STRANGER }));
    expect(verdict(policy(read(), guard), after).tier).toBe("outside");
  });

  test("an unchanged grant outside trust is no widening of it", () => {
    const partner = grant({ AWS: STRANGER });
    const before = policy(read(), partner);
    const after = policy(read({ Action: ["s3:GetObject", "s3:GetObjectTagging"] }), partner);
    expect(verdict(before, after).tier).toBe("within");
  });

  test("more actions for a stranger already granted is a widening outside trust", () => {
    const before = policy(read(), grant({ AWS: STRANGER }));
    const after = policy(
      read(),
      grant({ AWS: STRANGER }, { Action: ["s3:GetObject", "s3:PutObject"] }),
    );
    expect(kinds(before, after)).toEqual([`unlisted-account arn:aws:iam::${STRANGER}:root`]);
  });

  test("a service principal needs a source condition naming a trusted account", () => {
    const service = { Service: "cloudfront.amazonaws.com" };
    expect(kinds(policy(read()), policy(read(), grant(service)))).toEqual([
      "service Service cloudfront.amazonaws.com",
    ]);
    const own = { Condition: { StringEquals: { "aws:SourceAccount": OWN } } };
    expect(verdict(policy(read()), policy(read(), grant(service, own))).tier).toBe("within");
    const arn = {
      Condition: {
        ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${STRANGER}:distribution/E1` },
      },
    };
    expect(kinds(policy(read()), policy(read(), grant(service, arn)))).toEqual([
      "unlisted-account Service cloudfront.amazonaws.com",
    ]);
  });

  test("a federated principal is public unless a condition limits it", () => {
    const idp = { Federated: "accounts.google.com" };
    expect(kinds(policy(read()), policy(read(), grant(idp)))).toEqual([
      "public Federated accounts.google.com",
    ]);
    const limited = { Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } };
    expect(kinds(policy(read()), policy(read(), grant(idp, limited)))).toEqual([
      "federated Federated accounts.google.com",
    ]);
  });

  test("a statement s3ap cannot read is never trusted", () => {
    const odd = {
      Sid: "Odd",
      Effect: "Allow",
      Principal: { AWS: ROLE },
      Action: "s3:GetObject",
      Resource: AP,
      Extra: 1,
    };
    expect(verdict(policy(read()), policy(read(), odd)).outside[0]?.kind).toBe("unreadable");
  });

  test("public comes first when a change reaches outside in several ways", () => {
    const after = policy(read(), grant({ AWS: STRANGER }), read({ Sid: "Open", Principal: "*" }));
    expect(kinds(policy(read()), after)).toEqual([
      "public *",
      `unlisted-account arn:aws:iam::${STRANGER}:root`,
    ]);
  });

  test("a narrowing or no change is within trust", () => {
    const partner = grant({ AWS: STRANGER });
    expect(verdict(policy(read(), partner), policy(read())).tier).toBe("within");
    expect(verdict(policy(read(), partner), null).tier).toBe("within");
  });

  test("a create widens by every Allow it brings", () => {
    expect(kinds(null, policy(read(), grant({ AWS: STRANGER })))).toEqual([
      `unlisted-account arn:aws:iam::${STRANGER}:root`,
    ]);
  });
});

// Cases where the statement coverage trust used before (each new statement against each old
// one) saw a widening that grants nothing new: the exact verdict's requests decide now.
describe("trust tiers follow the requests the change really allows", () => {
  const vpc = (values: string | string[], operator = "StringEquals") => ({
    Condition: { [operator]: { "aws:SourceVpc": values } },
  });
  const partner = (extra: Record<string, unknown>, sid = "Grant") =>
    grant({ AWS: STRANGER }, { Sid: sid, ...extra });

  test("a statement split in two by its condition values, or merged back, grants nothing new", () => {
    const merged = policy(read(), partner(vpc(["vpc-1", "vpc-2"])));
    const split = policy(read(), partner(vpc("vpc-1")), partner(vpc("vpc-2"), "Grant2"));
    expect(verdict(merged, split)).toEqual({ tier: "within", outside: [] });
    // No single old statement covers the merged one: the coverage called this outside trust.
    expect(verdict(split, merged)).toEqual({ tier: "within", outside: [] });
  });

  test("an operator swap that changes nothing is no widening outside trust", () => {
    const before = policy(read(), partner(vpc("vpc-1")));
    const after = policy(read(), partner(vpc("vpc-1", "StringLike")));
    expect(verdict(before, after).tier).toBe("within");
    const arn = `arn:aws:cloudfront::${STRANGER}:distribution/E1`;
    const open = (operator: string) =>
      grant("*", { Condition: { [operator]: { "aws:SourceArn": arn } } });
    expect(verdict(policy(read(), open("ArnEquals")), policy(read(), open("ArnLike"))).tier).toBe(
      "within",
    );
  });

  test("a widening for a listed account beside a restated outside grant stays within trust", () => {
    const audit = `arn:aws:iam::${LISTED}:role/audit`;
    const before = policy(read(), partner(vpc("vpc-1")), partner(vpc("vpc-2"), "Grant2"));
    const after = policy(
      read(),
      partner(vpc(["vpc-1", "vpc-2"])),
      grant({ AWS: audit }, { Sid: "Audit" }),
    );
    expect(verdict(before, after)).toEqual({ tier: "within", outside: [] });
    const swapped = policy(
      read(),
      partner(vpc("vpc-1", "StringLike")),
      grant({ AWS: audit }, { Sid: "Audit" }),
    );
    expect(verdict(policy(read(), partner(vpc("vpc-1"))), swapped).tier).toBe("within");
  });

  test("more actions that a Deny still refuses the outside principal grant nothing", () => {
    const refuse = {
      Sid: "NoWrites",
      Effect: "Deny",
      Principal: { AWS: STRANGER },
      Action: "s3:PutObject",
      Resource: "*",
    };
    const before = policy(read(), partner({}), refuse);
    const after = policy(read(), partner({ Action: ["s3:GetObject", "s3:PutObject"] }), refuse);
    expect(verdict(before, after).tier).toBe("within");
  });

  test("the outside principal named is the one a newly allowed request comes from", () => {
    const other = "123412341234";
    const before = policy(read(), partner(vpc(["vpc-1", "vpc-2"])));
    const after = policy(
      read(),
      partner(vpc("vpc-1")),
      partner(vpc("vpc-2"), "Grant2"),
      grant({ AWS: other }, { Sid: "Other" }),
    );
    expect(kinds(before, after)).toEqual([`unlisted-account arn:aws:iam::${other}:root`]);
  });
});

describe("the verdict's own requests settle trust when they all come from trusted accounts", () => {
  const reasons = (before: PolicyDocument, after: PolicyDocument) =>
    accessVerdict(before, after, verdictOptions(AP, "aws")).reasons;

  test("a widening shown only for listed accounts needs no second search", () => {
    const after = policy(read(), grant({ AWS: `arn:aws:iam::${LISTED}:role/audit` }));
    expect(witnessesWithinTrust(reasons(policy(read()), after), context())).toBe(true);
  });

  test("a request of an account not listed, or anything undecided, leaves it to the search", () => {
    const stranger = policy(read(), grant({ AWS: STRANGER }));
    expect(witnessesWithinTrust(reasons(policy(read()), stranger), context())).toBe(false);
    const listed = policy(read(), grant({ AWS: `arn:aws:iam::${LISTED}:role/audit` }));
    expect(witnessesWithinTrust(reasons(policy(read()), listed), context("none"))).toBe(false);
    const odd = policy(
      read(),
      grant({ AWS: LISTED }, { Condition: { Odd: { "aws:SourceVpc": "v" } } }),
    );
    const undecided = reasons(policy(read()), odd);
    expect(undecided.some((r) => r.text.startsWith("may widen"))).toBe(true);
    expect(witnessesWithinTrust(undecided, context())).toBe(false);
    expect(witnessesWithinTrust(undefined, context())).toBe(false);
  });
});

describe("a directory-bucket access point: trust over policy ∩ scope", () => {
  const DIRECTORY = `arn:aws:s3express:us-east-1:${OWN}:accesspoint/data--use1-az4--xa-s3`;
  const sessions = policy({
    Sid: "Partner",
    Effect: "Allow",
    Principal: { AWS: STRANGER },
    Action: "s3express:CreateSession",
    Resource: DIRECTORY,
  });
  const scoped = (before: string[], after: string[]) =>
    trustVerdict(
      sessions,
      sessions,
      context(),
      verdictOptions(DIRECTORY, "aws"),
      scopeLimits(
        { prefixes: before, permissions: [] },
        { prefixes: after, permissions: [] },
        APPLY_SIDES,
      ),
    );

  test("a wider scope lets a stranger's sessions reach more keys: outside trust, naming it", () => {
    expect(
      scoped(["logs/*"], ["logs/*", "tmp/*"]).outside.map((g) => `${g.kind} ${g.principal}`),
    ).toEqual([`unlisted-account arn:aws:iam::${STRANGER}:root`]);
  });

  test("a narrower scope, or the same policy with the same scope, stays within trust", () => {
    expect(scoped(["logs/*", "tmp/*"], ["logs/*"]).tier).toBe("within");
    expect(scoped(["logs/*"], ["logs/*"]).tier).toBe("within");
  });
});
