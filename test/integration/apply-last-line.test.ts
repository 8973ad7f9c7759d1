// Apply's last line names what failed, on the screen a user sees: stdout and stderr on one
// terminal (a pty, through `script`) or one pipe (`2>&1`), with a warning in the policy files and
// an access point that fails. The real CLI against the local endpoint.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { ACCOUNT } from "../support/account.js";
import { CLI_PATH } from "../support/cli.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

let endpoint: LocalEndpoint;
let repo: PolicyRepo;

/** A valid file with a warning: two statements share a Sid. */
const repeatedSid = [
  `accountId: "${ACCOUNT}"`,
  "region: us-east-1",
  "name: shared-sid-ap",
  "policy:",
  '  Version: "2012-10-17"',
  "  Statement:",
  "    - Sid: Read",
  "      Effect: Allow",
  `      Principal: { AWS: "arn:aws:iam::${ACCOUNT}:role/reader" }`,
  "      Action: s3:GetObject",
  "      Resource: ${accessPointArn}/object/*",
  "    - Sid: Read",
  "      Effect: Allow",
  `      Principal: { AWS: "arn:aws:iam::${ACCOUNT}:role/auditor" }`,
  "      Action: s3:GetObject",
  "      Resource: ${accessPointArn}/object/*",
  "",
].join("\n");

beforeAll(async () => {
  endpoint = await startLocalEndpoint({
    denyAccessPoints: ["locked-ap"],
    seedDocument: {
      accessPoints: [
        { accountId: ACCOUNT, name: "shared-sid-ap", bucket: "b1" },
        { accountId: ACCOUNT, name: "locked-ap", bucket: "b2" },
      ],
    },
  });
  repo = createPolicyRepo({
    "policies/shared-sid-ap.yaml": repeatedSid,
    "policies/locked-ap.yaml": policyYaml({ accountId: ACCOUNT, name: "locked-ap" }),
  });
  repo.commit();
});
afterAll(async () => {
  repo?.remove();
  await endpoint?.close();
});

/** Runs `command` in a shell in the repository; resolves with everything the one stream got. */
function combined(command: string): Promise<{ code: number | null; output: string }> {
  const child = spawn("sh", ["-c", command], {
    cwd: repo.root,
    env: { ...process.env, ...TEST_AWS_ENV, NO_COLOR: "1", S3AP_CLI: CLI_PATH },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The lines a terminal shows last: control sequences gone, carriage returns as line breaks. */
function screenLines(output: string): string[] {
  return (
    output
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
      .split(/\r\n|\r|\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line !== "")
  );
}

const apply = () =>
  `"${process.execPath}" "$S3AP_CLI" apply --endpoint-url ${endpoint.url} --allow-dirty`;

describe("apply's last line names what failed, with a warning in the files", () => {
  test("stdout and stderr on one pipe", async () => {
    endpoint.reset();
    const { code, output } = await combined(`${apply()} 2>&1`);
    expect(code).toBe(1);
    const lines = screenLines(output);
    expect(output).toContain("is also used by another statement");
    expect(lines.at(-1)).toBe(`Failed: ${ACCOUNT}/us-east-1/locked-ap.`);
    // The warning is shown before the results, and the plan before the writes.
    const warning = lines.findIndex((l) => l.includes("is also used by another statement"));
    const results = lines.findIndex((l) => l.startsWith("s3ap apply"));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(results);
  });

  test("stdout and stderr on one terminal (a pty), progress bar included", async () => {
    endpoint.reset();
    // script(1) runs the command on a pty of its own and copies what the pty shows to stdout.
    const { code, output } = await combined(`script -qec '${apply()}' /dev/null < /dev/null`);
    expect(code).toBe(1);
    expect(output).toContain("is also used by another statement");
    expect(screenLines(output).at(-1)).toBe(`Failed: ${ACCOUNT}/us-east-1/locked-ap.`);
  });
});
