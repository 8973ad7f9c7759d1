import { describe, expect, test } from "vitest";
import { resolveAccountRoles } from "../../src/aws/account-roles.js";
import {
  type AssumeRoleRequest,
  createAccountCredentials,
  renewing,
} from "../../src/aws/assume-role.js";
import { AwsError } from "../../src/errors.js";

const A = "111122223333";
const B = "444455556666";
const HOUR = 3_600_000;

/** A fake STS: each AssumeRole returns new keys valid for an hour of the injected clock. */
function fakeSts(clock: { now: number }, refuse: string[] = []) {
  const calls: AssumeRoleRequest[] = [];
  const assumeRole = (request: AssumeRoleRequest) => async () => {
    calls.push(request);
    if (refuse.includes(request.roleArn)) {
      throw Object.assign(new Error("User is not authorized to perform: sts:AssumeRole"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      });
    }
    return {
      accessKeyId: `ASIA${calls.length}`,
      secretAccessKey: "secret",
      sessionToken: "token",
      expiration: new Date(clock.now + HOUR),
    };
  };
  return { calls, assumeRole };
}

const roleFor = resolveAccountRoles({
  flags: { roleArn: "arn:${partition}:iam::${accountId}:role/s3ap-apply", externalId: "ext-1" },
  env: {},
  config: null,
});

describe("credentials per account", () => {
  test("AssumeRole runs once per account however many requests ask at once", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock);
    const credentials = createAccountCredentials({
      roleFor,
      sessionName: "s3ap-plan-abc",
      now: () => clock.now,
      assumeRole: sts.assumeRole,
      env: {},
    });
    const providers = await Promise.all([
      ...Array.from({ length: 20 }, () => credentials.providerFor(A, "us-east-1")),
      ...Array.from({ length: 20 }, () => credentials.providerFor(B, "eu-west-1")),
    ]);
    const keys = await Promise.all(providers.map((p) => p?.()));
    expect(sts.calls.map((c) => c.roleArn)).toEqual([
      `arn:aws:iam::${A}:role/s3ap-apply`,
      `arn:aws:iam::${B}:role/s3ap-apply`,
    ]);
    expect(sts.calls[0]).toEqual({
      roleArn: `arn:aws:iam::${A}:role/s3ap-apply`,
      externalId: "ext-1",
      sessionName: "s3ap-plan-abc",
      region: "us-east-1",
    });
    expect(new Set(keys.slice(0, 20).map((k) => k?.accessKeyId))).toEqual(new Set(["ASIA1"]));
    expect(new Set(keys.slice(20).map((k) => k?.accessKeyId))).toEqual(new Set(["ASIA2"]));
    expect(credentials.usesRoles).toBe(true);
  });

  test("credentials are renewed before they expire on a long run (injected clock)", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock);
    const credentials = createAccountCredentials({
      roleFor,
      sessionName: "s3ap-apply-abc",
      now: () => clock.now,
      assumeRole: sts.assumeRole,
      renewBeforeMs: 10 * 60_000,
      env: {},
    });
    const provider = await credentials.providerFor(A, "us-east-1");
    expect((await provider?.())?.accessKeyId).toBe("ASIA1");
    clock.now = 49 * 60_000;
    expect((await provider?.())?.accessKeyId).toBe("ASIA1");
    clock.now = 50 * 60_000; // 10 minutes before expiry
    const renewed = await Promise.all([provider?.(), provider?.()]);
    expect(renewed.map((c) => c?.accessKeyId)).toEqual(["ASIA2", "ASIA2"]);
    expect(sts.calls).toHaveLength(2);
    clock.now = 100 * 60_000; // the renewed keys expire at 110 minutes
    expect((await provider?.())?.accessKeyId).toBe("ASIA3");
  });

  test("a refused role fails its account only, with one error naming the role, the account and what to check", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock, [`arn:aws:iam::${B}:role/s3ap-apply`]);
    const credentials = createAccountCredentials({
      roleFor,
      sessionName: "s3ap-plan-abc",
      now: () => clock.now,
      assumeRole: sts.assumeRole,
      env: {},
    });
    await expect(credentials.providerFor(A, "us-east-1")).resolves.toBeTypeOf("function");
    const failures = await Promise.allSettled([
      credentials.providerFor(B, "us-east-1"),
      credentials.providerFor(B, "eu-west-1"),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe("rejected");
      const error = (failure as PromiseRejectedResult).reason as AwsError;
      expect(error).toBeInstanceOf(AwsError);
      expect(error.code).toBe("AssumeRoleFailed");
      expect(error.message).toContain(`arn:aws:iam::${B}:role/s3ap-apply`);
      expect(error.message).toContain(`account ${B}`);
      expect(error.message).toMatch(/trust policy.*sts:AssumeRole.*with this ExternalId/);
      expect(error.message).toContain("AccessDenied");
    }
    // Not retried per access point: one AssumeRole per account.
    expect(sts.calls.filter((c) => c.roleArn.includes(B))).toHaveLength(1);
  });

  test("no base credentials to call STS with are said as such, not blamed on the role's trust policy", async () => {
    const credentials = createAccountCredentials({
      roleFor,
      sessionName: "s",
      now: () => 0,
      assumeRole: () => async () => {
        throw Object.assign(new Error("Could not load credentials from any providers"), {
          name: "CredentialsProviderError",
        });
      },
      env: {},
    });
    const error = await credentials.providerFor(A, "us-east-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({ code: "NoCredentials" });
    expect((error as AwsError).message).toContain(
      `cannot assume role arn:aws:iam::${A}:role/s3ap-apply (from --role-arn) for account ${A}: s3ap has no AWS credentials to call sts:AssumeRole with (Could not load credentials from any providers)`,
    );
    expect((error as AwsError).message).not.toContain("trust policy");
  });

  test("STS is called in the process's region when it is in the account's partition", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock);
    const credentials = createAccountCredentials({
      roleFor,
      sessionName: "s",
      now: () => clock.now,
      assumeRole: sts.assumeRole,
      env: { AWS_REGION: "eu-central-1" },
    });
    await credentials.providerFor(A, "us-east-1");
    await credentials.providerFor(B, "cn-north-1");
    expect(sts.calls.map((c) => c.region)).toEqual(["eu-central-1", "cn-north-1"]);
  });

  test("without a role no provider is made and nothing is assumed", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock);
    const credentials = createAccountCredentials({
      roleFor: resolveAccountRoles({ flags: {}, env: {}, config: null }),
      sessionName: "s",
      now: () => clock.now,
      assumeRole: sts.assumeRole,
    });
    expect(await credentials.providerFor(A, "us-east-1")).toBeUndefined();
    expect(sts.calls).toEqual([]);
    expect(credentials.usesRoles).toBe(false);
  });
});

describe("renewing()", () => {
  test("a failed renewal is retried by the next caller, not remembered", async () => {
    let now = 0;
    let attempt = 0;
    const provider = renewing(
      async () => {
        attempt += 1;
        if (attempt === 2) throw new Error("throttled");
        return {
          accessKeyId: `K${attempt}`,
          secretAccessKey: "s",
          expiration: new Date(now + HOUR),
        };
      },
      () => now,
      60_000,
    );
    expect((await provider()).accessKeyId).toBe("K1");
    now = HOUR;
    await expect(provider()).rejects.toThrow("throttled");
    expect((await provider()).accessKeyId).toBe("K3");
  });
});
