// Whether a widening stays within the zone of trust (s3ap.yaml `trust`) or reaches outside it —
// public, another organisation, an account not listed, an AWS service or identity provider acting
// for anyone — and which principal does it. Offline and pure, like the access verdict.
//
// Who gains access: every principal of a desired Allow statement that some request of it was not
// allowed before (statement coverage, as in access-verdict.ts), and every principal of a desired
// Allow that a lifted Deny no longer holds back. Each is then placed:
// - within trust: a principal of the access point's own account or of a listed account; or any
//   principal the statement's Condition pins to the organisation or to trusted accounts
//   (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn; for
//   services aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID, aws:SourceOrgPaths,
//   aws:SourceArn); or one a Deny of the same policy refuses unless it is such a principal (the
//   usual "Deny everyone outside the organisation" guard);
// - outside trust otherwise, most severe first: public (as Amazon S3 defines it), any principal
//   of any account under a network or resource condition, another organisation, an account not
//   listed, an AWS service acting for any account, an outside identity provider, and a statement
//   s3ap cannot read (it cannot say whom that grants, so it never calls it trusted).
// IAM compares condition keys case-insensitively and organisation ids are lower case; values are
// compared as IAM's positive operators do, and a wildcard never pins anything.
import { ACCOUNT_ID_PATTERN, isAccountId } from "../access-point/account-id.js";
import type { PolicyDocument, TrustSettings } from "../model.js";
import { statementEntries, statementList } from "./canonicalize.js";
import { patternCovers, patternsDisjoint } from "./patterns.js";
import { LIMITING_OPERATOR, limitingCondition, publicPrincipal } from "./public-statement.js";
import {
  type Dimension,
  EVERYONE,
  isUnderstood,
  type ParsedStatement,
  parseStatement,
  uncoveredAtoms,
} from "./statement-cover.js";
import { isPlainObject } from "./structural.js";

export type OutsideKind =
  | "public"
  | "any-account"
  | "other-organization"
  | "unlisted-account"
  | "service"
  | "federated"
  | "unreadable";

/** One grant that reaches outside trust. */
export interface OutsideGrant {
  kind: OutsideKind;
  /** The principal as the policy names it: `*`, an ARN, `Service x`, `all but …`. */
  principal: string;
  /** The desired statement that grants it: `statement "Sid"` or `statement N`. */
  statement: string;
  text: string;
}

export type TrustTier = "within" | "outside";

export interface TrustVerdict {
  tier: TrustTier;
  /** Every grant outside trust, most severe first; empty when `tier` is within. */
  outside: OutsideGrant[];
}

export interface TrustContext {
  /** s3ap.yaml `trust`; undefined: only the access point's own account is trusted. */
  trust: TrustSettings | undefined;
  /** The account that owns the access point: always trusted. */
  accountId: string;
  partition: string;
}

const SEVERITY: Record<OutsideKind, number> = {
  public: 0,
  "any-account": 1,
  "other-organization": 2,
  "unlisted-account": 3,
  service: 4,
  federated: 5,
  unreadable: 6,
};

/** Where a widening from `before` to `after` (null: no policy) reaches, as far as trust goes. */
export function trustVerdict(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  context: TrustContext,
): TrustVerdict {
  const zone = new Zone(context);
  const b = parsed(before, context.partition) ?? [];
  const a = parsed(after, context.partition);
  if (a === null) {
    const grant = unreadable("the desired Statement is not a list of statements", "policy");
    return { tier: "outside", outside: [grant] };
  }
  const guards = a.filter((s) => s.effect === "Deny" && zone.isGuard(s));
  const found = new Map<string, OutsideGrant>();
  const place = (s: ParsedStatement, principal: Dimension) => {
    const grant = zone.classify(s, principal, guards);
    if (grant !== null)
      found.set(`${grant.kind}\u0000${grant.principal}\u0000${grant.statement}`, grant);
  };
  for (const gain of gains(b, a)) place(gain.statement, gain.principal);
  const outside = [...found.values()].sort((x, y) => SEVERITY[x.kind] - SEVERITY[y.kind]);
  return { tier: outside.length > 0 ? "outside" : "within", outside };
}

function parsed(policy: PolicyDocument | null, partition: string): ParsedStatement[] | null {
  if (policy === null) return [];
  const list = statementList(policy);
  return list === null ? null : statementEntries(list, partition).map(parseStatement);
}

/** A statement IAM could read as an Allow (an unreadable Effect could be one). */
const mayAllow = (s: ParsedStatement) => s.effect !== "Deny";
const mayDeny = (s: ParsedStatement) => s.effect !== "Allow";

function principalAtoms(d: Dimension): Dimension[] {
  return d.kind === "in" ? d.values.map((value) => ({ kind: "in", values: [value] })) : [d];
}

interface Gain {
  statement: ParsedStatement;
  principal: Dimension;
}

/** The principals that `after` lets do something `before` did not, with their statements. */
function gains(before: ParsedStatement[], after: ParsedStatement[]): Gain[] {
  const out: Gain[] = [];
  const allowsBefore = before.filter((s) => s.effect === "Allow");
  for (const s of after.filter(mayAllow)) {
    if (allowsBefore.some((o) => o.entry.json === s.entry.json)) continue;
    if (s.principal === null || !isUnderstood(s)) {
      out.push({ statement: s, principal: { kind: "in", values: [] } });
      continue;
    }
    for (const principal of principalAtoms(s.principal)) {
      if (uncoveredAtoms({ ...s, principal }, allowsBefore, 1).length > 0) {
        out.push({ statement: s, principal });
      }
    }
  }
  // A Deny that no longer holds lets through whatever desired Allow it used to stop.
  const denialsAfter = after.filter((s) => s.effect === "Deny");
  for (const d of before.filter(mayDeny)) {
    if (denialsAfter.some((o) => o.entry.json === d.entry.json)) continue;
    for (const lifted of uncoveredAtoms(d, denialsAfter, 50)) {
      for (const s of after.filter(mayAllow)) {
        if (!overlaps(lifted.action, s.action) || !overlaps(lifted.resource, s.resource)) continue;
        if (s.principal === null) {
          out.push({ statement: s, principal: { kind: "in", values: [] } });
          continue;
        }
        for (const principal of principalAtoms(s.principal)) {
          if (principalsMeet(lifted.principal, principal)) out.push({ statement: s, principal });
        }
      }
    }
  }
  return out;
}

/** Whether two dimensions may match a value in common (unsure: yes). */
function overlaps(x: Dimension | null, y: Dimension | null): boolean {
  if (x === null || y === null || x.kind === "notIn" || y.kind === "notIn") return true;
  return x.values.some((v) => y.values.some((w) => !patternsDisjoint(v, w)));
}

function principalsMeet(lifted: Dimension | null, granted: Dimension): boolean {
  if (lifted === null || lifted.kind === "notIn" || granted.kind === "notIn") return true;
  if (lifted.values.includes(EVERYONE)) return true;
  return granted.values.some((v) => v === EVERYONE || lifted.values.includes(v));
}

type Pin =
  | { kind: "within" }
  | { kind: "other-organization"; value: string }
  | { kind: "unlisted-account"; value: string };

const PRINCIPAL_ORG_KEYS = ["aws:principalorgid", "aws:principalorgpaths"];
const SOURCE_ORG_KEYS = ["aws:sourceorgid", "aws:sourceorgpaths"];
const PRINCIPAL_ACCOUNT_KEYS = ["aws:principalaccount", "aws:principalarn"];
const SOURCE_ACCOUNT_KEYS = ["aws:sourceaccount", "aws:sourceowner", "aws:sourcearn"];
const NEGATED_STRING =
  /^(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)(IfExists)?$/;
const ACCOUNT_IN_ARN = new RegExp(`^arn:[^:]*:[^:]*:[^:]*:(${ACCOUNT_ID_PATTERN}):`);

class Zone {
  private readonly accounts: Set<string>;
  private readonly organizationId: string | undefined;

  constructor(private readonly context: TrustContext) {
    this.accounts = new Set([context.accountId, ...(context.trust?.accounts ?? [])]);
    this.organizationId = context.trust?.organizationId?.toLowerCase();
  }

  private accountsText(): string {
    return this.context.trust === undefined
      ? "only the access point's own account is trusted (s3ap.yaml has no trust)"
      : "it is not listed in trust.accounts";
  }

  /** Where one value of a principal- or source-limiting key puts a request. */
  private placeValue(key: string, value: string): Pin | null {
    const lower = value.toLowerCase();
    // An organisation path names its organisation first (o-abc/r-root/ou-…/): a wildcard after
    // that still keeps it within the organisation.
    const paths = key.endsWith("orgpaths");
    if (paths || key.endsWith("orgid")) {
      const org = paths ? lower.slice(0, Math.max(0, lower.indexOf("/"))) : lower;
      if (org === "" || /[*?]/.test(org) || org.includes("${")) return null;
      return org === this.organizationId
        ? { kind: "within" }
        : { kind: "other-organization", value: org };
    }
    // A bare account id, or an ARN whose account is fixed (a wildcard after it still pins it).
    const account = isAccountId(value) ? value : ACCOUNT_IN_ARN.exec(value)?.[1];
    if (account === undefined) return null;
    return this.accounts.has(account)
      ? { kind: "within" }
      : { kind: "unlisted-account", value: account };
  }

  /** What a statement's Condition requires of who makes the request (conditions are ANDed). */
  private conditionPin(s: ParsedStatement, keys: readonly string[]): Pin | null {
    let outside: Pin | null = null;
    for (const [operator, block] of s.condition ?? []) {
      if (!LIMITING_OPERATOR.test(operator) || operator.endsWith("IpAddress")) continue;
      for (const [key, values] of block) {
        const lower = key.toLowerCase();
        if (!keys.includes(lower) || values.length === 0) continue;
        const pins = values.map((v) => this.placeValue(lower, v));
        if (pins.every((p) => p?.kind === "within")) return { kind: "within" };
        outside ??= pins.find((p) => p !== null && p.kind !== "within") ?? null;
      }
    }
    return outside;
  }

  /**
   * A Deny for everyone whose Condition only says "unless the principal is within trust": every
   * principal it does not refuse is one of ours.
   */
  isGuard(s: ParsedStatement): boolean {
    if (!isUnderstood(s) || s.principal?.kind !== "in") return false;
    if (!s.principal.values.includes(EVERYONE)) return false;
    const keys = [...PRINCIPAL_ORG_KEYS, ...PRINCIPAL_ACCOUNT_KEYS];
    for (const [operator, block] of s.condition ?? []) {
      if (!NEGATED_STRING.test(operator)) return false;
      for (const [key, values] of block) {
        const lower = key.toLowerCase();
        if (!keys.includes(lower) || values.length === 0) return false;
        if (!values.every((v) => this.placeValue(lower, v)?.kind === "within")) return false;
      }
    }
    return true;
  }

  /** The grant of `principal` by `s`, placed; null when it stays within trust. */
  classify(
    s: ParsedStatement,
    principal: Dimension,
    guards: ParsedStatement[],
  ): OutsideGrant | null {
    const statement = label(s);
    if (!isUnderstood(s) || (principal.values.length === 0 && principal.kind === "in")) {
      return unreadable(
        `${statement} cannot be read, so s3ap cannot tell whom it grants`,
        statement,
      );
    }
    if (guards.some((g) => covers(g.action, s.action) && covers(g.resource, s.resource))) {
      return null;
    }
    const value = principal.kind === "in" ? (principal.values[0] as string) : null;
    const [type, name = ""] = value === null ? ["AWS", ""] : value.split("\u0000");
    const shown =
      value === null
        ? `all but ${principal.values.map(principalText).join(", ")}`
        : principalText(value);
    const outside = (kind: OutsideKind, text: string): OutsideGrant => ({
      kind,
      principal: shown,
      statement,
      text: `${statement} grants ${text}`,
    });
    const byPrincipal = this.conditionPin(s, [...PRINCIPAL_ORG_KEYS, ...PRINCIPAL_ACCOUNT_KEYS]);
    if (byPrincipal?.kind === "within") return null;
    const pinOutside = (pin: Pin | null): OutsideGrant | null =>
      pin?.kind === "other-organization"
        ? outside(
            "other-organization",
            `${shown} in organisation ${pin.value}${this.organizationId !== undefined ? `, not ${this.organizationId}` : " (s3ap.yaml trust names no organizationId)"}`,
          )
        : pin?.kind === "unlisted-account"
          ? outside("unlisted-account", `${shown} of account ${pin.value}; ${this.accountsText()}`)
          : null;

    if (type === "AWS" && (value === null || value === EVERYONE)) {
      const bySource = this.conditionPin(s, [...SOURCE_ORG_KEYS, ...SOURCE_ACCOUNT_KEYS]);
      if (bySource?.kind === "within") return null;
      const pinned = pinOutside(byPrincipal) ?? pinOutside(bySource);
      if (pinned !== null) return pinned;
      const canonical = isPlainObject(s.entry.canonical) ? s.entry.canonical : {};
      const open = publicPrincipal(canonical);
      const limit = limitingCondition(canonical.Condition);
      if (open !== undefined && !limit.limited) {
        return outside("public", `${shown}: public as Amazon S3 defines it (${limit.why})`);
      }
      return outside(
        "any-account",
        `${shown}: any principal of any account; its Condition limits where requests come ` +
          "from, not who makes them",
      );
    }
    if (type === "AWS") {
      const account = ACCOUNT_IN_ARN.exec(name)?.[1];
      if (account !== undefined && this.accounts.has(account)) return null;
      const pinned = pinOutside(byPrincipal);
      if (pinned !== null) return pinned;
      if (account !== undefined) {
        return outside("unlisted-account", `${shown}: account ${account}; ${this.accountsText()}`);
      }
      if (name.startsWith(`arn:${this.context.partition}:iam::cloudfront:`)) {
        return outside("service", `${shown}: a CloudFront origin access identity, which AWS owns`);
      }
      return outside(
        "unlisted-account",
        `${shown}: s3ap cannot tell which account this principal belongs to`,
      );
    }
    if (type === "Service") {
      const bySource = this.conditionPin(s, [...SOURCE_ORG_KEYS, ...SOURCE_ACCOUNT_KEYS]);
      if (bySource?.kind === "within") return null;
      return (
        pinOutside(bySource) ??
        outside(
          "service",
          `the AWS service ${name} acting for any account: no aws:SourceAccount, aws:SourceOrgID ` +
            "or aws:SourceArn condition names a trusted account",
        )
      );
    }
    if (type === "Federated") {
      const canonical = isPlainObject(s.entry.canonical) ? s.entry.canonical : {};
      const limit = limitingCondition(canonical.Condition);
      return limit.limited
        ? outside("federated", `identities of the outside identity provider ${name}`)
        : outside(
            "public",
            `identities of the outside identity provider ${name}: public as Amazon S3 defines it (${limit.why})`,
          );
    }
    if (type === "CanonicalUser") {
      return outside(
        "unlisted-account",
        `${shown}: a canonical user id, whose account s3ap cannot tell`,
      );
    }
    return unreadable(
      `${statement} names a principal of type ${type}, which s3ap cannot place`,
      statement,
    );
  }
}

function covers(outer: Dimension | null, inner: Dimension | null): boolean {
  if (outer === null || inner === null || outer.kind !== "in") return false;
  if (inner.kind === "notIn") return outer.values.includes("*");
  return inner.values.every((v) => outer.values.some((o) => patternCovers(o, v)));
}

function principalText(value: string): string {
  if (value === EVERYONE) return "*";
  const [type, name = ""] = value.split("\u0000");
  return type === "AWS" ? name : `${type} ${name}`;
}

function label(s: ParsedStatement): string {
  const sid = isPlainObject(s.entry.canonical) ? s.entry.canonical.Sid : undefined;
  return typeof sid === "string" && sid !== ""
    ? `statement "${sid}"`
    : `statement ${s.entry.position}`;
}

function unreadable(text: string, statement: string): OutsideGrant {
  return { kind: "unreadable", principal: "(unreadable)", statement, text };
}
