// The recorded CloudTrail events of test/fixtures/cloudtrail/, with the time a test needs.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = join(import.meta.dirname, "..", "fixtures", "cloudtrail");

export type CloudTrailFixture =
  | "assumed-role--github-oidc-sdk"
  | "assumed-role--s3ap"
  | "assumed-role--terraform"
  | "aws-service--cloudformation"
  | "federated-user--sdk"
  | "iam-user--cli"
  | "identity-center-user--console"
  | "root--console"
  | "sso-user--console-edit"
  | "sso-user--source-identity";

/** One recorded event, at `eventTime` (ISO) and for `accessPoint` (name) when given. */
export function cloudTrailRecord(
  fixture: CloudTrailFixture,
  overrides: { eventTime?: string; accessPoint?: string; accountId?: string } = {},
): Record<string, unknown> {
  const text = readFileSync(join(DIR, `${fixture}.json`), "utf8");
  let record = text;
  if (overrides.accessPoint !== undefined) {
    record = record.replaceAll("reports-read", overrides.accessPoint);
  }
  if (overrides.accountId !== undefined) {
    record = record.replaceAll("111122223333", overrides.accountId);
  }
  const parsed = JSON.parse(record) as Record<string, unknown>;
  if (overrides.eventTime !== undefined) parsed.eventTime = overrides.eventTime;
  return parsed;
}
