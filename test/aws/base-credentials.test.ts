// requireBaseCredentials: one error naming why the default chain yielded nothing.
import { describe, expect, test } from "vitest";
import { requireBaseCredentials } from "../../src/aws/base-credentials.js";
import { AwsError } from "../../src/errors.js";

const failing = (message: string) => async () => {
  throw Object.assign(new Error(message), { name: "CredentialsProviderError" });
};
const profiles = async () => new Set(["default", "dev"]);

async function errorOf(request: Parameters<typeof requireBaseCredentials>[0]): Promise<AwsError> {
  const error = await requireBaseCredentials(request).catch((e: unknown) => e);
  if (!(error instanceof AwsError)) throw new Error("no AwsError");
  expect(error.code).toBe("NoCredentials");
  return error;
}

describe("requireBaseCredentials", () => {
  test("credentials found: nothing to say", async () => {
    const resolve = async () => ({ accessKeyId: "AKIA", secretAccessKey: "s" });
    await expect(
      requireBaseCredentials({ env: {}, assumesRoles: false, resolve }),
    ).resolves.toBeUndefined();
  });

  test("an unknown AWS_PROFILE is named with the profiles there are", async () => {
    const error = await errorOf({
      env: { AWS_PROFILE: "nope", AWS_CONFIG_FILE: "/etc/aws/config" },
      assumesRoles: false,
      resolve: failing("Could not load credentials from any providers"),
      profiles,
    });
    expect(error.message).toBe(
      "no AWS credentials: AWS_PROFILE=nope names no profile in the shared config or credentials file (/etc/aws/config, ~/.aws/credentials: profiles default, dev); set AWS_PROFILE to one of them or add it. Nothing was read or written.",
    );
  });

  test("a known profile without credentials says so and passes on the SDK's words", async () => {
    const error = await errorOf({
      env: { AWS_PROFILE: "dev" },
      assumesRoles: false,
      resolve: failing("Could not resolve credentials using profile: [dev]"),
      profiles,
    });
    expect(error.message).toContain(
      "no AWS credentials: profile dev yields no credentials (the SDK said: Could not resolve credentials using profile: [dev])",
    );
  });

  test("an expired SSO session says how to log in again", async () => {
    const error = await errorOf({
      env: { AWS_PROFILE: "dev" },
      assumesRoles: false,
      resolve: failing(
        "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      ),
      profiles,
    });
    expect(error.message).toBe(
      "no AWS credentials: the SSO session of profile dev has expired; run aws sso login --profile dev, then run s3ap again. Nothing was read or written.",
    );
  });

  test("with roles, the error says the trust policies were never tried", async () => {
    const error = await errorOf({
      env: {},
      assumesRoles: true,
      resolve: failing("Could not load credentials from any providers"),
    });
    expect(error.message).toMatch(
      /^no AWS credentials to assume the accounts' roles with \(their trust policies were not tried: s3ap had no identity to call sts:AssumeRole as\): the SDK's default chain .* found none;/,
    );
  });
});
