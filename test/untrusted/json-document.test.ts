// Plan files and shard matrices are read back against their schemas (schemas/plan.schema.json,
// schemas/shard-matrix.schema.json): every plan s3ap writes passes, field for field, and what it
// does not write is refused with a message naming the file and the field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  MATRIX_GENERATED,
  matrixValidatorCode,
  PLAN_GENERATED,
  planValidatorCode,
  // @ts-expect-error -- plain .mjs build script without types
} from "../../scripts/schema-validator.mjs";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { applyPlan } from "../../src/reconcile/apply.js";
import { storePlan } from "../../src/reconcile/change-parts.js";
import { governPlan } from "../../src/reconcile/govern.js";
import { mergePlans } from "../../src/reconcile/merge-plans.js";
import { plan, withUnmanaged } from "../../src/reconcile/plan.js";
import { planDocument } from "../../src/reconcile/types.js";
import { mergedPlanJsonChunks, renderPlanJson } from "../../src/report/plan-json.js";
import { renderShardMatrix } from "../../src/report/shards.js";
import { joinChunks } from "../../src/report/sinks/json.js";
import { checkedMatrix, checkedPlan } from "../../src/run/plan-file.js";
import { readJsonDocument } from "../../src/untrusted/json-document.js";
import { ACCOUNT, desiredAp, readPolicy } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";
import { policyException } from "../support/policy-exception.js";

const OTHER = "444455556666";

/** A plan with every kind of change, diff, verdict, analyzer result and unmanaged access point. */
async function richPlan() {
  const create = desiredAp("to-create");
  const update = desiredAp("to-update");
  const same = desiredAp("same");
  const gone = desiredAp("to-delete", { policy: null });
  const broken = desiredAp("broken");
  const outposts = desiredAp("sensors", { outpostId: "op-0123456789abcdef0", accountId: OTHER });
  const orphanLive = readPolicy(update.arn, "AROAEXAMPLEID1234567");
  const live = new Map<string, LiveState>([
    [accessPointKey(create), { kind: "none" }],
    [accessPointKey(update), { kind: "policy", policy: orphanLive }],
    [accessPointKey(same), { kind: "policy", policy: readPolicy(same.arn) }],
    [accessPointKey(gone), { kind: "policy", policy: readPolicy(gone.arn) }],
    [accessPointKey(broken), { kind: "error", code: "AccessDenied", message: "access denied" }],
    [accessPointKey(outposts), { kind: "none" }],
  ]);
  const planned = plan([create, update, same, gone, broken, outposts], live, "a".repeat(40), {
    explain: true,
  });
  const whole = planDocument(planned);
  const withAnalyzer = storePlan({
    ...whole,
    changes: whole.changes.map((change) =>
      change.name === "to-update"
        ? {
            ...change,
            accessAnalyzer: {
              findings: [
                {
                  findingType: "SECURITY_WARNING" as const,
                  issueCode: "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                  details: "details",
                  learnMoreLink: "https://docs.aws.amazon.com/",
                  path: [
                    { value: "Statement" },
                    { index: 0 },
                    { substring: { start: 0, length: 3 } },
                  ],
                  span: { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } },
                },
              ],
              noPublicAccess: { result: "PASS" as const, message: "ok", reasons: [] },
              noNewAccess: {
                result: "FAIL" as const,
                message: "new access",
                reasons: [{ description: "grants", statementIndex: 0, statementId: "Read" }],
              },
            },
            line: 5,
            origin: "change+drift" as const,
            changeAccess: "widens" as const,
            changeAccessReasons: [{ direction: "widens" as const, text: "adds a principal" }],
            ...(change.diff !== null ? { changeDiff: change.diff, driftDiff: change.diff } : {}),
            // Live names a deleted role by its unique id: it gains what the role loses.
            driftAccess: "mixed" as const,
            driftAccessReasons: [],
            attribution: {
              status: "found" as const,
              windowDays: 90,
              events: [
                {
                  eventName: "PutAccessPointPolicy",
                  eventId: "e-1",
                  time: "2026-12-01T10:00:00Z",
                  actor: {
                    kind: "sso-user" as const,
                    name: "alice@example.com",
                    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_1/alice`,
                    permissionSet: "Admin",
                  },
                  sourceIp: "192.0.2.1",
                  userAgent: "console.amazonaws.com",
                  agent: "console" as const,
                  s3ap: false,
                },
              ],
              text: "alice@example.com in the console",
            },
          }
        : change.name === "to-create"
          ? { ...change, origin: "change" as const, baseFile: "new" as const }
          : change,
    ),
    attribution: { enabled: true, windowDays: 90, warnings: [] },
    only: { patterns: ["111122223333/**", "*-ap"], selected: 6, declared: 9 },
    base: {
      ref: "HEAD",
      commit: "b".repeat(40),
      warnings: ["policies/old.yaml did not validate at the base revision"],
      released: [
        {
          accountId: ACCOUNT,
          region: "us-east-1",
          name: "released",
          arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/released`,
          file: "policies/released.yaml",
        },
      ],
    },
  });
  const unmanaged = withUnmanaged(
    withAnalyzer,
    { enabled: true, warnings: ["denied in eu-west-1"] },
    [
      {
        accountId: ACCOUNT,
        region: "us-east-1",
        name: "legacy",
        arn: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/legacy`,
        hasPolicy: null,
      },
    ],
  );
  // s3ap.yaml's rules: trust verdicts, an excepted drift, remediation decisions and a pause.
  const full = governPlan(
    unmanaged,
    (change) =>
      change.name === "to-delete"
        ? { origin: "drift", base: null }
        : change.name === "to-update"
          ? { origin: "change+drift", base: readPolicy(update.arn) }
          : change.name === "sensors"
            ? { origin: "change+drift", base: readPolicy(outposts.arn) }
            : undefined,
    {
      now: Date.parse("2026-03-20T00:00:00Z"),
      config: {
        accounts: {},
        trust: { organizationId: "o-a1b2c3d4e5", accounts: [OTHER] },
        exceptions: [
          policyException({
            id: "keep-it",
            accessPoints: "to-delete",
            reason: "migrating",
            ticket: "DATA-1",
          }),
          // Live lost sensors' policy, and its file changes too: merging writes over the drift.
          policyException({
            id: "over-it",
            accessPoints: "sensors",
            reason: "console trial",
            expires: "2026-12-31",
          }),
        ],
        remediate: { widening: "revert", narrowing: "report" },
        paused: { reason: "INC-1", until: "2026-03-25", untilPosition: { line: 9, col: 10 } },
      },
    },
  );
  const store = new MemoryStore();
  for (const change of full.changes) store.addAccessPoint(change);
  const results = await applyPlan(full, {
    reader: store,
    writer: store,
    concurrency: 2,
    sleep: async () => {},
    now: () => 0,
    holdBack: (change) => (change.name === "to-create" ? "held back: paused" : undefined),
  });
  return { plan: full, results };
}

test("the committed validators are what scripts/schema-validator.mjs generates from the schemas", () => {
  for (const [path, code] of [
    [PLAN_GENERATED, planValidatorCode()],
    [MATRIX_GENERATED, matrixValidatorCode()],
  ] as const) {
    const committed = readFileSync(join(import.meta.dirname, "..", "..", path), "utf8");
    expect(committed === code, `${path} is stale: run node scripts/schema-validator.mjs`).toBe(
      true,
    );
  }
});

describe("every plan s3ap writes passes its schema, unchanged", () => {
  test("a plan, an applied plan and a refused one", async () => {
    const { plan: full, results } = await richPlan();
    expect(full.changes.map((c) => c.action).sort()).toEqual([
      "create",
      "create",
      "delete",
      "error",
      "noop",
      "update",
    ]);
    expect(full.widensOutsideTrust).toBe(true);
    expect(full.paused?.until).toBe("2026-03-25");
    expect(full.exceptionsExpiring?.map((e) => [e.id, e.daysLeft])).toEqual([["keep-it", 11]]);
    expect(full.changes.find((c) => c.name === "to-delete")?.exception?.status).toBe("excepted");
    expect(full.changes.find((c) => c.name === "sensors")?.exception?.status).toBe("overridden");
    expect(results.map((r) => r.status)).toContain("reported");
    for (const json of [
      renderPlanJson(full),
      renderPlanJson(full, { results, retries: 3 }),
      renderPlanJson(full, undefined, { kind: "max-changes", writes: 4, limit: 2 }),
    ]) {
      expect(JSON.parse(JSON.stringify(checkedPlan(json, "plan.json")))).toEqual(JSON.parse(json));
    }
  });

  test("a merged plan with missing accounts, refused shards and applied ones", async () => {
    const { plan: full } = await richPlan();
    const refused = JSON.parse(
      renderPlanJson(full, undefined, { kind: "max-changes", writes: 4, limit: 2 }),
    );
    // A shard that applied nothing of its own but retried its reads.
    const applied = JSON.parse(
      renderPlanJson({ ...full, changes: [] }, { results: [], retries: 2 }),
    );
    const merged = mergePlans(
      [
        { name: "shard/plan.json", plan: refused },
        { name: "applied/plan.json", plan: applied },
      ],
      [ACCOUNT, OTHER, "777788889999"],
    );
    const json = joinChunks(mergedPlanJsonChunks(merged));
    expect(merged.refusedShards).toHaveLength(1);
    expect(merged.retries).toBe(2);
    expect(merged.missingAccounts).toEqual(["777788889999"]);
    expect(JSON.parse(JSON.stringify(checkedPlan(json, "merged.json")))).toEqual(JSON.parse(json));
  });

  test("the shard matrix", () => {
    const text = renderShardMatrix([
      { shard: ACCOUNT, accounts: `${ACCOUNT},${OTHER}`, regions: ["us-east-1"], accessPoints: 3 },
    ]);
    expect(checkedMatrix(text, "matrix")).toEqual(JSON.parse(text));
  });
});

describe("what s3ap does not write is refused, naming the file and the field", () => {
  const base = () =>
    JSON.parse(
      renderPlanJson({
        formatVersion: 1,
        commit: null,
        dirty: true,
        noCommit: "not a git repository",
        summary: { create: 0, update: 0, delete: 0, noop: 0, error: 0, unmanaged: 0 },
        changes: [],
        unmanaged: [],
        discovery: { enabled: false, warnings: [] },
      }),
    );

  test.each([
    ["an unknown top-level field", { extra: 1 }, 'the document has the unknown field "extra"'],
    ["another format version", { formatVersion: 2 }, "/formatVersion must be 1"],
    ["a commit that is no SHA", { commit: "HEAD; rm -rf /" }, "/commit"],
    ["a refusal s3ap never writes", { refusal: { kind: "dirty" } }, "/refusal"],
    ["retries that are no count", { results: [], retries: -1 }, "/retries must be >= 0"],
    ["missing accounts that are no account ids", { missingAccounts: ["x"] }, "/missingAccounts/0"],
  ])("%s", (_, patch, expected) => {
    expect(() => checkedPlan(JSON.stringify({ ...base(), ...patch }), "p.json")).toThrow(
      `p.json is not an s3ap plan (schemas/plan.schema.json): `,
    );
    expect(() => checkedPlan(JSON.stringify({ ...base(), ...patch }), "p.json")).toThrow(expected);
  });

  test("keys of JavaScript's prototype machinery, at any depth", () => {
    const text = JSON.stringify(base()).replace('"discovery":{', '"discovery":{"__proto__":{},');
    const read = readJsonDocument(text, "plan", "p.json");
    expect(read).toEqual({
      ok: false,
      message: expect.stringContaining("prototype machinery"),
    });
  });

  test("text that is not JSON, or nested without end", () => {
    expect(readJsonDocument("{", "plan", "p.json")).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        "p.json is not an s3ap plan (schemas/plan.schema.json): it is not JSON",
      ),
    });
    expect(
      readJsonDocument(`${"[".repeat(100)}${"]".repeat(100)}`, "plan", "p.json"),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("nested deeper than 64"),
    });
  });

  test("a matrix whose accounts are not account ids", () => {
    const text = JSON.stringify({
      include: [{ shard: "x", accounts: "1111,2222", regions: [], accessPoints: 1 }],
    });
    expect(() => checkedMatrix(text, "input shards")).toThrow(
      "input shards is not the shard matrix printed by s3ap accounts --format json (schemas/shard-matrix.schema.json): /include/0/accounts",
    );
  });
});
