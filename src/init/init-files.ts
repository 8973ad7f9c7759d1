// The files `s3ap init` writes into a repository that holds only policies: the two workflows
// (plan on pull requests; drift checks, apply on merge and manual runs), an s3ap.yaml skeleton and
// a README for the policies folder. Pure: text only; writing them is run/init.ts's.
import { type ActionPin, renderWorkflow, WORKFLOW_PATHS } from "./workflow-files.js";

export interface InitFile {
  /** Relative to the repository root, POSIX separators. */
  path: string;
  /** What it is, for the report. */
  what: string;
  content: string;
}

/**
 * A policies folder `s3ap init` can name in YAML, in a glob and in a path: letters, digits and
 * `._-/`, relative, inside the repository.
 */
export function policiesDirProblem(dir: string): string | undefined {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(dir)) {
    return "use a relative path of letters, digits and . _ - / (e.g. policies)";
  }
  if (dir.split("/").some((part) => part === "." || part === "..")) {
    return "use a path inside the repository, without . or .. parts";
  }
  return undefined;
}

function schemaUrl(pin: ActionPin, file: string): string {
  return `https://raw.githubusercontent.com/${pin.repository}/${pin.commit}/schemas/${file}`;
}

function configSkeleton(pin: ActionPin): string {
  return `# yaml-language-server: $schema=${schemaUrl(pin, "s3ap-config.schema.json")}
# s3ap's settings for this repository, validated like the policy files. Everything is optional:
# uncomment what you need. (Written by \`s3ap init\`, s3ap ${pin.version}.)

# The role s3ap assumes in each account: S3 Control takes no cross-account calls, so a hub
# identity (the OIDC role of the workflows) assumes a role in every account it manages.
# \${accountId} and \${partition} are replaced. The workflows pass S3AP_ACCOUNT_PLAN_ROLE and
# S3AP_ACCOUNT_APPLY_ROLE (repository variables) instead, when those are set.
# roleArn: arn:\${partition}:iam::\${accountId}:role/s3ap-apply
# externalId: my-external-id
# accounts:
#   "444455556666":
#     roleArn: arn:aws:iam::\${accountId}:role/legacy-policy-admin

# Who may be granted access without a change counting as "widens outside trust".
# trust:
#   organizationId: o-a1b2c3d4e5
#   accounts: ["111122223333"]

# Drift or warnings accepted until a date, each with an owner and a reason.
# exceptions:
#   - id: vendor-upload
#     accessPoints: "111122223333/us-east-1/uploads"
#     owner: data-platform
#     reason: the vendor's migration writes the policy until it is done
#     ticket: OPS-1234
#     expires: 2030-01-31

# What scheduled runs do with drift, once the repository variable S3AP_REMEDIATE is true (they
# then run apply --remediate with the apply role): revert it or report it (default: report).
# remediate:
#   widening: revert
#   narrowing: report

# During an incident: every run only reports (no writes, plain apply included) until the date.
# paused: { reason: "INC-42: hands off while we investigate", until: 2030-01-31 }

# Who made each drift (CloudTrail, first line of its issue) is the repository variable
# S3AP_ATTRIBUTE_DRIFT = true; the plan role then needs cloudtrail:LookupEvents.
`;
}

function policiesReadme(pin: ActionPin, dir: string): string {
  return `# S3 access point policies

Every \`*.yaml\` / \`*.yml\` file under \`${dir}/\` (any depth) declares the policy of exactly one
S3 access point. s3ap (${pin.repository}) validates the files, plans them against live state on
every pull request, applies them on merge to the main branch, and checks for drift every hour.

\`\`\`yaml
# yaml-language-server: $schema=${schemaUrl(pin, "access-point.schema.json")}
accountId: "111122223333"        # a string of 12 digits (quote it!)
region: us-east-1
name: reports-read               # the access point's name
# mode: observe                  # enforce (default) | observe: report drift, never write
policy:                          # the IAM policy document as YAML; \`null\` = must have no policy
  Version: "2012-10-17"
  Statement:
    - Sid: ReportsRoleRead
      Effect: Allow
      Principal:
        AWS: arn:aws:iam::111122223333:role/reports-reader
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/reports/*
\`\`\`

Start from what is live: \`npx s3ap import --account ID --region REGION --mode observe --dir ${dir}\`
writes \`${dir}/<account>/<region>/<name>.yaml\` for every access point no file declares yet;
review, commit, and switch files to \`mode: enforce\` a few at a time.

- \`npx s3ap validate --dir ${dir}\`: offline, every problem at its file, line and column.
- \`npx s3ap plan --dir ${dir}\`: read-only, desired against live (exit 2 when changes are pending).
- The workflows (\`.github/workflows/s3ap-plan.yml\`, \`.github/workflows/s3ap-reconcile.yml\`)
  post the plan of each pull request as one comment, apply on merge, and open an issue when live
  drifts from a file. The policy file format, the checks and the IAM roles the workflows need are in
  s3ap's README: https://github.com/${pin.repository}/blob/${pin.commit}/README.md
`;
}

export function initFiles(pin: ActionPin, dir: string): InitFile[] {
  return [
    {
      path: WORKFLOW_PATHS.plan,
      what: "the plan of every pull request, as one sticky comment",
      content: renderWorkflow("plan", pin, dir),
    },
    {
      path: WORKFLOW_PATHS.reconcile,
      what: "drift checks every hour, apply on merge to main, manual dry runs",
      content: renderWorkflow("reconcile", pin, dir),
    },
    { path: "s3ap.yaml", what: "s3ap's settings (all optional)", content: configSkeleton(pin) },
    {
      path: `${dir}/README.md`,
      what: "what goes in the policies folder",
      content: policiesReadme(pin, dir),
    },
  ];
}
