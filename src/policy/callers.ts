// Who can call an access point, as the Principal element and the principal condition keys tell
// callers apart: one sample caller for every way two policies' principals can match together.
//
// A caller is matched by the principal values that name it (IAM User Guide, "Principal"):
// its own ARN; for a role session also its role's ARN; and its account's root ARN, since naming
// an account names every principal in it. Measurements of NotPrincipal agree: a Deny with
// NotPrincipal exempts a caller only when every one of those names is listed
// (Yoshiki0705/FSx-for-ONTAP-Adoption-Playbook, notes/access-point-authorization-layers.md).
// NOTE: an Allow that names the access point's own account grants its principals nothing beyond
// their identity policies, which alone already suffice within the account ("Policy evaluation
// logic", same-account requests): so in an Allow's Principal the own account's root names only
// the root user. In a Deny it names every principal of the account.
import { appendAll } from "../append-all.js";
import type { ReasonPrincipal } from "./access-reasons.js";
import { type Clause, clausePatterns } from "./condition-clause.js";
import { glob, literal, matches, type Pattern, regionsOf } from "./glob-regions.js";

export interface Caller {
  /** Principal values (`Type\0value`, canonical) that name the caller in a Deny or NotPrincipal. */
  names: ReadonlySet<string>;
  /** The values that name it in an Allow's Principal. */
  allowNames: ReadonlySet<string>;
  /** Condition keys whose value follows from who the caller is (canonical key; undefined: absent). */
  derived: ReadonlyMap<string, string | undefined>;
  principal: ReasonPrincipal;
}

export interface Callers {
  callers: Caller[];
  /** False when some caller the principal keys could tell apart may be missing. */
  complete: boolean;
}

const ANONYMOUS = "\u0000anonymous";
const ARN = /^arn:([^:]+):(iam|sts)::(\d{12}|cloudfront):(.+)$/;
const ACCOUNT = /^\d{12}$/;

const PRINCIPAL_ARN = "aws:principalarn";
const PRINCIPAL_ACCOUNT = "aws:principalaccount";
const IS_SERVICE = "aws:principalisawsservice";
const SERVICE_NAME = "aws:principalservicename";
// NOTE: aws:username is present for IAM users only, holding the user's name (IAM User Guide,
// "aws:username"): roles, the root user, services and anonymous callers have none.
const USERNAME = "aws:username";

/** The condition keys whose values the caller decides. */

interface ParsedArn {
  partition: string;
  account: string;
  kind: "root" | "role" | "user" | "session" | "federated-user" | "other";
  /** Role name (role, session), for matching sessions to roles. */
  role?: string;
}

function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN.exec(arn);
  if (m === null) return undefined;
  const [, partition = "", service, account = "", resource = ""] = m;
  const base = { partition, account };
  if (service === "iam") {
    if (resource === "root") return { ...base, kind: "root" };
    if (resource.startsWith("role/")) {
      return { ...base, kind: "role", role: resource.slice(resource.lastIndexOf("/") + 1) };
    }
    if (resource.startsWith("user/")) return { ...base, kind: "user" };
    return { ...base, kind: "other" };
  }
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource);
  if (session !== null) return { ...base, kind: "session", role: session[1] as string };
  if (resource.startsWith("federated-user/")) return { ...base, kind: "federated-user" };
  return { ...base, kind: "other" };
}

const aws = (value: string) => `AWS\u0000${value}`;

/**
 * The callers to try for principal values `values` (`Type\0value`, canonical, from both
 * policies) and the clauses both policies have on aws:PrincipalArn and aws:PrincipalAccount.
 * `ownAccount` is the access point's account when known; `usesUserName`: whether a statement
 * tests aws:username (as a key or a policy variable).
 */
export function callersFor(
  values: ReadonlySet<string>,
  principalClauses: readonly Clause[],
  partition: string,
  ownAccount: string | undefined,
  usesUserName: boolean,
): Callers {
  let complete = true;
  const ownRoot = ownAccount === undefined ? undefined : rootArn(partition, ownAccount);
  const callers: Caller[] = [];
  const add = (
    names: string[],
    derived: Array<[string, string | undefined]>,
    principal: ReasonPrincipal,
  ) => {
    const set = new Set(names);
    const isOwnRoot = ownRoot !== undefined && principal.value === ownRoot;
    const allowNames = new Set(
      names.filter((n) => isOwnRoot || ownRoot === undefined || n !== aws(ownRoot)),
    );
    callers.push({ names: set, allowNames, derived: new Map(derived), principal });
  };
  const notAws: Array<[string, string | undefined]> = [
    [PRINCIPAL_ARN, undefined],
    [PRINCIPAL_ACCOUNT, undefined],
    [IS_SERVICE, undefined],
    [SERVICE_NAME, undefined],
    [USERNAME, undefined],
  ];
  add([ANONYMOUS], notAws, { type: "anonymous" });
  add(
    ["\u0000unnamed-service"],
    [
      [IS_SERVICE, "true"],
      [SERVICE_NAME, "\u0000unnamed"],
      [USERNAME, undefined],
    ],
    { type: "Service" },
  );

  const arnPatterns: Pattern[] = [];
  const accounts = new Set<string>();
  if (ownAccount !== undefined) accounts.add(ownAccount);
  for (const clause of principalClauses) {
    const patterns = clausePatterns(clause);
    if (patterns === undefined) {
      complete = false;
      continue;
    }
    if (clause.key === PRINCIPAL_ARN) {
      appendAll(arnPatterns, patterns);
      for (const value of clause.values) {
        const parsed = parseArn(value);
        if (parsed !== undefined && ACCOUNT.test(parsed.account)) accounts.add(parsed.account);
        // Only the accounts named are tried: a wildcard in the partition or account field
        // could match principals of other accounts in ways no sample shows.
        const fields = value.split(":");
        if (/[*?]/.test(`${fields[1] ?? ""}:${fields[4] ?? ""}`)) complete = false;
      }
    } else {
      for (const value of clause.values) {
        if (ACCOUNT.test(value)) accounts.add(value);
        else complete = false;
      }
    }
  }

  const namedArns: Array<[string, ParsedArn]> = [];
  for (const value of values) {
    const split = value.indexOf("\u0000");
    const type = value.slice(0, split);
    const text = value.slice(split + 1);
    if (type !== "AWS") {
      const derived: Array<[string, string | undefined]> =
        type === "Service"
          ? [
              [IS_SERVICE, "true"],
              [SERVICE_NAME, text],
              [USERNAME, undefined],
            ]
          : [];
      add([value], derived, { type: principalType(type), value: text });
      continue;
    }
    if (text === "*") continue;
    const parsed = parseArn(text);
    if (parsed === undefined || !ACCOUNT.test(parsed.account)) {
      // A unique id (a deleted role or user), a CloudFront origin access identity, or a value
      // IAM would refuse: only its own name names it.
      add([value], [], { type: "AWS", value: text });
      continue;
    }
    accounts.add(parsed.account);
    if (parsed.kind !== "root") namedArns.push([text, parsed]);
  }

  let fresh = 999999999999;
  while (accounts.has(String(fresh))) fresh--;
  accounts.add(String(fresh));
  const unnamedAccount = String(fresh);

  for (const account of accounts) {
    const root = rootArn(partition, account);
    const awsKeys = (arn: string, user = userName(arn)): Array<[string, string | undefined]> => [
      [PRINCIPAL_ARN, arn],
      [PRINCIPAL_ACCOUNT, account],
      [IS_SERVICE, "false"],
      [SERVICE_NAME, undefined],
      ...(user === null ? [] : ([[USERNAME, user]] as Array<[string, string | undefined]>)),
    ];
    const known = account === unnamedAccount ? {} : { account };
    add([aws(root)], awsKeys(root), { type: "AWS", value: root, ...known });
    const inAccount = namedArns.filter(([, p]) => p.account === account);
    for (const [arn, parsed] of inAccount) {
      const names = [aws(arn), aws(root)];
      let principalArn = arn;
      if (parsed.kind === "session") {
        const roles = inAccount.filter(([, p]) => p.kind === "role" && p.role === parsed.role);
        appendAll(
          names,
          roles.map(([r]) => aws(r)),
        );
        principalArn =
          roles[0]?.[0] ?? `arn:${parsed.partition}:iam::${account}:role/${parsed.role}`;
      }
      add(names, awsKeys(principalArn), { type: "AWS", value: arn, account });
    }
    // Principals of the account that no policy names, one per way aws:PrincipalArn tells them
    // apart.
    const named = new Set([root, ...inAccount.map(([arn]) => arn)]);
    const prefix = `arn:${partition}:iam::${account}:`;
    if (arnPatterns.length === 0) {
      // A role session, and where the statements test aws:username a user of any name.
      const unnamed: Array<readonly [string, undefined | null]> = [
        [`${prefix}role/unnamed`, undefined],
      ];
      if (usesUserName) unnamed.push([`${prefix}user/unnamed`, null]);
      for (const [arn, user] of unnamed) {
        add([aws(`\u0000unnamed:${arn}`), aws(root)], awsKeys(arn, user), {
          type: "AWS",
          ...known,
        });
      }
      continue;
    }
    for (const arn of unnamedArns(arnPatterns, [...named], prefix, () => {
      complete = false;
    })) {
      if (named.has(arn)) continue;
      add([aws(`\u0000unnamed:${arn}`), aws(root)], awsKeys(arn), { type: "AWS", ...known });
    }
  }
  return { callers, complete };
}

function unnamedArns(
  patterns: readonly Pattern[],
  named: readonly string[],
  prefix: string,
  incomplete: () => void,
): string[] {
  const all = [...patterns, ...named.map((arn) => literal(arn))];
  const found = regionsOf(all, glob(`${prefix}*`));
  if (!found.complete) incomplete();
  return found.regions
    .filter((r) => !named.some((arn) => matches(literal(arn), r.text)))
    .map((r) => r.text);
}

/**
 * aws:username for a principal ARN: the name of an IAM user, undefined (absent) for any other
 * principal; null when it is not known (the key then takes any value).
 */
function userName(arn: string): string | undefined | null {
  const user = /^arn:[^:]+:iam::[^:]+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return user === null ? undefined : (user[1] as string);
}

function rootArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

function principalType(type: string): ReasonPrincipal["type"] {
  return type === "Service" || type === "Federated" || type === "CanonicalUser" ? type : "AWS";
}
