// The SDK's default credential chain, asked once per run before any request: a chain that yields
// nothing is one error naming its cause (no credentials at all, an AWS_PROFILE that names no
// profile, an expired SSO session), not one identical error per access point. With roles, these
// are the credentials that call sts:AssumeRole: without them no trust policy was ever tried.
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { loadSharedConfigFiles } from "@smithy/core/config";
import type { AwsCredentialIdentity } from "@smithy/types";
import { AwsError } from "../errors.js";

export type ResolveCredentials = () => Promise<AwsCredentialIdentity>;

export interface BaseCredentialsRequest {
  env: NodeJS.ProcessEnv;
  /** The roles s3ap assumes with these credentials (their sources: --role-arn, s3ap.yaml …). */
  assumesRoles: boolean;
  /** The SDK's default chain unless a test passes another. */
  resolve?: ResolveCredentials;
  /** The profiles of the shared config and credentials files (default: the SDK's loader). */
  profiles?: () => Promise<ReadonlySet<string>>;
}

/** Resolves the default chain once; throws one AwsError (code NoCredentials) naming the cause. */
export async function requireBaseCredentials(request: BaseCredentialsRequest): Promise<void> {
  const resolve = request.resolve ?? fromNodeProviderChain();
  try {
    await resolve();
  } catch (error) {
    const cause = await causeOf(error, request);
    const start = request.assumesRoles
      ? "no AWS credentials to assume the accounts' roles with (their trust policies were not " +
        "tried: s3ap had no identity to call sts:AssumeRole as)"
      : "no AWS credentials";
    throw new AwsError(`${start}: ${cause}. Nothing was read or written.`, "NoCredentials", false);
  }
}

async function causeOf(error: unknown, request: BaseCredentialsRequest): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  const profile = request.env.AWS_PROFILE;
  const named = profile !== undefined && profile !== "" ? `profile ${profile}` : "the profile";
  if (/SSO session .*expired|token is expired|sso.*(expired|refresh)/i.test(message)) {
    const login = profile ? `aws sso login --profile ${profile}` : "aws sso login";
    return `the SSO session of ${named} has expired; run ${login}, then run s3ap again`;
  }
  if (profile !== undefined && profile !== "") {
    const known = await (request.profiles ?? sharedProfiles)().catch(() => new Set<string>());
    if (!known.has(profile)) {
      const listed = [...known].sort();
      return (
        `AWS_PROFILE=${profile} names no profile in the shared config or credentials file ` +
        `(${request.env.AWS_CONFIG_FILE ?? "~/.aws/config"}, ` +
        `${request.env.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials"}: ` +
        `${listed.length > 0 ? `profiles ${listed.join(", ")}` : "no profiles"}); ` +
        "set AWS_PROFILE to one of them or add it"
      );
    }
    return `${named} yields no credentials (the SDK said: ${message}); check its settings`;
  }
  return (
    "the SDK's default chain (environment, shared config and credentials files, SSO, web " +
    "identity, container and instance metadata) found none; set AWS_ACCESS_KEY_ID and " +
    "AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or in GitHub Actions use " +
    `aws-actions/configure-aws-credentials (the SDK said: ${message})`
  );
}

/**
 * Every profile name the shared config and credentials files declare. NOTE: the SDK's loader also
 * returns the other sections of the config file, keyed `sso-session.NAME` and `services.NAME`.
 */
async function sharedProfiles(): Promise<ReadonlySet<string>> {
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  return new Set(
    [...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)].filter(
      (name) => !/^(sso-session|services)\./.test(name),
    ),
  );
}
