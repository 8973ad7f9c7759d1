// Role ARN templates (--role-arn, S3AP_ROLE_ARN, s3ap.yaml roleArn) and ExternalIds: the rules
// they must follow and the per-account expansion of ${accountId} and ${partition}.
import { ACCOUNT_ID_PATTERN } from "./account-id.js";

export const ROLE_VARIABLES = ["accountId", "partition"] as const;

const VARIABLE = /\$\{([^}]*)\}/g;
// After expansion: arn:<partition>:iam::<12 digits>:role/<optional path/><name> (IAM's characters).
const ROLE_ARN = new RegExp(`^arn:aws[a-z-]*:iam::${ACCOUNT_ID_PATTERN}:role/[\\w+=,.@/-]{1,512}$`);
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** The role ARN for one account. */
export function expandRoleArn(template: string, accountId: string, partition: string): string {
  return template.replace(VARIABLE, (whole, name: string) =>
    name === "accountId" ? accountId : name === "partition" ? partition : whole,
  );
}

/** Why a template cannot be used, or undefined when it can. */
export function roleTemplateProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(VARIABLE)]
    .map((m) => m[1] ?? "")
    .filter((name) => !(ROLE_VARIABLES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return (
      `unknown variable \${${unknown[0]}} in the role ARN; a role ARN template knows ` +
      `${ROLE_VARIABLES.map((n) => `\${${n}}`).join(" and ")}`
    );
  }
  if (!ROLE_ARN.test(expandRoleArn(template, "111122223333", "aws"))) {
    return (
      `"${template}" is not an IAM role ARN; write it like ` +
      "arn:${partition}:iam::${accountId}:role/s3ap-apply"
    );
  }
  return undefined;
}

/** Why an ExternalId cannot be used, or undefined when it can. */
export function externalIdProblem(externalId: string): string | undefined {
  if (EXTERNAL_ID.test(externalId)) return undefined;
  return "an ExternalId is 2-1224 characters: letters, digits and + = , . @ : / - _";
}

/**
 * The STS session name: s3ap-<command>-<short commit>, so CloudTrail shows which run of which
 * commit made a change. STS allows 2-64 characters of [\w+=,.@-].
 */
export function roleSessionName(command: string, commit: string | null): string {
  const raw = `s3ap-${command}-${commit === null ? "uncommitted" : commit.slice(0, 12)}`;
  return raw.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}
