// A brute-force IAM evaluator over a small finite universe of requests: the oracle the access
// verdict's property tests compare with. Written straight from the IAM user guide's
// "Policy evaluation logic" and "IAM JSON policy elements", on the raw document (no s3ap code).
import type { PolicyDocument } from "../../../src/model.js";
import { ACCOUNT } from "../../support/account.js";

export { ACCOUNT };
export const OTHER_ACCOUNT = "444455556666";
export const AP = `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/reports`;

/** Who asks: the principal values (type, value) that name the caller; anonymous has none. */
export interface Caller {
  names: Array<[type: string, value: string]>;
}

export interface Request {
  caller: Caller;
  action: string;
  resource: string;
  /** Lower-cased condition key → value; absent keys are missing from the request. */
  context: Record<string, string>;
}

export const CALLERS: Caller[] = [
  { names: [["AWS", `arn:aws:iam::${ACCOUNT}:role/reports`]] },
  { names: [["AWS", `arn:aws:iam::${ACCOUNT}:role/etl`]] },
  { names: [["AWS", `arn:aws:iam::${OTHER_ACCOUNT}:root`]] },
  { names: [["Service", "cloudfront.amazonaws.com"]] },
  { names: [] },
];
export const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"];
export const RESOURCES = [AP, `${AP}/object/a.txt`, `${AP}/object/in/b.txt`];
const CONTEXTS: Array<Record<string, string>> = [];
for (const vpc of [undefined, "vpc-1", "vpc-2"]) {
  for (const team of [undefined, "red"]) {
    const context: Record<string, string> = {};
    if (vpc !== undefined) context["aws:sourcevpc"] = vpc;
    if (team !== undefined) context["aws:principaltag/team"] = team;
    CONTEXTS.push(context);
  }
}

export const UNIVERSE: Request[] = CALLERS.flatMap((caller) =>
  ACTIONS.flatMap((action) =>
    RESOURCES.flatMap((resource) =>
      CONTEXTS.map((context) => ({ caller, action, resource, context })),
    ),
  ),
);

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

const compiled = new Map<string, RegExp>();

function glob(pattern: string, text: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? "i" : "s"}${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
    compiled.set(key, regex);
  }
  return regex.test(text);
}

function principalMatches(principal: unknown, caller: Caller): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  for (const [type, values] of Object.entries(principal)) {
    for (const value of list(values)) {
      if (type === "AWS" && value === "*") return true;
      const name =
        type === "AWS" && /^\d{12}$/.test(String(value)) ? `arn:aws:iam::${value}:root` : value;
      if (caller.names.some(([t, v]) => t === type && v === name)) return true;
    }
  }
  return false;
}

function conditionKeyValue(key: string, context: Record<string, string>): string | undefined {
  const slash = key.indexOf("/");
  const lowered =
    slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
  return context[lowered];
}

function conditionHolds(condition: unknown, context: Record<string, string>): boolean {
  if (condition === undefined) return true;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    const ifExists = operator.endsWith("IfExists");
    const base = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const actual = conditionKeyValue(key, context);
      const expected = list(values).map(String);
      let holds: boolean;
      if (actual === undefined) {
        // A missing key matches no value: positive operators fail, negated ones hold.
        holds = ifExists || base.includes("Not");
      } else {
        switch (base) {
          case "StringEquals":
            holds = expected.includes(actual);
            break;
          case "StringNotEquals":
            holds = !expected.includes(actual);
            break;
          case "StringLike":
            holds = expected.some((e) => glob(e, actual, false));
            break;
          case "StringNotLike":
            holds = !expected.some((e) => glob(e, actual, false));
            break;
          default:
            throw new Error(`the oracle does not know ${operator}`);
        }
      }
      if (!holds) return false;
    }
  }
  return true;
}

function statementMatches(s: Record<string, unknown>, r: Request): boolean {
  const principal =
    s.Principal !== undefined
      ? principalMatches(s.Principal, r.caller)
      : !principalMatches(s.NotPrincipal, r.caller);
  const action =
    s.Action !== undefined
      ? list(s.Action).some((a) => glob(String(a), r.action, true))
      : !list(s.NotAction).some((a) => glob(String(a), r.action, true));
  const resource =
    s.Resource !== undefined
      ? list(s.Resource).some((p) => glob(String(p), r.resource, false))
      : !list(s.NotResource).some((p) => glob(String(p), r.resource, false));
  return principal && action && resource && conditionHolds(s.Condition, r.context);
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
