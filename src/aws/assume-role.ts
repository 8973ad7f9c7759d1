// Credentials per account: STS AssumeRole through the SDK's own provider (fromTemporaryCredentials)
// from the base credentials, once per account per run, renewed before they expire.
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { partitionOf } from "../access-point/arn.js";
import { AwsError } from "../errors.js";
import type { AccountRole, RoleResolver } from "./account-roles.js";

/** What AssumeRole needs for one account. */
export interface AssumeRoleRequest {
  roleArn: string;
  externalId?: string;
  sessionName: string;
  /** The STS client's region (its regional endpoint, unless AWS_ENDPOINT_URL_STS is set). */
  region: string;
}

/** Fetches a fresh set of credentials for the role (each call is one AssumeRole). */
export type AssumeRole = (request: AssumeRoleRequest) => () => Promise<AwsCredentialIdentity>;

export interface AccountCredentialsOptions {
  roleFor: RoleResolver;
  sessionName: string;
  now: () => number;
  /** Default: the SDK's fromTemporaryCredentials over one shared base credential chain. */
  assumeRole?: AssumeRole;
  /** Credentials are renewed this long before they expire (default 10 minutes). */
  renewBeforeMs?: number;
  /** The process environment, for the STS region (AWS_REGION). */
  env?: NodeJS.ProcessEnv;
}

export interface AccountCredentials {
  /**
   * The provider that signs this account's requests; undefined when no role is configured (the
   * SDK's default chain signs). Rejects with an AwsError when the role cannot be assumed, the
   * same error every time: AssumeRole is not retried per access point.
   */
  providerFor(
    accountId: string,
    region: string,
  ): Promise<AwsCredentialIdentityProvider | undefined>;
  /** Whether any account signs with an assumed role (then clients are per account). */
  readonly usesRoles: boolean;
}

export const DEFAULT_RENEW_BEFORE_MS = 10 * 60_000;
/** AssumeRole's own default and the longest any role allows without raising MaxSessionDuration. */
const SESSION_SECONDS = 3600;

export function createAccountCredentials(options: AccountCredentialsOptions): AccountCredentials {
  const assumeRole = options.assumeRole ?? sdkAssumeRole();
  const renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  const env = options.env ?? process.env;
  const byAccount = new Map<string, Promise<AwsCredentialIdentityProvider | undefined>>();
  let usesRoles = false;

  async function open(
    accountId: string,
    region: string,
    role: AccountRole,
  ): Promise<AwsCredentialIdentityProvider | undefined> {
    switch (role.kind) {
      case "base":
        return undefined;
      case "missing":
        throw new AwsError(role.message, "NoRoleForAccount", false);
      case "role": {
        const fetch = assumeRole({
          roleArn: role.roleArn,
          ...(role.externalId !== undefined ? { externalId: role.externalId } : {}),
          sessionName: options.sessionName,
          region: stsRegion(region, env),
        });
        const provider = renewing(fetch, options.now, renewBeforeMs);
        try {
          await provider();
        } catch (error) {
          throw assumeRoleFailure(error, accountId, role);
        }
        return provider;
      }
    }
  }

  return {
    get usesRoles() {
      return usesRoles;
    },
    providerFor(accountId, region) {
      let pending = byAccount.get(accountId);
      if (pending === undefined) {
        const role = options.roleFor(accountId, partitionOf(region));
        if (role.kind !== "base") usesRoles = true;
        pending = open(accountId, region, role);
        // Every caller awaits the same promise; this only keeps an unobserved failure quiet.
        pending.catch(() => undefined);
        byAccount.set(accountId, pending);
      }
      return pending;
    },
  };
}

/**
 * Caches credentials and fetches new ones once they are within `renewBeforeMs` of expiring.
 * Callers during a renewal share it. The SDK's clients also cache, but by the real clock only:
 * this one takes an injected clock, so renewal on long runs is tested without waiting an hour.
 */
export function renewing(
  fetch: () => Promise<AwsCredentialIdentity>,
  now: () => number,
  renewBeforeMs: number,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let renewAt = Number.POSITIVE_INFINITY;
  return () => {
    if (current === undefined || now() >= renewAt) {
      renewAt = Number.POSITIVE_INFINITY;
      const fetching = fetch().then(
        (credentials) => {
          const expires = credentials.expiration?.getTime();
          renewAt = expires === undefined ? Number.POSITIVE_INFINITY : expires - renewBeforeMs;
          return credentials;
        },
        (error: unknown) => {
          // The next caller tries again rather than inheriting this failure forever.
          if (current === fetching) current = undefined;
          throw error;
        },
      );
      current = fetching;
    }
    return current;
  };
}

/** fromTemporaryCredentials over one base chain shared by every account of the run. */
function sdkAssumeRole(): AssumeRole {
  let base: AwsCredentialIdentityProvider | undefined;
  return (request) => {
    base ??= fromNodeProviderChain();
    const provider = fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(request.externalId !== undefined ? { ExternalId: request.externalId } : {}),
      },
      // NOTE: the STS client resolves AWS_ENDPOINT_URL_STS (and AWS_ENDPOINT_URL) like any SDK
      // client; test/integration/roles-moto.test.ts points it at moto.
      clientConfig: { region: request.region },
    });
    return () => provider();
  };
}

/**
 * STS in the process's region when it is in the account's partition, else in the access point's
 * region. NOTE: a regional STS endpoint in an opt-in region works only where that region is
 * enabled for the calling account, so the account's own region is the fallback, not the default.
 */
function stsRegion(accessPointRegion: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (configured && partitionOf(configured) === partitionOf(accessPointRegion)) return configured;
  return accessPointRegion;
}

function assumeRoleFailure(
  error: unknown,
  accountId: string,
  role: Extract<AccountRole, { kind: "role" }>,
): AwsError {
  const code = (error as { name?: string }).name ?? "Error";
  const text = error instanceof Error ? error.message : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (code === "CredentialsProviderError") {
    // No identity to call STS as: the role and its trust policy were never asked.
    return new AwsError(
      `cannot assume role ${role.roleArn} (from ${role.source}) for account ${accountId}: s3ap ` +
        `has no AWS credentials to call sts:AssumeRole with (${text}); configure the SDK's ` +
        "credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, or web " +
        `identity via GitHub OIDC). Nothing was read or written in account ${accountId}.`,
      "NoCredentials",
      false,
    );
  }
  return new AwsError(
    `cannot assume role ${role.roleArn} (from ${role.source}) for account ${accountId}: ` +
      `${code}: ${text}. Check that the role exists, that its trust policy lets the identity ` +
      `s3ap runs as call sts:AssumeRole${role.externalId !== undefined ? " with this ExternalId" : ""}, ` +
      `and that this identity's own policy allows sts:AssumeRole on ${role.roleArn}. ` +
      `Nothing was read or written in account ${accountId}.`,
    "AssumeRoleFailed",
    false,
    status,
  );
}
