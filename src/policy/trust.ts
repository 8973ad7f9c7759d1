// Whether a widening stays within the zone of trust (s3ap.yaml `trust`) or reaches outside it —
// public, another organisation, an account not listed, an AWS service or identity provider acting
// for anyone — and which principal does it. Offline and pure, like the access verdict.
//
// Who gains access comes from the access verdict's exact search (request-search.ts): the
// requests the desired policy allows that the other did not. The search sees the zone of trust
// as Denies it adds to both sides, so a request within trust is never one of them:
// - within trust: a request whose aws:PrincipalAccount (or aws:PrincipalArn's account) is the
//   access point's own account or a listed one, whose aws:PrincipalOrgID / aws:PrincipalOrgPaths names the organisation, or —
//   made by a service for someone — whose aws:SourceAccount, aws:SourceOwner, aws:SourceArn's
//   account, aws:SourceOrgID or aws:SourceOrgPaths does (IAM User Guide, "AWS global condition
//   context keys"); a Deny of the policy that refuses everyone else (the usual "Deny everyone
//   outside the organisation" guard) leaves only such requests;
// - outside trust otherwise. Each request newly allowed outside is named by the desired Allow
//   that grants it and the principal it names, most severe first: public (as Amazon S3 defines
//   it), any principal of any account under a network or resource condition, another
//   organisation, an account not listed, an AWS service acting for any account, an outside
//   identity provider; and where the search cannot tell (a statement s3ap cannot read, an
//   operator IAM does not know), "unreadable": s3ap never calls trusted what it cannot read.
// A rewrite that grants nothing new (a split statement, an operator swap that changes nothing) is
// no widening, so it never reaches outside trust, whoever it names.
import { ACCOUNT_ID_PATTERN, isAccountId } from "../access-point/account-id.js";
import type { PolicyDocument, TrustSettings } from "../model.js";
import { type AccessReason, APPLY_SIDES } from "./access-reasons.js";
import { type AccessVerdictOptions, type SearchLimits, searchChange } from "./access-verdict.js";
import type { Caller } from "./callers.js";
import { statementEntries, statementList } from "./canonicalize.js";
import { type Clause, canonicalKey } from "./condition-clause.js";
import { parseOperator } from "./condition-operator.js";
import { parseStatement as parseSearched } from "./parsed-statement.js";
import { LIMITING_OPERATOR, limitingCondition, publicPrincipal } from "./public-statement.js";
import type { SearchStatement } from "./request-search.js";
import { EVERYONE, type ParsedStatement, parseStatement } from "./statement-dimensions.js";
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

/**
 * Where a widening from `before` to `after` (null: no policy) reaches, as far as trust goes.
 * `options`: the access verdict's (verdictOptions: what requests through the access point carry);
 * `limits`: what else limits requests on each side (a directory bucket's scope).
 */
export function trustVerdict(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
  context: TrustContext,
  options: AccessVerdictOptions = {},
  limits?: SearchLimits,
): TrustVerdict {
  const zone = new Zone(context);
  const partition = options.partition ?? context.partition;
  const a = parsed(after, partition);
  if (a === null) {
    const grant = unreadable("the desired Statement is not a list of statements", "policy");
    return { tier: "outside", outside: [grant] };
  }
  // A live Statement s3ap cannot read is measured as no policy: all the desired one grants counts.
  const b = parsed(before, partition) ?? [];
  const variables = (p: PolicyDocument | null) =>
    isPlainObject(p) && (p as Record<string, unknown>).Version === "2012-10-17";
  const searched = searchChange(
    before,
    after,
    { ...options, partition },
    APPLY_SIDES,
    zone.limits([...b, ...a], limits),
    {
      before: b.map((s) => parseSearched(s.entry, variables(before))),
      after: a.map((s) => parseSearched(s.entry, variables(after))),
    },
  );
  if (searched.kind === "unreadable") {
    const grant = unreadable("a Statement that is not a list of statements", "policy");
    return { tier: "outside", outside: [grant] };
  }
  const byJson = new Map(a.map((s) => [s.entry.json, s]));
  const found = new Map<string, OutsideGrant>();
  const add = (grant: OutsideGrant) =>
    found.set(`${grant.kind}\u0000${grant.principal}\u0000${grant.statement}`, grant);
  for (const finding of searched.result.findings) {
    const witness = finding.up;
    if (witness === undefined) continue;
    const granting = witness.matched[1].find((s) => s.effect === "Allow" && byJson.has(s.json));
    const statement = granting === undefined ? undefined : byJson.get(granting.json);
    if (statement === undefined) {
      add(unreadable("s3ap cannot tell which desired statement grants it", "policy"));
      continue;
    }
    add(zone.classify(statement, finding.caller));
  }
  for (const why of new Set(searched.unsureUp)) {
    add(unreadable(`s3ap cannot tell whom the desired policy grants: ${why}`, "policy"));
  }
  const outside = [...found.values()].sort((x, y) => SEVERITY[x.kind] - SEVERITY[y.kind]);
  return { tier: outside.length > 0 ? "outside" : "within", outside };
}

/**
 * Whether the access verdict's own reasons already show a change within trust: every request it
 * found newly answered higher comes from a principal of a trusted account (whose every request
 * is within trust), and nothing is undecided. The verdict finds such a request for every caller
 * whose answer can go up, so no caller outside trust gains anything then. False: search.
 */
export function witnessesWithinTrust(
  reasons: readonly AccessReason[] | undefined,
  context: TrustContext,
): boolean {
  if (reasons === undefined) return false;
  const accounts = new Set([context.accountId, ...(context.trust?.accounts ?? [])]);
  let shown = false;
  for (const reason of reasons) {
    if (reason.direction === "unclear") return false;
    if (reason.direction !== "widens" || reason.request === undefined) continue;
    const p = reason.request.principal;
    const account = p.account ?? ACCOUNT_IN_ARN.exec(p.value ?? "")?.[1];
    if (p.type !== "AWS" || account === undefined || !accounts.has(account)) return false;
    shown = true;
  }
  return shown;
}

function parsed(policy: PolicyDocument | null, partition: string): ParsedStatement[] | null {
  if (policy === null) return [];
  const list = statementList(policy);
  return list === null ? null : statementEntries(list, partition).map(parseStatement);
}

type Pin =
  | { kind: "within" }
  | { kind: "other-organization"; value: string }
  | { kind: "unlisted-account"; value: string };

const PRINCIPAL_ORG_KEYS = ["aws:principalorgid", "aws:principalorgpaths"];
const SOURCE_ORG_KEYS = ["aws:sourceorgid", "aws:sourceorgpaths"];
const PRINCIPAL_ACCOUNT_KEYS = ["aws:principalaccount", "aws:principalarn"];
const SOURCE_ACCOUNT_KEYS = ["aws:sourceaccount", "aws:sourceowner", "aws:sourcearn"];
const ACCOUNT_IN_ARN = new RegExp(`^arn:[^:]*:[^:]*:[^:]*:(${ACCOUNT_ID_PATTERN}):`);

function clause(operatorText: string, key: string, values: readonly string[]): Clause {
  return { operatorText, operator: parseOperator(operatorText), key, values, variables: false };
}

class Zone {
  private readonly accounts: Set<string>;
  private readonly organizationId: string | undefined;

  constructor(private readonly context: TrustContext) {
    this.accounts = new Set([context.accountId, ...(context.trust?.accounts ?? [])]);
    this.organizationId = context.trust?.organizationId?.toLowerCase();
  }

  /**
   * The zone as Denies on both sides: a request that any of them matches is within trust. A key
   * no statement tests tells no request apart, so only the account (which every signed request
   * carries) is always one.
   */
  limits(statements: readonly ParsedStatement[], scope: SearchLimits | undefined): SearchLimits {
    const tested = new Map<string, boolean>();
    for (const s of statements) {
      for (const [operator, block] of s.condition ?? []) {
        for (const [key] of block) {
          const k = canonicalKey(key);
          tested.set(k, (tested.get(k) ?? false) || operator.startsWith("For"));
        }
      }
    }
    const accounts = [...this.accounts];
    const org = this.organizationId;
    const partition = this.context.partition;
    const rules: Clause[] = [clause("StringEquals", "aws:principalaccount", accounts)];
    const when = (key: string, make: (set: boolean) => Clause | undefined) => {
      const set = tested.get(key);
      if (set === undefined) return;
      const c = make(set);
      if (c !== undefined) rules.push(c);
    };
    const paths = (key: string) =>
      when(key, (set) =>
        org === undefined
          ? undefined
          : clause(set ? "ForAnyValue:StringLike" : "StringLike", key, [`${org}/*`]),
      );
    when("aws:principalorgid", () =>
      org === undefined ? undefined : clause("StringEquals", "aws:principalorgid", [org]),
    );
    paths("aws:principalorgpaths");
    // A principal whose ARN is of a trusted account is of that account (a service's request may
    // carry either key alone).
    when("aws:principalarn", () =>
      clause(
        "ArnLike",
        "aws:principalarn",
        accounts.flatMap((a) => [`arn:${partition}:iam::${a}:*`, `arn:${partition}:sts::${a}:*`]),
      ),
    );
    when("aws:sourceaccount", () => clause("StringEquals", "aws:sourceaccount", accounts));
    when("aws:sourceowner", () => clause("StringEquals", "aws:sourceowner", accounts));
    when("aws:sourcearn", () =>
      clause(
        "ArnLike",
        "aws:sourcearn",
        accounts.map((a) => `arn:*:*:*:${a}:*`),
      ),
    );
    when("aws:sourceorgid", () =>
      org === undefined ? undefined : clause("StringEquals", "aws:sourceorgid", [org]),
    );
    paths("aws:sourceorgpaths");
    const side = (n: 0 | 1): SearchStatement[] =>
      rules.map((c) => ({
        side: n,
        effect: "Deny",
        principal: { kind: "in", values: [EVERYONE] },
        action: { kind: "in", values: ["*"] },
        resource: { kind: "in", values: ["*"] },
        clauses: [c],
        variables: false,
        json: JSON.stringify({ trust: [c.operatorText, c.key, c.values] }),
        label: "trust",
      }));
    return {
      before: [...side(0), ...(scope?.before ?? [])],
      after: [...side(1), ...(scope?.after ?? [])],
      grantsOnly: true,
      ...(scope?.presence !== undefined ? { presence: scope.presence } : {}),
      ...(scope?.why !== undefined ? { why: scope.why } : {}),
    };
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

  /** A value outside trust that a statement's Condition requires of the request, if any. */
  private conditionPin(s: ParsedStatement, keys: readonly string[]): Pin | null {
    for (const [operator, block] of s.condition ?? []) {
      if (!LIMITING_OPERATOR.test(operator) || operator.endsWith("IpAddress")) continue;
      for (const [key, values] of block) {
        const lower = key.toLowerCase();
        if (!keys.includes(lower)) continue;
        const pin = values
          .map((v) => this.placeValue(lower, v))
          .find((p) => p !== null && p.kind !== "within");
        if (pin !== undefined && pin !== null) return pin;
      }
    }
    return null;
  }

  /** The grant by `s` of a request of `caller` the search found outside trust, placed. */
  classify(s: ParsedStatement, caller: Caller): OutsideGrant {
    const statement = label(s);
    const principal = s.principal;
    if (principal === null) {
      return unreadable(
        `${statement} cannot be read, so s3ap cannot tell whom it grants`,
        statement,
      );
    }
    // The principal value that names the caller: a specific one before "*".
    const value =
      principal.kind === "notIn"
        ? null
        : (principal.values.find((v) => v !== EVERYONE && caller.allowNames.has(v)) ??
          (principal.values.includes(EVERYONE) ? EVERYONE : principal.values[0]));
    const [type, name = ""] =
      value === null || value === undefined ? ["AWS", ""] : value.split("\u0000");
    const shown =
      value === null || value === undefined
        ? `all but ${principal.values.map(principalText).join(", ")}`
        : principalText(value);
    const outside = (kind: OutsideKind, text: string): OutsideGrant => ({
      kind,
      principal: shown,
      statement,
      text: `${statement} grants ${text}`,
    });
    const pinOutside = (pin: Pin | null): OutsideGrant | null =>
      pin?.kind === "other-organization"
        ? outside(
            "other-organization",
            `${shown} in organisation ${pin.value}${this.organizationId !== undefined ? `, not ${this.organizationId}` : " (s3ap.yaml trust names no organizationId)"}`,
          )
        : pin?.kind === "unlisted-account"
          ? outside("unlisted-account", `${shown} of account ${pin.value}; ${this.accountsText()}`)
          : null;
    const byPrincipal = () =>
      this.conditionPin(s, [...PRINCIPAL_ORG_KEYS, ...PRINCIPAL_ACCOUNT_KEYS]);
    const bySource = () => this.conditionPin(s, [...SOURCE_ORG_KEYS, ...SOURCE_ACCOUNT_KEYS]);

    if (type === "AWS" && (value === null || value === undefined || value === EVERYONE)) {
      const pinned = pinOutside(byPrincipal()) ?? pinOutside(bySource());
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
      const pinned = pinOutside(byPrincipal());
      if (pinned !== null) return pinned;
      const account = ACCOUNT_IN_ARN.exec(name)?.[1];
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
      return (
        pinOutside(bySource()) ??
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
