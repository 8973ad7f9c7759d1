// Reports show what only some kinds of access point have: a directory bucket's scope, live and
// desired, and a Multi-Region Access Point's Proposed policy; escaped like all text from outside.
import { expect, test } from "vitest";
import { accessPointArn, accessPointKey } from "../../src/access-point/arn.js";
import { MULTI_REGION } from "../../src/access-point/kind.js";
import type { DesiredAccessPoint, PolicyDocument } from "../../src/model.js";
import { plan } from "../../src/reconcile/plan.js";
import { readLive } from "../../src/reconcile/read-live.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { readJsonDocument } from "../../src/untrusted/json-document.js";
import { ACCOUNT, desiredAp } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";
import { renderMarkdown, visibleText } from "./sinks/render-markdown.js";

const DIRECTORY = { accountId: ACCOUNT, region: "us-east-1", name: "reports--use1-az4--xa-s3" };
const GLOBAL = { accountId: ACCOUNT, region: MULTI_REGION, name: "global", alias: "abc9.mrap" };

const grant = (resource: string, action: string, principal = "reader"): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${principal}` },
      Action: action,
      Resource: resource,
    },
  ],
});

async function kindsPlan() {
  const directoryArn = accessPointArn(DIRECTORY);
  const directory: DesiredAccessPoint = desiredAp(DIRECTORY.name, {
    arn: directoryArn,
    policy: grant(directoryArn, "s3express:CreateSession"),
    scope: { prefixes: ["logs/*"], permissions: ["GetObject"] },
  });
  const globalArn = accessPointArn(GLOBAL);
  const global: DesiredAccessPoint = {
    ...desiredAp("placeholder"),
    ...GLOBAL,
    arn: globalArn,
    partition: "aws",
    file: "policies/global.yaml",
    policy: grant(`${globalArn}/object/*`, "s3:GetObject", "new"),
  };
  const store = new MemoryStore()
    .addAccessPoint(directory, directory.policy ?? undefined)
    .addAccessPoint(global, grant(`${globalArn}/object/*`, "s3:GetObject", "old"));
  store.scopes.set(accessPointKey(directory), {
    prefixes: ["logs/*", "tmp/<b>*</b>"],
    permissions: ["GetObject", "PutObject"],
  });
  store.proposed.set(
    accessPointKey(global),
    grant(`${globalArn}/object/*`, "s3:GetObject", "other"),
  );
  const desired = [directory, global];
  return plan(
    desired,
    await readLive(desired, store, { concurrency: 1 }),
    "c0ffee".padEnd(40, "0"),
  );
}

test("the text report shows the scope live and in the file, and the Proposed policy", async () => {
  const text = renderPlanText(await kindsPlan(), { color: false });
  expect(text).toContain(
    "    scope (live): prefixes logs/*, tmp/<b>*</b>; permissions GetObject, PutObject\n",
  );
  expect(text).toContain("    scope (file): prefixes logs/*; permissions GetObject\n");
  expect(text).toContain(
    `    Proposed policy (AWS is still applying it): {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:role/other"}`,
  );
  expect(text).toContain("    access: narrows");
});

test("the Markdown report gives a scope-only change a section, its scope text escaped", async () => {
  const html = renderMarkdown(renderPlanMarkdown(await kindsPlan()));
  expect(html).not.toContain("<b>*</b>");
  const seen = visibleText(html);
  expect(seen).toContain(
    "scope (live): prefixes logs/*, tmp/<b>*</b>; permissions GetObject, PutObject",
  );
  expect(seen).toContain("scope (file): prefixes logs/*; permissions GetObject");
  expect(seen).toContain("Proposed policy (AWS is still applying it):");
  expect(html).toContain('<code class="language-json">{&quot;Version&quot;:&quot;2012-10-17&quot;');
});

test("the plan JSON of every kind is a plan its readers accept (schemas/plan.schema.json)", async () => {
  const text = renderPlanJson(await kindsPlan());
  const read = readJsonDocument(text, "plan", "plan.json");
  expect(read.ok ? "" : read.message).toBe("");
  const changes = JSON.parse(text).changes;
  expect(changes[0]).toMatchObject({ region: "multi-region", proposed: { Version: "2012-10-17" } });
  expect(changes[1].scope).toMatchObject({ changed: true, after: { prefixes: ["logs/*"] } });
});
