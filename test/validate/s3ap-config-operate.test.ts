// s3ap.yaml trust, exceptions, remediate and paused: checked at file:line:col, dates against an
// injected clock.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkS3apConfig } from "../../src/validate/check-s3ap-config.js";
import { configDateProblems, daysLeft, isPaused } from "../../src/validate/config-dates.js";

const check = (text: string) => checkS3apConfig(text, "s3ap.yaml");
const at = (text: string) =>
  check(text).problems.map((p) => `${p.line}:${p.col}: ${p.message} [${p.rule}]`);
const lines = (...l: string[]) => `${l.join("\n")}\n`;
const day = (date: string) => Date.parse(`${date}T12:00:00Z`);

const EXCEPTION = [
  "exceptions:",
  "  - id: legacy-partner",
  '    accessPoints: "111122223333/us-east-1/partner-*"',
  "    sid: PartnerRead",
  "    owner: team-data",
  "    reason: the partner moves to the new role in March",
  "    ticket: SEC-123",
  "    expires: 2026-03-31",
];

describe("s3ap.yaml trust, exceptions, remediate and paused", () => {
  test("a full file gives plain settings with the positions of its dates", () => {
    const { config, problems } = check(
      lines(
        "trust:",
        "  organizationId: o-a1b2c3d4e5",
        '  accounts: ["444455556666"]',
        ...EXCEPTION,
        "remediate: { widening: revert }",
        "paused: { reason: INC-42 rollout, until: 2026-01-10 }",
      ),
    );
    expect(problems).toEqual([]);
    expect(config?.trust).toEqual({ organizationId: "o-a1b2c3d4e5", accounts: ["444455556666"] });
    expect(config?.exceptions).toEqual([
      {
        id: "legacy-partner",
        accessPoints: "111122223333/us-east-1/partner-*",
        sid: "PartnerRead",
        owner: "team-data",
        reason: "the partner moves to the new role in March",
        ticket: "SEC-123",
        expires: "2026-03-31",
        position: { line: 5, col: 5 },
        expiresPosition: { line: 11, col: 14 },
      },
    ]);
    expect(config?.remediate).toEqual({ widening: "revert", narrowing: "report" });
    expect(config?.paused).toEqual({
      reason: "INC-42 rollout",
      until: "2026-01-10",
      untilPosition: { line: 13, col: 42 },
    });
  });

  test("a missing owner, a bad date and an unknown key are named at their place", () => {
    expect(
      at(
        lines(
          "exceptions:",
          "  - id: a",
          "    accessPoints: x",
          "    reason: r",
          "    expires: 31/03/2026",
          "    onwer: me",
        ),
      ),
    ).toEqual([
      "2:5: exceptions[0] has no owner; an exception needs id, accessPoints, owner, reason and expires (YYYY-MM-DD) [missing-key]",
      '5:14: exceptions[0].expires "31/03/2026" is not a date; write YYYY-MM-DD, e.g. 2026-03-31 [date]',
      '6:5: unknown key "onwer" in exceptions[0]; did you mean "owner"? allowed: id, accessPoints, sid, rule, owner, reason, ticket, expires [unknown-key]',
    ]);
  });

  test("every problem comes in one pass: the content of the parts the schema passed is checked too", () => {
    expect(
      at(
        lines(
          "trsut:",
          "  accounts: []",
          "exceptions:",
          "  - id: broken",
          "    accessPoints: x",
          "    reason: r",
          "    expires: 2027-01-01",
          "  - id: late",
          '    accessPoints: "ab\\\\"',
          "    owner: o",
          "    reason: r",
          "    expires: 2026-02-30",
          "paused:",
          "  reason: r",
          "  until: 2026-13-01",
        ),
      ),
    ).toEqual(
      [
        'unknown key "trsut" in s3ap.yaml; did you mean "trust"? allowed: roleArn, externalId, accounts, trust, exceptions, remediate, paused [unknown-key]',
        "exceptions[0] has no owner; an exception needs id, accessPoints, owner, reason and expires (YYYY-MM-DD) [missing-key]",
        'exceptions[1].accessPoints ends with a lone "\\", which escapes nothing: remove it, or write "\\\\" to match a backslash [exception]',
        'exceptions[1].expires "2026-02-30" is not a day of the calendar; write a real date YYYY-MM-DD [date]',
        'paused.until "2026-13-01" is not a day of the calendar; write a real date YYYY-MM-DD [date]',
      ].map((m, i) => `${["1:1", "4:5", "9:19", "12:14", "15:10"][i]}: ${m}`),
    );
  });

  test("a date that is not on the calendar, a reused id and a broken glob are errors", () => {
    const entry = (id: string, glob: string, expires: string) => [
      `  - id: ${id}`,
      `    accessPoints: "${glob}"`,
      "    owner: o",
      "    reason: r",
      `    expires: ${expires}`,
    ];
    expect(
      at(
        lines(
          "exceptions:",
          ...entry("a", "x", "2026-02-30"),
          ...entry("a", "ab\\\\", "2026-01-01"),
        ),
      ),
    ).toEqual([
      '6:14: exceptions[0].expires "2026-02-30" is not a day of the calendar; write a real date YYYY-MM-DD [date]',
      '7:9: exception id "a" is already used by exceptions[0]; give each exception its own id [exception]',
      '8:19: exceptions[1].accessPoints ends with a lone "\\", which escapes nothing: remove it, or write "\\\\" to match a backslash [exception]',
    ]);
  });

  test("a public grant can never be excepted, and only rules that warn can be", () => {
    const withRule = (rule: string) =>
      at(
        lines(
          "exceptions:",
          "  - { id: a, accessPoints: x, owner: o, reason: r, expires: 2026-01-01, rule: " +
            rule +
            " }",
        ),
      );
    expect(withRule("public")[0]).toMatch(/a public grant can never be excepted.*\[exception\]$/);
    expect(withRule("schema")[0]).toContain('rule "schema" never warns');
    expect(withRule("condition-key")).toEqual([]);
  });

  test("trust and remediate values are checked with what to write", () => {
    expect(at(lines('trust: { organizationId: org-1, accounts: [444455556666, "12"] }'))).toEqual([
      '1:26: trust.organizationId "org-1" is not an AWS Organizations id such as o-a1b2c3d4e5 (aws:PrincipalOrgID) [trust]',
      "1:44: trust.accounts[0] must be a string; 444455556666 was read as a number: quote it [type]",
      '1:58: trust.accounts entries are 12-digit account ids in quotes, got "12" [account-id]',
    ]);
    expect(at(lines("remediate: { widening: fix }"))).toEqual([
      '1:24: remediate.widening must be revert or report, got "fix" [remediate]',
    ]);
    expect(at(lines("paused: { reason: x }"))).toEqual([
      "1:9: paused has no until; a pause needs a reason and the date it ends (until: YYYY-MM-DD) [missing-key]",
    ]);
  });
  test("a misspelt key is named with the key it most probably meant; one near none is not", () => {
    expect(at(lines("paused: { reason: INC-42, untill: 2026-01-10 }"))).toEqual([
      "1:9: paused has no until; a pause needs a reason and the date it ends (until: YYYY-MM-DD) [missing-key]",
      '1:27: unknown key "untill" in paused; did you mean "until"? allowed: reason, until [unknown-key]',
    ]);
    expect(at(lines("remediate: { widenning: revert, colour: red }"))).toEqual([
      '1:14: unknown key "widenning" in remediate; did you mean "widening"? allowed: widening, narrowing [unknown-key]',
      '1:33: unknown key "colour" in remediate; allowed: widening, narrowing [unknown-key]',
    ]);
  });
});

describe("s3ap.yaml dates against the clock", () => {
  const config = (expires: string) => {
    const parsed = check(lines(...EXCEPTION.slice(0, -1), `    expires: ${expires}`)).config;
    if (parsed === null) throw new Error("fixture must be valid");
    return parsed;
  };

  test("an exception holds through its date and expires the day after, naming its owner", () => {
    expect(configDateProblems(config("2026-03-31"), day("2026-03-01"))).toEqual([]);
    expect(configDateProblems(config("2026-03-31"), day("2026-03-31"))[0]?.severity).toBe(
      "warning",
    );
    expect(configDateProblems(config("2026-03-31"), day("2026-04-01"))).toEqual([
      {
        file: "s3ap.yaml",
        line: 8,
        col: 14,
        severity: "error",
        rule: "exception-expired",
        message:
          'exception "legacy-partner" of team-data (SEC-123) expired on 2026-03-31, so it no longer excuses drift in statements "PartnerRead" of 111122223333/us-east-1/partner-*; team-data: renew it with a later expires if it still holds, or remove it and fix what it excused',
      },
    ]);
  });

  test("within 14 days it warns, saying how many days are left", () => {
    expect(configDateProblems(config("2026-03-31"), day("2026-03-16"))).toEqual([]);
    const [warning] = configDateProblems(config("2026-03-31"), day("2026-03-17"));
    expect(warning?.severity).toBe("warning");
    expect(warning?.rule).toBe("exception-expiring");
    expect(warning?.message).toContain("expires on 2026-03-31, in 14 days");
  });

  test("in a file with problems, every exception and pause without a problem of its own is still dated", () => {
    const entry = (id: string, expires: string) =>
      `  - { id: ${id}, accessPoints: x, owner: o, reason: r, expires: ${expires} }`;
    const { config, problems, dated } = check(
      lines(
        "exceptions:",
        entry("old", "2026-01-31"),
        entry("old", "2026-01-31"),
        entry("bad-day", "2026-02-30"),
        "  - { id: no-owner, accessPoints: x, reason: r, expires: 2026-01-31 }",
        "paused: { reason: INC-42, until: 2026-01-10 }",
        "remediate: { widening: revrt }",
      ),
    );
    expect(config).toBeNull();
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 7]);
    expect(dated.exceptions?.map((e) => [e.id, e.expiresPosition])).toEqual([
      ["old", { line: 2, col: 63 }],
    ]);
    expect(configDateProblems(dated, day("2026-02-01")).map((p) => [p.line, p.rule])).toEqual([
      [2, "exception-expired"],
      [6, "paused"],
    ]);
    expect(check(lines("paused: { reason: INC-42, until: 2026-02-30 }")).dated).toEqual({});
  });

  test("a pause holds through its date, then warns that runs write again", () => {
    const paused = check(lines("paused: { reason: INC-42, until: 2026-01-10 }")).config;
    expect(isPaused(paused, day("2026-01-10"))).toBe(true);
    expect(isPaused(paused, day("2026-01-11"))).toBe(false);
    expect(configDateProblems(paused, day("2026-01-11"))[0]?.message).toContain(
      'the pause ended on 2026-01-10 ("INC-42"), so runs write again',
    );
    expect(daysLeft("2026-01-10", Date.parse("2026-01-10T23:59:59Z"))).toBe(0);
  });
});

describe("the README's s3ap.yaml example", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
  const example =
    /```yaml\n(# yaml-language-server: \$schema=schemas\/s3ap-config[\s\S]*?)```/.exec(readme)?.[1];

  test("is a valid s3ap.yaml, with the paused line it shows commented out too", () => {
    expect(example).toContain("remediate:");
    for (const text of [example ?? "", (example ?? "").replace("# paused:", "paused:")]) {
      const { config, problems } = check(text);
      expect(problems).toEqual([]);
      expect(configDateProblems(config, day("2026-03-01"))).toEqual([]);
    }
    const { config } = check(example ?? "");
    expect(config?.trust?.accounts).toEqual(["444455556666", "777788889999"]);
    expect(config?.exceptions?.map((e) => [e.id, e.rule])).toEqual([
      ["partner-trial", undefined],
      ["shared-sid", "sid"],
    ]);
    expect(config?.remediate).toEqual({ widening: "revert", narrowing: "report" });
  });
});
