// A credential chain that yields nothing is one error naming its cause, before any request: no
// credentials, an AWS_PROFILE that names no profile, an expired SSO session; with roles, the
// roles' trust policies are not blamed. The real CLI, with a home folder of its own.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

const ACCOUNT = "111122223333";
let repo: PolicyRepo;
let home: string;
let endpoint: LocalEndpointProcess;

beforeAll(async () => {
  endpoint = await startLocalEndpointProcess();
  repo = createPolicyRepo({
    "policies/a.yaml": policyYaml({ accountId: ACCOUNT, name: "first-ap" }),
    "policies/b.yaml": policyYaml({ accountId: ACCOUNT, name: "second-ap" }),
    "policies/c.yaml": policyYaml({ accountId: "444455556666", name: "third-ap" }),
  });
  repo.commit();
  home = mkdtempSync(join(tmpdir(), "s3ap-home-"));
  mkdirSync(join(home, ".aws", "sso", "cache"), { recursive: true });
  writeFileSync(
    join(home, ".aws", "config"),
    [
      "[default]",
      "region = us-east-1",
      "[profile dev]",
      "sso_session = corp",
      `sso_account_id = ${ACCOUNT}`,
      "sso_role_name = Admin",
      "region = us-east-1",
      "[profile failing]",
      // Counts how often the chain is asked: once by the credential check, never by a read.
      `credential_process = sh -c "echo asked >> '${join(home, "asked")}'; exit 1"`,
      "region = us-east-1",
      "[sso-session corp]",
      "sso_start_url = https://corp.example/start",
      "sso_region = us-east-1",
      "",
    ].join("\n"),
  );
  // The SDK keeps an SSO session's token under the SHA-1 of the session name.
  writeFileSync(
    join(home, ".aws", "sso", "cache", `${createHash("sha1").update("corp").digest("hex")}.json`),
    JSON.stringify({
      accessToken: "expired",
      expiresAt: "2020-01-01T00:00:00Z",
      region: "us-east-1",
      startUrl: "https://corp.example/start",
    }),
  );
});
afterAll(async () => {
  await endpoint?.stop();
  repo?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The CLI with no credentials from the test's own environment, and this home folder. */
const s3ap = (
  args: string[],
  env: NodeJS.ProcessEnv = {},
  endpointUrl = "https://s3-control.example.invalid",
) => runCli([...args, "--endpoint-url", endpointUrl], { cwd: repo.root, env: cliEnv(env) });

/** No credentials from the test's own environment, and this home folder. */
const cliEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  HOME: home,
  USERPROFILE: home,
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: undefined,
  AWS_SHARED_CREDENTIALS_FILE: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  ...env,
});

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("a credential chain that yields nothing is one error naming the cause", () => {
  test("no credentials at all", async () => {
    const result = await s3ap(["plan"]);
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(occurrences(output, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain(
      "s3ap: no AWS credentials: the SDK's default chain (environment, shared config and credentials files, SSO, web identity, container and instance metadata) found none;",
    );
    expect(output).not.toContain("first-ap");
  });

  test("AWS_PROFILE=nope is named, with the profiles there are", async () => {
    const result = await s3ap(["plan", "--format", "json"], { AWS_PROFILE: "nope" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(occurrences(result.stderr, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain(
      "no AWS credentials: AWS_PROFILE=nope names no profile in the shared config or credentials file (~/.aws/config, ~/.aws/credentials: profiles default, dev, failing); set AWS_PROFILE to one of them or add it. Nothing was read or written.",
    );
  });

  test("an expired SSO session says to log in again", async () => {
    const result = await s3ap(["apply"], { AWS_PROFILE: "dev" });
    expect(result.code).toBe(1);
    expect(occurrences(result.stdout + result.stderr, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain(
      "no AWS credentials: the SSO session of profile dev has expired; run aws sso login --profile dev, then run s3ap again.",
    );
  });

  test("with --role-arn, missing base credentials are not blamed on the roles' trust policies", async () => {
    const result = await s3ap([
      "plan",
      "--role-arn",
      "arn:${partition}:iam::${accountId}:role/s3ap-plan",
    ]);
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(occurrences(output, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain(
      "no AWS credentials to assume the accounts' roles with (their trust policies were not tried: s3ap had no identity to call sts:AssumeRole as)",
    );
    expect(output).not.toContain("cannot assume role");
  });

  test("import says it once too", async () => {
    const result = await s3ap(["import", "--account", ACCOUNT, "--region", "us-east-1"], {
      AWS_PROFILE: "nope",
    });
    expect(result.code).toBe(1);
    expect(occurrences(result.stdout + result.stderr, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain("AWS_PROFILE=nope names no profile");
  });
});

describe("no request reaches S3 Control before the credential check", () => {
  // The local endpoint counts every request it is sent. It is reached through 127.0.0.1 written
  // as an IPv4-mapped IPv6 address: s3ap signs requests to a loopback endpoint with placeholder
  // credentials when the chain finds none, and checks no chain for it; this address is not one
  // it takes for loopback, so the run needs real credentials, as it would for a remote endpoint.
  const remote = () => `http://[::ffff:127.0.0.1]:${endpoint.port}`;
  const requests = async () => {
    const stats = (await (await fetch(`${endpoint.url}/__local/stats`)).json()) as {
      total: number;
    };
    return stats.total;
  };
  const planWithout = async (env: NodeJS.ProcessEnv, args: string[] = []) => {
    await endpoint.reset();
    const result = await s3ap(["plan", ...args], env, remote());
    return { result, requests: await requests() };
  };

  test("with credentials, the same plan reaches the endpoint (the count sees what is sent)", async () => {
    const { result, requests } = await planWithout({
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    expect(result.stderr).not.toContain("no AWS credentials");
    expect(requests).toBeGreaterThanOrEqual(3);
  });

  test("no credentials at all: no request, one error", async () => {
    const { result, requests } = await planWithout({});
    expect(result.code).toBe(1);
    expect(occurrences(result.stdout + result.stderr, "no AWS credentials")).toBe(1);
    expect(requests).toBe(0);
  });

  test("AWS_PROFILE=nope: no request, one error naming the profile", async () => {
    const { result, requests } = await planWithout({ AWS_PROFILE: "nope" });
    expect(result.code).toBe(1);
    expect(occurrences(result.stdout + result.stderr, "no AWS credentials")).toBe(1);
    expect(result.stderr).toContain("AWS_PROFILE=nope names no profile");
    expect(requests).toBe(0);
  });

  test("--role-arn without base credentials: no request to S3 Control or STS", async () => {
    const { result, requests } = await planWithout({ AWS_ENDPOINT_URL_STS: remote() }, [
      "--role-arn",
      "arn:${partition}:iam::${accountId}:role/s3ap-plan",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no AWS credentials to assume the accounts' roles with");
    expect(requests).toBe(0);
  });

  test("the chain is asked once, by the check: reads started ahead wait for it", async () => {
    const asked = join(home, "asked");
    // What one resolution of the SDK's default chain runs of the profile's credential_process
    // (the chain may try it more than once), in a process with the CLI's environment.
    rmSync(asked, { force: true });
    const once = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { fromNodeProviderChain } from "@aws-sdk/credential-providers";' +
          "await fromNodeProviderChain()().catch(() => {});",
      ],
      {
        cwd: import.meta.dirname,
        env: { ...cliEnv({ AWS_PROFILE: "failing" }), PATH: process.env.PATH },
      },
    );
    expect(once.status).toBe(0);
    const oneResolution = readFileSync(asked, "utf8");
    expect(oneResolution).toMatch(/^(asked\n)+$/);

    rmSync(asked, { force: true });
    const { result, requests } = await planWithout({ AWS_PROFILE: "failing" });
    expect(result.code).toBe(1);
    expect(occurrences(result.stdout + result.stderr, "no AWS credentials")).toBe(1);
    expect(requests).toBe(0);
    expect(readFileSync(asked, "utf8")).toBe(oneResolution);
  });
});
