// The one place a run (plan, apply, import) turns --role-arn / --external-id, the environment and
// s3ap.yaml into per-account credentials for the S3 Control store.

import { roleSessionName } from "../access-point/role-arn.js";
import type { OptionName } from "../errors.js";
import { type RepositoryConfig, type RoleSettings, resolveAccountRoles } from "./account-roles.js";
import {
  type AccountCredentials,
  type AssumeRole,
  createAccountCredentials,
} from "./assume-role.js";

export interface RunCredentialsRequest {
  /** --role-arn / --external-id, or the action's role-arn / external-id inputs. */
  flags: RoleSettings;
  env: NodeJS.ProcessEnv;
  /** s3ap.yaml of the desired state's repository (loadS3apConfig), or null. */
  config: RepositoryConfig | null;
  /** The command, for the STS session name: plan, apply, import. */
  command: string;
  commit: string | null;
  now: () => number;
  /** Tests replace STS. */
  assumeRole?: AssumeRole;
  /** How messages name --role-arn and --external-id: the entry's words. */
  optionName?: OptionName;
}

/**
 * Credentials per account for the store, or undefined when no role is configured anywhere: then
 * every request is signed by the SDK's default chain, exactly as without roles.
 * Throws InputError for a bad template or ExternalId on the command line or in the environment.
 */
export function runCredentials(request: RunCredentialsRequest): AccountCredentials | undefined {
  const roleFor = resolveAccountRoles({
    flags: request.flags,
    env: request.env,
    config: request.config,
    ...(request.optionName !== undefined ? { optionName: request.optionName } : {}),
  });
  if (roleFor("000000000000", "aws").kind === "base") return undefined;
  return createAccountCredentials({
    roleFor,
    sessionName: roleSessionName(request.command, request.commit),
    now: request.now,
    env: request.env,
    ...(request.assumeRole !== undefined ? { assumeRole: request.assumeRole } : {}),
  });
}
