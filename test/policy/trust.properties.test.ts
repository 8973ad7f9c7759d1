import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PolicyDocument, TrustSettings } from "../../src/model.js";
import { accessVerdict } from "../../src/policy/access-verdict.js";
import { trustVerdict } from "../../src/policy/trust.js";
import { verdictOptions } from "../../src/reconcile/verdict-options.js";
import {
  ACCOUNT,
  AP,
  decide,
  OTHER_ACCOUNT,
  PARTNER,
  type Request,
  UNIVERSE,
} from "./support/iam-oracle.js";
import { RUNS, someOf, TIMEOUT } from "./support/property-runs.js";

// Random policy pairs and trust settings against the brute-force IAM evaluator: a change reaches
// outside trust exactly when some request the desired policy allows, and the other did not, comes
// from a principal outside the trusted accounts (and carries no aws:SourceArn of one). The
// evaluator's universe is a sample, so it can show that trust missed a grant outside, and that
// "outside" is said only where the verdict finds a widening at all.

const OPTIONS = verdictOptions(AP, "aws");
const DISTRIBUTION = `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/E1`;

const statementArb = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Deny"),
    principal: fc.oneof(
      { arbitrary: fc.constant("*" as unknown), weight: 1 },
      {
        arbitrary: someOf([`arn:aws:iam::${ACCOUNT}:role/reports`, OTHER_ACCOUNT, PARTNER]).map(
          (aws) => ({ AWS: aws }) as unknown,
        ),
        weight: 4,
      },
      { arbitrary: fc.constant({ Service: "cloudfront.amazonaws.com" } as unknown), weight: 1 },
    ),
    actions: someOf(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:*"]),
    resources: someOf([AP, `${AP}/object/*`, `${AP}/object/in/*`], 2),
    condition: fc.option(
      fc.constantFrom(
        { StringEquals: { "aws:SourceVpc": "vpc-1" } },
        { StringLike: { "aws:SourceVpc": ["vpc-1", "vpc-2"] } },
        { ArnLike: { "aws:SourceArn": DISTRIBUTION } },
        { ArnEquals: { "aws:PrincipalArn": PARTNER } },
      ),
      { freq: 2 },
    ),
  })
  .map((r) => ({
    Effect: r.effect,
    Principal: r.principal,
    Action: r.actions,
    Resource: r.resources,
    ...(r.condition !== null ? { Condition: r.condition } : {}),
  }));

const policyArb: fc.Arbitrary<PolicyDocument | null> = fc.option(
  fc
    .array(statementArb, { minLength: 1, maxLength: 3 })
    .map((Statement) => ({ Version: "2012-10-17", Statement })),
  { freq: 6 },
);

const trustArb: fc.Arbitrary<TrustSettings | undefined> = fc.constantFrom(undefined, {
  accounts: [OTHER_ACCOUNT],
});

function trusted(r: Request, settings: TrustSettings | undefined): boolean {
  const accounts = new Set([ACCOUNT, ...(settings?.accounts ?? [])]);
  const source = r.context["aws:sourcearn"];
  const sourceAccount = typeof source === "string" ? source.split(":")[4] : undefined;
  return (
    (r.caller.account !== undefined && accounts.has(r.caller.account)) ||
    (sourceAccount !== undefined && accounts.has(sourceAccount))
  );
}

/** A request newly allowed from outside trust, if the evaluator's universe holds one. */
function outsideGrant(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  settings: TrustSettings | undefined,
): Request | undefined {
  return UNIVERSE.find(
    (r) => decide(after, r) === 1 && decide(before, r) !== 1 && !trusted(r, settings),
  );
}

describe("trust tiers against a brute-force IAM evaluator", () => {
  test(
    "every grant outside trust is found, and outside is said only of a widening",
    TIMEOUT,
    () => {
      const seen = { outside: 0, within: 0 };
      fc.assert(
        fc.property(policyArb, policyArb, trustArb, (before, after, settings) => {
          const verdict = trustVerdict(
            before,
            after,
            { trust: settings, accountId: ACCOUNT, partition: "aws" },
            OPTIONS,
          );
          const context = JSON.stringify({ before, after, settings, verdict }, null, 1);
          const missed = outsideGrant(before, after, settings);
          if (missed !== undefined) {
            expect(verdict.tier, `missed ${JSON.stringify(missed)}\n${context}`).toBe("outside");
          }
          if (verdict.tier === "outside") {
            const access = accessVerdict(before, after, OPTIONS).access;
            expect(["widens", "mixed"], context).toContain(access);
            expect(
              verdict.outside.filter((g) => g.kind === "unreadable"),
              `undecided\n${context}`,
            ).toEqual([]);
          }
          seen[verdict.tier]++;
        }),
        RUNS,
      );
      expect(seen.outside).toBeGreaterThan(RUNS.numRuns / 10);
      expect(seen.within).toBeGreaterThan(RUNS.numRuns / 10);
    },
  );
});
