// Credentials for an S3 Control endpoint on this machine (moto, s3ap's local endpoint): such an
// endpoint checks no signature, so a first run with no AWS setup at all must not fail every
// access point with "no AWS credentials found". Real endpoints keep the SDK's chain untouched.
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";

interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** What is signed with when nothing is configured; visible as such in a local endpoint's log. */
export const PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: "s3ap-loopback-placeholder",
  secretAccessKey: "s3ap-loopback-placeholder",
};

/** True for localhost, 127.0.0.0/8 and ::1: addresses that never leave this machine. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The SDK's default chain (env, profile, SSO, web identity, instance roles), falling back to
 * PLACEHOLDER_CREDENTIALS when it finds nothing; `onPlaceholder` is told once.
 */
export function loopbackCredentials(
  onPlaceholder: () => void,
  chain: AwsCredentialIdentityProvider = fromNodeProviderChain(),
): AwsCredentialIdentityProvider {
  // The chain is asked each time (the SDK caches what it returns until it expires); once it has
  // found nothing, the placeholder stays.
  let placeholder = false;
  return async () => {
    if (placeholder) return PLACEHOLDER_CREDENTIALS;
    try {
      return await chain();
    } catch (error) {
      if (!isNoCredentials(error)) throw error;
      if (!placeholder) onPlaceholder();
      placeholder = true;
      return PLACEHOLDER_CREDENTIALS;
    }
  };
}

function isNoCredentials(error: unknown): boolean {
  return error instanceof Error && error.name === "CredentialsProviderError";
}
