// A brute-force IAM evaluator over a small finite universe of requests: the oracle the access
// verdict's property tests compare with. Written straight from the IAM user guide's "Policy
// evaluation logic", "IAM JSON policy elements" (Principal, Condition operators) and the S3
// service authorization table, on the raw document (no s3ap code).
import type { PolicyDocument } from "../../../src/model.js";
import { ACCOUNT } from "../../support/account.js";

export { ACCOUNT };
export const OTHER_ACCOUNT = "444455556666";
export const AP = `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/reports`;
export const ROOT = (account: string) => `arn:aws:iam::${account}:root`;
export const PARTNER = `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`;

/**
 * Who asks. A caller is named by its own ARN and its account's root ARN ("Principal": naming an
 * account names its principals); a role session also by its role's ARN. Anonymous callers have
 * no name. `principalArn` is what aws:PrincipalArn holds for it (the role's ARN for a session).
 */
export interface Caller {
  names: Array<[type: string, value: string]>;
  account?: string;
  /** The account's root user itself. */
  root?: boolean;
  principalArn?: string;
}

export interface Request {
  caller: Caller;
  action: string;
  resource: string;
  /** Lower-cased condition key → value (a list for multivalued keys); absent keys are missing. */
  context: Record<string, string | string[]>;
}

const aws = (arn: string, account: string, extra: Partial<Caller> = {}): Caller => ({
  names: [
    ["AWS", arn],
    ["AWS", ROOT(account)],
  ],
  account,
  principalArn: arn,
  ...extra,
});

export const CALLERS: Caller[] = [
  aws(`arn:aws:iam::${ACCOUNT}:role/reports`, ACCOUNT),
  aws(`arn:aws:iam::${ACCOUNT}:role/etl`, ACCOUNT),
  { ...aws(ROOT(ACCOUNT), ACCOUNT), names: [["AWS", ROOT(ACCOUNT)]], root: true },
  { ...aws(ROOT(OTHER_ACCOUNT), OTHER_ACCOUNT), names: [["AWS", ROOT(OTHER_ACCOUNT)]], root: true },
  aws(PARTNER, OTHER_ACCOUNT),
  { names: [["Service", "cloudfront.amazonaws.com"]] },
  { names: [] },
];

// The S3 service authorization table: ListBucket acts on the access point, the object actions
// on its objects.
export const ACTION_RESOURCES: Array<[string, string[]]> = [
  ["s3:ListBucket", [AP]],
  ["s3:GetObject", [`${AP}/object/a.txt`, `${AP}/object/in/b.txt`]],
  ["s3:PutObject", [`${AP}/object/a.txt`, `${AP}/object/in/b.txt`]],
  ["s3:DeleteObject", [`${AP}/object/a.txt`, `${AP}/object/in/b.txt`]],
];

const CONTEXTS: Array<Record<string, string | string[]>> = [];
for (const vpc of [undefined, "vpc-1", "vpc-2", "VPC-1"]) {
  for (const team of [undefined, "red"]) {
    for (const source of [
      undefined,
      `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/E1`,
      `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/E2`,
    ]) {
      for (const via of [
        undefined,
        ["athena.amazonaws.com"],
        ["athena.amazonaws.com", "glue.amazonaws.com"],
      ]) {
        const context: Record<string, string | string[]> = {};
        if (vpc !== undefined) context["aws:sourcevpc"] = vpc;
        if (team !== undefined) context["aws:principaltag/team"] = team;
        if (source !== undefined) context["aws:sourcearn"] = source;
        if (via !== undefined) context["aws:calledvia"] = via;
        CONTEXTS.push(context);
      }
    }
  }
}

export const UNIVERSE: Request[] = CALLERS.flatMap((caller) =>
  ACTION_RESOURCES.flatMap(([action, resources]) =>
    resources.flatMap((resource) =>
      CONTEXTS.map((context) => ({ caller, action, resource, context })),
    ),
  ),
);

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

const compiled = new Map<string, RegExp>();

function glob(pattern: string, text: string, ignoreCase: boolean, stop = ""): boolean {
  const key = `${ignoreCase ? "i" : "s"}${stop}${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    const any = stop === "" ? ".*" : `[^${stop}]*`;
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, any)
      .replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
    compiled.set(key, regex);
  }
  return regex.test(text);
}

/** ArnLike/ArnEquals: each of the six colon-separated components is matched on its own. */
function arnMatches(pattern: string, value: string): boolean {
  const split = (arn: string) => {
    const parts = arn.split(":");
    return [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const p = split(pattern);
  const v = split(value);
  if (pattern.split(":").length < 6 || value.split(":").length < 6) return false;
  return p.every((part, i) => glob(part, v[i] as string, false));
}

function principalMatches(principal: unknown, names: Caller["names"]): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  for (const [type, values] of Object.entries(principal)) {
    for (const value of list(values)) {
      if (type === "AWS" && value === "*") return true;
      const name = type === "AWS" && /^\d{12}$/.test(String(value)) ? ROOT(String(value)) : value;
      if (names.some(([t, v]) => t === type && v === name)) return true;
    }
  }
  return false;
}

/** The names the caller is known by, for a statement of this effect. */
function namesFor(caller: Caller, effect: unknown, negated: boolean): Caller["names"] {
  // An Allow naming the access point's own account grants its principals nothing their
  // identity policies do not already (same-account requests: either policy may allow).
  if (effect !== "Allow" || negated || caller.root || caller.account !== ACCOUNT)
    return caller.names;
  return caller.names.filter(([, v]) => v !== ROOT(ACCOUNT));
}

function conditionKeyValue(key: string, r: Request): string | string[] | undefined {
  const slash = key.indexOf("/");
  const lowered =
    slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
  if (lowered === "aws:principalarn") return r.caller.principalArn;
  return r.context[lowered];
}

function valueMatches(base: string, expected: string, actual: string): boolean {
  switch (base) {
    case "StringEquals":
    case "StringNotEquals":
      return expected === actual;
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
      return expected.toLowerCase() === actual.toLowerCase();
    case "StringLike":
    case "StringNotLike":
      return glob(expected, actual, false);
    case "ArnEquals":
    case "ArnLike":
    case "ArnNotEquals":
    case "ArnNotLike":
      return arnMatches(expected, actual);
    default:
      throw new Error(`the oracle does not know ${base}`);
  }
}

function conditionHolds(condition: unknown, r: Request): boolean {
  if (condition === undefined) return true;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    const set = operator.startsWith("ForAllValues:")
      ? "all"
      : operator.startsWith("ForAnyValue:")
        ? "any"
        : undefined;
    let base = set === undefined ? operator : operator.slice(operator.indexOf(":") + 1);
    const ifExists = base.endsWith("IfExists");
    if (ifExists) base = base.slice(0, -"IfExists".length);
    const negated = /Not/.test(base);
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const actual = conditionKeyValue(key, r);
      const expected = list(values).map(String);
      let holds: boolean;
      if (actual === undefined) {
        // A missing key matches no value: positive operators fail, negated ones hold;
        // IfExists and ForAllValues hold, ForAnyValue fails.
        holds = set === "all" ? true : set === "any" ? false : ifExists || negated;
      } else {
        const item = (value: string) => {
          const any = expected.some((e) => valueMatches(base, e, value));
          return negated ? !any : any;
        };
        const items = list(actual).map(String);
        holds =
          set === "all"
            ? items.every(item)
            : set === "any"
              ? items.some(item)
              : item(items[0] as string);
      }
      if (!holds) return false;
    }
  }
  return true;
}

/** NotPrincipal exempts a caller only when every name it goes by is listed ("*" lists all). */
function exempted(notPrincipal: unknown, caller: Caller): boolean {
  if (principalMatches(notPrincipal, [])) return true;
  return (
    caller.names.length > 0 && caller.names.every((name) => principalMatches(notPrincipal, [name]))
  );
}

function statementMatches(s: Record<string, unknown>, r: Request): boolean {
  const principal =
    s.Principal !== undefined
      ? principalMatches(s.Principal, namesFor(r.caller, s.Effect, false))
      : !exempted(s.NotPrincipal, r.caller);
  const action =
    s.Action !== undefined
      ? list(s.Action).some((a) => glob(String(a), r.action, true))
      : !list(s.NotAction).some((a) => glob(String(a), r.action, true));
  const resource =
    s.Resource !== undefined
      ? list(s.Resource).some((p) => glob(String(p), r.resource, false))
      : !list(s.NotResource).some((p) => glob(String(p), r.resource, false));
  return principal && action && resource && conditionHolds(s.Condition, r);
}

/** -1: explicitly denied, 0: the policy says nothing, 1: allowed. No policy says nothing. */
export function decide(policy: PolicyDocument | null, r: Request): -1 | 0 | 1 {
  if (policy === null) return 0;
  let allowed = false;
  for (const s of list(policy.Statement) as Array<Record<string, unknown>>) {
    if (!statementMatches(s, r)) continue;
    if (s.Effect === "Deny") return -1;
    if (s.Effect === "Allow") allowed = true;
  }
  return allowed ? 1 : 0;
}

/** Whether some request of the universe gets a higher (up) or lower (down) answer after. */
export function compareOverUniverse(
  before: PolicyDocument | null,
  after: PolicyDocument | null,
): { up: Request | undefined; down: Request | undefined } {
  let up: Request | undefined;
  let down: Request | undefined;
  for (const r of UNIVERSE) {
    const b = decide(before, r);
    const a = decide(after, r);
    if (a > b) up ??= r;
    if (a < b) down ??= r;
    if (up !== undefined && down !== undefined) break;
  }
  return { up, down };
}

/**
 * The oracle's caller for a principal a verdict names: its ARN, its account's root, and for a
 * session its role; `principalArn` as aws:PrincipalArn holds it. A principal no statement names
 * gets a name of its own that no statement lists.
 */
export function callerFor(
  principal: {
    type: string;
    value?: string;
    account?: string;
  },
  principalArn: string | undefined,
): Caller {
  if (principal.type === "anonymous") return { names: [] };
  if (principal.type !== "AWS") {
    // What aws:PrincipalArn holds for a service is not documented: the witness says.
    return {
      names: [[principal.type, principal.value ?? "\u0000unnamed"]],
      ...(principalArn !== undefined ? { principalArn } : {}),
    };
  }
  const account =
    principal.account ?? /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principal.value ?? "")?.[1];
  const value = principal.value ?? `\u0000unnamed:${principalArn ?? ""}`;
  const names: Caller["names"] = [["AWS", value]];
  if (account !== undefined && value !== ROOT(account)) names.push(["AWS", ROOT(account)]);
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(value);
  if (session !== null) names.push(["AWS", `arn:aws:iam::${session[1]}:role/${session[2]}`]);
  return {
    names,
    ...(account !== undefined ? { account } : {}),
    ...(account !== undefined && value === ROOT(account) ? { root: true } : {}),
    ...(principal.value !== undefined
      ? { principalArn: value }
      : principalArn !== undefined
        ? { principalArn }
        : {}),
  };
}
