// Every rule id the validator (src/validate/, src/untrusted/, src/source/) can put on a Problem,
// with the words a reader needs: the SARIF report's `tool.driver.rules`, shown beside each alert.

export interface RuleHelp {
  /** One line: what the rule checks. */
  short: string;
  /** What is wrong and how to fix it. */
  full: string;
}

export const VALIDATION_RULES: Readonly<Record<string, RuleHelp>> = {
  "yaml-syntax": {
    short: "YAML syntax error",
    full: "The file is not valid YAML 1.2; fix the syntax at the position shown.",
  },
  "duplicate-key": {
    short: "Duplicate mapping key",
    full: "A key appears twice in one mapping; YAML parsers disagree on which one wins, so keep one.",
  },
  "multi-document": {
    short: "More than one YAML document",
    full: "A policy file holds exactly one YAML document; remove the extra `---` documents.",
  },
  empty: {
    short: "Empty file",
    full: "The file has no content; declare an access point or delete the file.",
  },
  nesting: {
    short: "Nested too deeply",
    full: "Collections nested more than 64 levels deep are refused; flatten the document.",
  },
  "yaml-alias": {
    short: "YAML alias refused",
    full: "Aliases can expand into huge documents (alias bombs); write the values out.",
  },
  "forbidden-key": {
    short: "Forbidden key",
    full: "The keys `__proto__`, `constructor` and `prototype` are refused at any depth.",
  },
  number: {
    short: "Number JSON would change",
    full: "Numbers beyond 2^53, with more than 15 significant digits, `.inf` or `.nan` would change on their way to AWS; quote them.",
  },
  symlink: {
    short: "Symlink leaves the repository",
    full: "A symlink that is broken, points into `.git` or out of the repository is not read; commit the file itself.",
  },
  "not-a-file": {
    short: "Not a regular file",
    full: "A FIFO, socket or device named `*.yaml` is not read; policies come only from regular files.",
  },
  "file-size": {
    short: "File too large",
    full: "The file is larger than s3ap reads; split it or remove what is not a policy.",
  },
  encoding: {
    short: "Not UTF-8",
    full: "The file has bytes that are not UTF-8; save it as UTF-8.",
  },
  "control-character": {
    short: "Control character",
    full: "NUL and other characters YAML does not allow unescaped are refused; remove or escape them.",
  },
  unreadable: {
    short: "File cannot be read",
    full: "The file could not be read (permissions or I/O); the message says why.",
  },
  "unknown-key": {
    short: "Unknown key",
    full: "The key is not part of the file format or of an IAM policy; the message names the nearest known key.",
  },
  "missing-key": {
    short: "Missing required key",
    full: "A required key (accountId, region, name, policy, ...) is missing.",
  },
  type: {
    short: "Wrong type",
    full: "The value has the wrong type, e.g. an unquoted account id read as a number; quote it.",
  },
  schema: {
    short: "Schema violation",
    full: "The value does not match the JSON Schema of the file format or of IAM policies.",
  },
  effect: {
    short: "Bad or missing Effect",
    full: 'Every statement needs `Effect: "Allow"` or `Effect: "Deny"`.',
  },
  mode: {
    short: "Bad mode",
    full: "`mode` is `enforce` (the default) or `observe`.",
  },
  version: {
    short: "Bad policy Version",
    full: '`Version` is "2012-10-17" or "2008-10-17".',
  },
  statement: {
    short: "Missing or empty Statement",
    full: "AWS refuses a policy without statements; add at least one.",
  },
  "empty-list": {
    short: "Empty list",
    full: "AWS refuses an empty list here; give at least one entry.",
  },
  "empty-mapping": {
    short: "Empty mapping",
    full: "AWS refuses an empty mapping here; give at least one entry.",
  },
  principal: {
    short: "Bad principal",
    full: "A statement without a principal, a malformed principal ARN or account id, or an IAM group (which cannot be a principal) is refused by AWS.",
  },
  "account-id": {
    short: "Bad account id",
    full: 'An account id is 12 digits, quoted: accountId: "111122223333".',
  },
  region: {
    short: "Bad region",
    full: "The region is not region-shaped (e.g. us-east-1).",
  },
  name: {
    short: "Bad access point name",
    full: "Access point names are 3–50 lowercase letters, digits and `-`, no leading or trailing `-`, no `-s3alias` suffix.",
  },
  "directory-bucket": {
    short: "Bad directory-bucket access point",
    full: "A directory-bucket access point is named `<name>--<zone-id>--xa-s3` and is not on an Outpost.",
  },
  scope: {
    short: "Bad scope",
    full: "A scope is for directory-bucket access points only; its permissions are AWS's eight operations and its prefixes add up to under 256 bytes.",
  },
  "create-session": {
    short: "Nobody can open a session",
    full: "No Allow statement of a directory-bucket access point's policy grants `s3express:CreateSession`, so nobody can use it (warning).",
  },
  "multi-region": {
    short: "Bad Multi-Region Access Point file",
    full: "A Multi-Region Access Point file has `multiRegionAccessPoint` and `alias` instead of `region` and `name`, and a policy that is not null (AWS cannot delete one).",
  },
  "data-source": {
    short: "Bad data source",
    full: "`dataSource` is for access points attached to an FSx volume only.",
  },
  "object-lambda": {
    short: "Object Lambda access point",
    full: "Object Lambda access points are out of s3ap's scope (closed to new customers since 2025-11-07).",
  },
  "outpost-id": {
    short: "Bad Outpost id",
    full: "An Outpost id looks like op-0123456789abcdef0.",
  },
  "policy-size": {
    short: "Policy too large",
    full: "An error from 24,861 bytes (AWS refuses it), a warning over 20 KB as compact JSON; split statements or use wildcards.",
  },
  sid: {
    short: "Duplicate Sid",
    full: "Two statements share a Sid; S3 accepts it, but it makes the policy hard to read (warning).",
  },
  "exclusive-keys": {
    short: "Mutually exclusive keys",
    full: "`Action` with `NotAction`, `Resource` with `NotResource` or `Principal` with `NotPrincipal` in one statement is refused by AWS.",
  },
  action: {
    short: "Not an access point action",
    full: 'The action is not an IAM action, does not apply to an access point or its objects, or acts on none of the statement\'s resources (AWS: "Action does not apply to any resource(s) in statement"); (warning) a wildcard matches none of them. The message names the nearest valid action.',
  },
  resource: {
    short: "Resource outside this access point",
    full: "A Resource is this access point's own ARN, `ARN/object/...` or `ARN/*`.",
  },
  "condition-key": {
    short: "Condition key requests do not carry",
    full: 'The condition key applies to none of the statement\'s actions on its resources (AWS: "Conditions do not apply to combination of actions and resources in statement"), or (warning) is no global key, federated identity provider key or key of the service, so requests never carry it.',
  },
  "condition-operator": {
    short: "Unknown condition operator",
    full: "AWS refuses a policy with an unknown condition operator; the message names the nearest one.",
  },
  public: {
    short: "Public policy",
    full: "Amazon S3 considers the policy public (Block Public Access refuses it); add a condition S3 accepts, or set `allowPublic: true` (not on S3 on Outposts, where Block Public Access is always on).",
  },
  variable: {
    short: "Unknown variable",
    full: "A `${...}` variable s3ap does not know; use one of those the README lists.",
  },
  "duplicate-access-point": {
    short: "Access point declared twice",
    full: "Two files declare the same access point; keep one (both files are named).",
  },
  "config-file": {
    short: "Bad s3ap.yaml",
    full: "s3ap.yaml is not a readable regular file of the allowed size.",
  },
  "role-arn": {
    short: "Bad role ARN",
    full: "The roleArn of s3ap.yaml is not an IAM role ARN (template).",
  },
  "external-id": {
    short: "Bad external id",
    full: "The externalId of s3ap.yaml is not a valid STS external id.",
  },
  trust: {
    short: "Bad trust",
    full: "The trust of s3ap.yaml names an organization id that is not one (o- and 10 to 32 lowercase letters or digits).",
  },
  exception: {
    short: "Bad exception",
    full: "An entry of exceptions in s3ap.yaml cannot work: its id is used twice, its accessPoints glob is malformed, or its rule never warns (a public grant can never be excepted).",
  },
  "exception-expired": {
    short: "Exception expired",
    full: "An exception in s3ap.yaml is past its expires date: it excuses nothing any more and fails the run until its owner renews it or removes it and fixes what it excused.",
  },
  "exception-expiring": {
    short: "Exception expires soon",
    full: "An exception in s3ap.yaml expires within 14 days; after that it fails the run. Its owner renews it or fixes what it excuses.",
  },
  date: {
    short: "Bad date",
    full: "A date in s3ap.yaml (expires, until) is not a day of the calendar written YYYY-MM-DD.",
  },
  remediate: {
    short: "Bad remediate",
    full: "remediate.widening and remediate.narrowing in s3ap.yaml are revert or report.",
  },
  paused: {
    short: "Pause ended",
    full: "The paused entry of s3ap.yaml is past its until date: runs write again. Remove it, or set a later date.",
  },
};
