// Keeps one SigV4 signer per auth scheme for a client, instead of one built per request, and
// each signer keeps the signing keys it derived.
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";

type SignerProvider = S3ControlClient["config"]["signer"];
type AuthScheme = Parameters<SignerProvider>[0];

function schemeKey(scheme: AuthScheme): string {
  if (scheme === undefined) return "";
  return `${scheme.name}\u0000${scheme.signingName ?? ""}\u0000${scheme.signingRegion ?? ""}`;
}

/**
 * Memoises `client.config.signer` per auth scheme (name, signing name and region).
 *
 * NOTE: no client option does this. The SDK's signer provider builds a new signer on every
 * request, from a copy of the whole client configuration, only to sign once with the scheme's
 * signing name and region, which it passes to sign() anyway: a few percent of a plan's CPU.
 * A signer holds nothing between requests but its constructor's settings (credential provider,
 * region, service, hash, path escaping), all fixed for the client's life: s3ap never replaces a
 * client's credentials after it is built (a role gets a client of its own), and the credentials
 * are still asked for on every request. A provider that fails is asked again next time.
 */
export function reuseSigners(client: S3ControlClient): void {
  const build: SignerProvider = client.config.signer;
  const signers = new Map<string, ReturnType<SignerProvider>>();
  client.config.signer = (scheme) => {
    const key = schemeKey(scheme);
    let signer = signers.get(key);
    if (signer === undefined) {
      signer = build(scheme);
      signers.set(key, signer);
      signer.catch(() => signers.delete(key));
    }
    return signer;
  };
}

type DeriveKey = (
  credentials: AwsCredentialIdentity,
  region: string,
  shortDate: string,
  service?: string,
) => Promise<Uint8Array>;

// SignatureV4 declares its key derivation private; test/aws/signer-cache.test.ts fails if an
// upgrade renames it (signing would still be right, only the keys no longer kept).
const deriveKey = (SignatureV4.prototype as unknown as { getSigningKey: DeriveKey }).getSigningKey;

/**
 * SigV4 that keeps the signing keys it derived, per credentials object, day, region and service
 * (given to the client as its `signerConstructor`).
 *
 * NOTE: the SDK caches derived keys too, but finds them by an HMAC of the secret key, computed
 * again on every request: one of the three hashes each signature costs. The credential providers
 * return the same object until the credentials are refreshed, so the object itself is the key
 * here (held weakly: refreshed credentials derive anew and the old keys go with the old object).
 */
export class KeyCachingSignatureV4 extends SignatureV4 {
  readonly #keys = new WeakMap<AwsCredentialIdentity, Map<string, Promise<Uint8Array>>>();

  /** The key that signs for `credentials` on `shortDate` in `region` for `service`. */
  signingKeyFor(
    credentials: AwsCredentialIdentity,
    region: string,
    shortDate: string,
    service?: string,
  ): Promise<Uint8Array> {
    let derived = this.#keys.get(credentials);
    if (derived === undefined) {
      derived = new Map();
      this.#keys.set(credentials, derived);
    }
    const key = `${shortDate}\u0000${region}\u0000${service ?? ""}`;
    const known = derived.get(key);
    if (known !== undefined) return known;
    // A new day's keys replace the day before's: a long run keeps one entry per region/service.
    if (derived.keys().next().value?.startsWith(shortDate) === false) derived.clear();
    const fresh = deriveKey.call(this, credentials, region, shortDate, service);
    const keys = derived;
    keys.set(key, fresh);
    fresh.catch(() => keys.delete(key));
    return fresh;
  }
}

Object.defineProperty(KeyCachingSignatureV4.prototype, "getSigningKey", {
  value: KeyCachingSignatureV4.prototype.signingKeyFor,
});
