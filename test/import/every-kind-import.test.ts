// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy files use ${...} variables
// Import of every kind: FSx-attached (its data source noted), directory-bucket (with its scope)
// and Multi-Region (by name and alias) access points round-trip to a plan with nothing to do.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { MULTI_REGION } from "../../src/access-point/kind.js";
import { AwsError } from "../../src/errors.js";
import { runImport } from "../../src/import/run-import.js";
import { plan } from "../../src/reconcile/plan.js";
import { readLive } from "../../src/reconcile/read-live.js";
import { fileSystemWriter } from "../../src/source/write-new-file.js";
import { loadDesiredState } from "../../src/validate/load-desired-state.js";
import { ACCOUNT } from "../support/account.js";
import { MemoryStore } from "../support/memory-store.js";

const EAST = { accountId: ACCOUNT, region: "us-east-1" };
const DIRECTORY = { ...EAST, name: "reports--use1-az4--xa-s3" };
const FSX = { ...EAST, name: "research-fsx" };
const GLOBAL = {
  accountId: ACCOUNT,
  region: MULTI_REGION,
  name: "global",
  alias: "mfzwi23gnjvgw.mrap",
};

const policy = (resource: string, action: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` },
      Action: action,
      Resource: resource,
    },
  ],
});

let cwd: string;
let store: MemoryStore;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "s3ap-import-kinds-"));
  store = new MemoryStore()
    .addAccessPoint(
      DIRECTORY,
      policy(
        `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${DIRECTORY.name}`,
        "s3express:CreateSession",
      ),
    )
    .addAccessPoint(
      FSX,
      policy(`arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/research-fsx/object/*`, "s3:GetObject"),
    )
    .addAccessPoint(
      GLOBAL,
      policy(`arn:aws:s3::${ACCOUNT}:accesspoint/${GLOBAL.alias}/object/*`, "s3:GetObject"),
    );
  store.scopes.set(accessPointKey(DIRECTORY), { prefixes: ["logs/*"], permissions: ["GetObject"] });
  store.dataSources.set(accessPointKey(FSX), {
    type: "FSX_OPENZFS",
    id: "fsvol-0123456789abcdef0",
  });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const importAll = () =>
  runImport(
    { cwd, dir: "policies", targets: [EAST], mode: "enforce", dryRun: false, concurrency: 2 },
    { reader: store, writer: fileSystemWriter },
  );

test("every kind is imported, validates and plans as in sync", async () => {
  const outcome = await importAll();
  expect(outcome.status === "imported" && outcome.written.map((f) => f.file)).toEqual([
    `policies/${ACCOUNT}/multi-region/global.yaml`,
    `policies/${ACCOUNT}/us-east-1/reports--use1-az4--xa-s3.yaml`,
    `policies/${ACCOUNT}/us-east-1/research-fsx.yaml`,
  ]);
  expect(outcome.status === "imported" && outcome.problems).toEqual([]);
  const file = (path: string) => readFileSync(join(cwd, "policies", ACCOUNT, path), "utf8");
  expect(file("multi-region/global.yaml")).toContain(
    `accountId: "${ACCOUNT}"\nmultiRegionAccessPoint: global\nalias: mfzwi23gnjvgw.mrap\nmode: enforce\n`,
  );
  expect(file("multi-region/global.yaml")).toContain("Resource: ${accessPointArn}/object/*");
  expect(file("us-east-1/reports--use1-az4--xa-s3.yaml")).toContain(
    "scope:\n  prefixes:\n    - logs/*\n  permissions:\n    - GetObject\n",
  );
  expect(file("us-east-1/research-fsx.yaml")).toContain(
    "dataSource:\n  type: FSX_OPENZFS\n  id: fsvol-0123456789abcdef0\n",
  );

  const state = await loadDesiredState({ root: cwd, policiesDir: join(cwd, "policies") });
  expect(state.problems).toEqual([]);
  const planned = plan(
    state.desired,
    await readLive(state.desired, store, { concurrency: 2 }),
    null,
  );
  expect(planned.changes.map((c) => `${c.action} ${c.arn}`)).toEqual([
    `noop arn:aws:s3::${ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`,
    `noop arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/reports--use1-az4--xa-s3`,
    `noop arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/research-fsx`,
  ]);
});

test("a denied listing of directory buckets or Multi-Region Access Points is a note, not a failure", async () => {
  const denied = new AwsError("denied", "AccessDenied", false, 403);
  store.listDirectoryAccessPoints = async () => {
    throw denied;
  };
  store.listMultiRegionAccessPoints = async () => {
    throw denied;
  };
  const outcome = await importAll();
  expect(outcome.status === "imported" && outcome.failures).toEqual([]);
  expect(outcome.status === "imported" && outcome.written.map((f) => f.ref.name)).toEqual([
    "research-fsx",
  ]);
  expect(outcome.status === "imported" && outcome.notes[0]).toBe(
    `not listed, as the listing was denied: the Multi-Region Access Points of account ${ACCOUNT} (s3:ListMultiRegionAccessPoints), the directory buckets of account ${ACCOUNT} in us-east-1 (s3express:ListAccessPointsForDirectoryBuckets); grant that permission to import them.`,
  );
});
