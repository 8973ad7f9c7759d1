// The PR comment, job summary and text plan with s3ap.yaml's rules: a change that reaches outside
// trust stands out with its own badge and names the principal; excepted drift says so; a pause
// and exceptions that end soon are said before the changes; who made a drift is shown with it.
import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { DesiredAccessPoint, LiveState, PolicyDocument } from "../../src/model.js";
import { governPlan } from "../../src/reconcile/govern.js";
import { withBase } from "../../src/reconcile/origin.js";
import { plan } from "../../src/reconcile/plan.js";
import type { Plan } from "../../src/reconcile/types.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { desiredAp } from "../support/desired.js";
import { policyException } from "../support/policy-exception.js";
import { renderMarkdown, visibleText } from "./sinks/render-markdown.js";

const HEAD = "1234567890abcdef1234567890abcdef12345678";
const BASE = "fedcba0987654321fedcba0987654321fedcba09";
const NOW = Date.parse("2026-03-25T12:00:00Z");

function policy(ap: DesiredAccessPoint, principals: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: principals.map((principal, i) => ({
      Sid: i === 0 ? "Read" : `Extra${i}`,
      Effect: "Allow",
      Principal: principal === "*" ? "*" : { AWS: principal },
      Action: "s3:GetObject",
      Resource: `${ap.arn}/object/*`,
    })),
  };
}
const ROLE = "arn:aws:iam::111122223333:role/reports";
const state = (doc: PolicyDocument): LiveState => ({ kind: "policy", policy: doc });

const exception = policyException({
  id: "audit-read",
  accessPoints: "audit-ap",
  owner: "team-audit",
  reason: "auditors read until the review",
  ticket: "SEC-9",
});

/**
 * A pull request granting a stranger on share-ap; audit-ap has excepted drift within trust; a
 * pause holds. Other grantees make the change or the drift another one.
 */
function governedPlan(
  grantee = "arn:aws:iam::999988887777:root",
  liveGrantee = "arn:aws:iam::444455556666:role/audit",
  paused = true,
  auditHead: string[] = [ROLE],
): Plan {
  const share = desiredAp("share-ap");
  const audit = desiredAp("audit-ap");
  const head = [
    { ...share, policy: policy(share, [ROLE, grantee]) },
    { ...audit, policy: policy(audit, auditHead) },
  ];
  const base = [
    { ...share, policy: policy(share, [ROLE]) },
    { ...audit, policy: policy(audit, [ROLE]) },
  ];
  const live = new Map<string, LiveState>([
    [accessPointKey(share), state(policy(share, [ROLE]))],
    [accessPointKey(audit), state(policy(audit, [ROLE, liveGrantee]))],
  ]);
  const classified = withBase(plan(head, live, HEAD), head, {
    ref: BASE,
    commit: BASE,
    desired: base,
    invalidFiles: new Set(),
    warnings: [],
  });
  const baseByKey = new Map(base.map((ap) => [accessPointKey(ap), ap.policy]));
  return governPlan(
    classified,
    (c) =>
      c.origin === undefined
        ? undefined
        : {
            origin: c.origin,
            base: baseByKey.get(accessPointKey(c)) ?? null,
            ...(c.driftAccess !== undefined ? { driftAccess: c.driftAccess } : {}),
          },
    {
      now: NOW,
      config: {
        accounts: {},
        trust: { organizationId: "o-a1b2c3d4e5", accounts: ["444455556666"] },
        exceptions: [exception],
        ...(paused
          ? {
              paused: {
                reason: "INC-7 rollback",
                until: "2026-03-26",
                untilPosition: { line: 1, col: 1 },
              },
            }
          : {}),
      },
    },
  );
}

describe("reports with trust, exceptions, a pause and exceptions ending soon", () => {
  test("the PR comment puts outside trust in the title and names the principal first", () => {
    const markdown = renderPlanMarkdown(governedPlan(), { changeOf: "pull request" });
    const html = renderMarkdown(markdown);
    const shown = visibleText(html);
    expect(markdown.split("\n")[0]).toContain("· 🚨 **outside trust**");
    expect(shown).toContain("🚨 outside trust: 1 grant reaches outside the trust of s3ap.yaml:");
    expect(shown).toContain(
      '111122223333/us-east-1/share-ap: statement "Extra1" grants arn:aws:iam::999988887777:root: account 999988887777; it is not listed in trust.accounts',
    );
    expect(shown).toContain(
      "⏸️ Paused until 2026-03-26 (INC-7 rollback): every run reports only; apply writes nothing.",
    );
    expect(shown).toContain(
      "⚠️ s3ap.yaml exception audit-read of team-audit expires on 2026-03-31 (in 6 days): then it excuses nothing and every run fails until it is renewed or removed.",
    );
    expect(shown).toContain("excepted by audit-read until 2026-03-31");
    expect(shown).toContain("never written: excepted by audit-read until 2026-03-31");
  });

  test("the title's badge is the pull request's own; public drift it did not make is badged in its section", () => {
    const markdown = renderPlanMarkdown(governedPlan("arn:aws:iam::444455556666:role/audit", "*"), {
      changeOf: "pull request",
    });
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("## s3ap plan · this pull request ⚠️ **widens access**");
    expect(lines.find((l) => l.startsWith("### ⚠️ Drift already in live"))).toBe(
      "### ⚠️ Drift already in live: live widens access on 1 access point · 🚨 **public**",
    );
    const shown = visibleText(renderMarkdown(markdown));
    expect(shown).toContain("🚨 public: 1 grant reaches outside the trust of s3ap.yaml:");
    expect(shown).toContain(
      'The s3ap.yaml exception "audit-read" of team-audit does not hold: live statement "Extra1" grants *: public as Amazon S3 defines it',
    );
  });

  test("the grants outside trust list the pull request's own before the drift's", () => {
    const markdown = renderPlanMarkdown(governedPlan(undefined, "*"), {
      changeOf: "pull request",
    });
    const grants = markdown.split("\n").filter((l) => l.startsWith("> - "));
    expect(
      grants.map((l) => /us-east-1\/([\w-]+)<\/code>( \(live\))?/.exec(l)?.slice(1, 3)),
    ).toEqual([
      ["share-ap", undefined],
      ["audit-ap", " (live)"],
    ]);
    expect(markdown.split("\n")[0]).toContain("· 🚨 **outside trust**");
  });

  test("what apply will do leaves out what a pause or apply --remediate holds back, and says why", () => {
    const row = (markdown: string, name: string) =>
      markdown.split("\n").find((l) => l.includes(`<code>${name}</code>`) && l.startsWith("| ~"));
    const paused = renderPlanMarkdown(governedPlan(), { changeOf: "pull request" });
    expect(row(paused, "share-ap")).toContain("| not written: paused until 2026-03-26 |");
    expect(paused).not.toContain("> ⚠️ **widens access** on");

    const running = governedPlan(undefined, "arn:aws:iam::999988887777:root", false);
    const plain = renderPlanMarkdown(running);
    expect(row(plain, "share-ap")).toContain("| ⚠️ **widens access** |");
    expect(row(plain, "audit-ap")).toContain("| narrows access |");
    const remediating = renderPlanMarkdown(running, { remediate: true });
    expect(row(remediating, "share-ap")).toContain(
      "| not written: remediation reverts drift only |",
    );
    expect(row(remediating, "audit-ap")).toContain("| not written: remediate.widening: report |");
    expect(remediating).not.toContain("> ⚠️ **widens access** on");
  });

  test("the text plan says the same, line by line", () => {
    const text = renderPlanText(governedPlan(), { color: false });
    expect(text).toContain(
      '    trust:  outside trust: statement "Extra1" grants arn:aws:iam::999988887777:root: account 999988887777; it is not listed in trust.accounts',
    );
    expect(text).toContain(
      '    except: excepted by s3ap.yaml exception "audit-read" of team-audit until 2026-03-31 (auditors read until the review, SEC-9): reported, never written',
    );
    expect(text).toContain("1 of them excepted in s3ap.yaml: reported, never written, no issue.");
    expect(text).toContain(
      "Outside trust (s3ap.yaml) on 1 access point: 111122223333/us-east-1/share-ap.",
    );
    expect(text).toContain(
      "Paused until 2026-03-26 (INC-7 rollback): every run reports only; apply writes nothing.",
    );
    expect(text).toContain(
      's3ap.yaml exception "audit-read" of team-audit expires on 2026-03-31 (in 6 days).',
    );
  });
});

describe("a pull request that edits the file of an access point with excepted drift", () => {
  // audit-ap's live drift (an audit role) is excepted; the pull request edits audit-ap's file.
  const edited = () =>
    governedPlan(undefined, undefined, false, [ROLE, "arn:aws:iam::111122223333:role/writer"]);
  const audit = (p: Plan) => p.changes.find((c) => c.name === "audit-ap");

  test("the plan carries the exception as overridden: merging writes over the drift", () => {
    const change = audit(edited());
    expect(change).toMatchObject({ origin: "change+drift", action: "update" });
    expect(change?.exception).toMatchObject({
      id: "audit-read",
      owner: "team-audit",
      status: "overridden",
      because: "the file changes too, and an exception excuses drift alone",
    });
    expect(change?.remediation?.rule).not.toBe("exception");
    expect(edited().summary.excepted).toBeUndefined();
    // Without the pull request's edit the same drift stays excepted.
    expect(audit(governedPlan(undefined, undefined, false))?.exception?.status).toBe("excepted");
  });

  test("the PR comment says it next to the change, and in the drift's details", () => {
    const markdown = renderPlanMarkdown(edited(), { changeOf: "pull request" });
    const row = markdown
      .split("\n")
      .find((l) => l.startsWith("| <code>111122223333/us-east-1/audit-ap</code>"));
    expect(visibleText(renderMarkdown(row ?? ""))).toContain(
      '⚠️ Merging writes over drift excepted by s3ap.yaml exception "audit-read" of team-audit: the file changes too, and an exception excuses drift alone',
    );
    const shown = visibleText(renderMarkdown(markdown));
    expect(shown).toContain("excepted by audit-read, but merging writes over it");
    expect(shown).not.toContain("never written: excepted by audit-read");
    const plain = renderPlanMarkdown(edited());
    expect(plain).toContain("⚠️ Apply writes over drift excepted by s3ap.yaml exception");
  });

  test("the text plan says it on the change's except: line", () => {
    const text = renderPlanText(edited(), { color: false });
    expect(text).toContain(
      '    except: apply writes over drift excepted by s3ap.yaml exception "audit-read" of team-audit: the file changes too, and an exception excuses drift alone',
    );
    expect(text).not.toContain("excepted in s3ap.yaml: reported, never written");
  });
});
