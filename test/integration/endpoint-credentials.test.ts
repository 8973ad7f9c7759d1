// Credentials in --endpoint-url (http://user:password@host) never reach a message, report or log.
import { afterAll, beforeAll, expect, test } from "vitest";
import { runBundledAction } from "../action/bundled-action.js";
import { runCli } from "../support/cli.js";
import { freePort } from "../support/free-port.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

let repo: PolicyRepo;

const decodeReferences = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replaceAll("\u200b", "");
let endpoint: string;

beforeAll(async () => {
  repo = createPolicyRepo({
    "policies/a.yaml": policyYaml({ accountId: "111122223333", name: "reports-ap" }),
  });
  repo.commit();
  // Nobody listens there: every request fails, and the failure names the endpoint.
  endpoint = `http://deploy:hunter2-secret@127.0.0.1:${await freePort()}`;
});
afterAll(() => repo.remove());

test.each([["text"], ["json"], ["markdown"]])(
  "plan --format %s against an endpoint with credentials shows them as ***",
  { timeout: 30_000 },
  async (format) => {
    const result = await runCli(["plan", "--format", format, "--endpoint-url", endpoint], {
      cwd: repo.root,
      env: TEST_AWS_ENV,
    });
    expect(result.code).toBe(1);
    // Markdown shows text through numeric character references; read it as a browser would.
    const output = decodeReferences(result.stdout + result.stderr);
    expect(output).toContain("deploy:***@127.0.0.1");
    expect(output).not.toContain("hunter2");
  },
);

test("a refused --endpoint-url is not echoed with its password", async () => {
  const result = await runCli(["plan", "--endpoint-url", "ftp://deploy:hunter2-secret@host"], {
    cwd: repo.root,
    env: TEST_AWS_ENV,
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("--endpoint-url must use http or https");
  expect(result.stdout + result.stderr).not.toContain("hunter2");
});

test("the action's log, summary and outputs hide them too", { timeout: 30_000 }, async () => {
  const run = await runBundledAction({
    inputs: { command: "plan", "endpoint-url": endpoint },
    workspace: repo.root,
    env: TEST_AWS_ENV,
  });
  expect(run.code).toBe(1);
  const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)];
  expect(everything.join("\n")).toContain("deploy:***@127.0.0.1");
  for (const text of [...everything, run.planJson ?? ""]) expect(text).not.toContain("hunter2");
});
