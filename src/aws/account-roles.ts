// Which role s3ap assumes in each account: --role-arn (input role-arn) > S3AP_ROLE_ARN > s3ap.yaml
// accounts.<id> > s3ap.yaml roleArn (ExternalId likewise). No role anywhere: the base credentials.

import { expandRoleArn, externalIdProblem, roleTemplateProblem } from "../access-point/role-arn.js";
import { cliFlag, InputError, type OptionName } from "../errors.js";
import type { RepositoryConfig, RoleSettings } from "../model.js";

export type { RepositoryConfig, RoleSettings } from "../model.js";

export type AccountRole =
  /** No role is configured at all: sign with the base credentials (the SDK's chain). */
  | { kind: "base" }
  | { kind: "role"; roleArn: string; externalId?: string; source: string }
  /** Roles are configured for other accounts, but none applies to this one. */
  | { kind: "missing"; message: string };

export interface RoleInputs {
  /** --role-arn / --external-id (the action's role-arn / external-id inputs). */
  flags: RoleSettings;
  /** The process environment: S3AP_ROLE_ARN, S3AP_EXTERNAL_ID. */
  env: NodeJS.ProcessEnv;
  /** s3ap.yaml of the desired state's repository, if it has one. */
  config: RepositoryConfig | null;
  /** How messages name roleArn and externalId: the entry's words (default: the CLI's flags). */
  optionName?: OptionName;
}

export type RoleResolver = (accountId: string, partition: string) => AccountRole;

const CONFIG_FILE = "s3ap.yaml";

/**
 * Checks the flag and environment values (the file was checked when it was loaded) and returns
 * the per-account resolver. Throws InputError for a template or ExternalId that cannot work.
 */
export function resolveAccountRoles(inputs: RoleInputs): RoleResolver {
  const env: RoleSettings = {
    ...(inputs.env.S3AP_ROLE_ARN ? { roleArn: inputs.env.S3AP_ROLE_ARN } : {}),
    ...(inputs.env.S3AP_EXTERNAL_ID ? { externalId: inputs.env.S3AP_EXTERNAL_ID } : {}),
  };
  const flags = inputs.flags;
  const name = inputs.optionName ?? cliFlag;
  for (const [where, settings] of [
    [name("roleArn"), flags],
    ["S3AP_ROLE_ARN", env],
  ] as const) {
    const problem = settings.roleArn !== undefined && roleTemplateProblem(settings.roleArn);
    if (problem) throw new InputError(`${where}: ${problem}`);
  }
  for (const [where, settings] of [
    [name("externalId"), flags],
    ["S3AP_EXTERNAL_ID", env],
  ] as const) {
    const problem = settings.externalId !== undefined && externalIdProblem(settings.externalId);
    if (problem) throw new InputError(`${where}: ${problem}`);
  }
  const config = inputs.config;
  const accounts = config?.accounts ?? Object.create(null);
  const configuredAccounts = Object.keys(accounts).filter(
    (id) => accounts[id]?.roleArn !== undefined,
  );
  const anyRole =
    flags.roleArn !== undefined ||
    env.roleArn !== undefined ||
    config?.roleArn !== undefined ||
    configuredAccounts.length > 0;
  if (!anyRole) {
    const externalId =
      flags.externalId !== undefined
        ? name("externalId")
        : env.externalId !== undefined
          ? "S3AP_EXTERNAL_ID"
          : config?.externalId !== undefined ||
              Object.values<RoleSettings>(accounts).some((a) => a.externalId !== undefined)
            ? `externalId in ${CONFIG_FILE}`
            : undefined;
    if (externalId !== undefined) {
      throw new InputError(
        `${externalId} is set but no role is: an ExternalId is only sent with AssumeRole; ` +
          `set ${name("roleArn")} (S3AP_ROLE_ARN, or roleArn in ${CONFIG_FILE}) or remove it`,
      );
    }
    return () => ({ kind: "base" });
  }

  return (accountId, partition) => {
    const own: RoleSettings | undefined = Object.hasOwn(accounts, accountId)
      ? accounts[accountId]
      : undefined;
    const [template, source] =
      flags.roleArn !== undefined
        ? [flags.roleArn, name("roleArn")]
        : env.roleArn !== undefined
          ? [env.roleArn, "S3AP_ROLE_ARN"]
          : own?.roleArn !== undefined
            ? [own.roleArn, `${CONFIG_FILE} accounts.${accountId}.roleArn`]
            : config?.roleArn !== undefined
              ? [config.roleArn, `${CONFIG_FILE} roleArn`]
              : [undefined, ""];
    if (template === undefined) {
      return {
        kind: "missing",
        message:
          `account ${accountId} has no role to assume: ${CONFIG_FILE} sets roles for ` +
          `${configuredAccounts.map((id) => `accounts.${id}`).join(", ")} only; add ` +
          `accounts."${accountId}".roleArn or a top-level roleArn to ${CONFIG_FILE}, or set ` +
          name("roleArn"),
      };
    }
    const externalId =
      flags.externalId ?? env.externalId ?? own?.externalId ?? config?.externalId ?? undefined;
    return {
      kind: "role",
      roleArn: expandRoleArn(template, accountId, partition),
      ...(externalId !== undefined ? { externalId } : {}),
      source,
    };
  };
}
