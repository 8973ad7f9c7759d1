// s3ap.yaml's trust, exceptions, remediate and paused through reconcile(): a real repository and
// an in-memory store, on an injected day.
import { afterEach, describe, expect, test } from "vitest";
import { PartsStore } from "../../src/reconcile/change-parts.js";
import { type ReconcileRequest, reconcile } from "../../src/reconcile/reconcile.js";
import type { ReconcileOutcome } from "../../src/reconcile/types.js";
import { withDesiredState } from "../../src/run/desired-state.js";
import { exitCodeOf } from "../../src/run/exit-code.js";
import { ACCOUNT } from "../support/desired.js";
import { MemoryStore } from "../support/memory-store.js";
import {
  createPolicyRepo,
  type PolicyRepo,
  policyYaml,
  readStatementPolicy,
} from "../support/policy-repo.js";

const STRANGER = "999988887777";
const LISTED = "444455556666";
const TODAY = Date.parse("2026-03-01T12:00:00Z");

let repo: PolicyRepo | undefined;
afterEach(() => repo?.remove());

/** Live = the file plus one statement granting `principal` (a widening drift). */
function widened(name: string, principal: string): object {
  const base = readStatementPolicy(ACCOUNT, name) as { Statement: object[] };
  return {
    ...base,
    Statement: [
      ...base.Statement,
      {
        Sid: "Extra",
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}/object/*`,
      },
    ],
  };
}
/** Live grants another role of the account than the file: mixed. No policy at all: narrowing. */
const NARROWED = { Version: "2012-10-17", Statement: [] };

function setUp(config: string) {
  repo = createPolicyRepo({
    "policies/wide.yaml": policyYaml({ accountId: ACCOUNT, name: "wide-ap" }),
    "policies/narrow.yaml": policyYaml({ accountId: ACCOUNT, name: "narrow-ap" }),
    "s3ap.yaml": config,
  });
  repo.commit();
  const store = new MemoryStore()
    .addAccessPoint(
      { accountId: ACCOUNT, region: "us-east-1", name: "wide-ap" },
      widened("wide-ap", STRANGER),
    )
    .addAccessPoint({ accountId: ACCOUNT, region: "us-east-1", name: "narrow-ap" }, NARROWED);
  return store;
}

async function run(
  store: MemoryStore,
  overrides: Partial<ReconcileRequest> = {},
  parts?: PartsStore,
): Promise<ReconcileOutcome> {
  // The files as run/ reads them, s3ap.yaml's dates judged on TODAY.
  const request = await withDesiredState(
    { dir: "policies" },
    repo?.root as string,
    TODAY,
    async (source, state): Promise<ReconcileRequest> => ({
      source,
      state,
      dir: "policies",
      concurrency: 4,
      config: state.config,
    }),
  );
  return reconcile(
    { ...request, ...overrides },
    {
      reader: store,
      writer: store,
      sleep: async () => {},
      now: () => 0,
      today: () => TODAY,
      ...(parts !== undefined ? { parts } : {}),
    },
  );
}

const results = (outcome: ReconcileOutcome) =>
  outcome.status === "applied"
    ? Object.fromEntries(outcome.results.map((r) => [r.change.name, `${r.status}: ${r.message}`]))
    : {};

/** A store that counts how often a change's parts are read back. */
class CountingParts extends PartsStore {
  reads = 0;
  override read(index: number): string {
    this.reads += 1;
    return super.read(index);
  }
}

describe("s3ap.yaml's rules and the changes' report parts", () => {
  test("the rules go over each change as it is planned: apply reads no change's parts back for them", async () => {
    const store = setUp("trust: { accounts: [] }\nremediate: { widening: revert }\n");
    const parts = new CountingParts();
    const outcome = await run(store, { apply: { allowDirty: false, remediate: true } }, parts);
    expect(results(outcome)["wide-ap"]).toBe("applied: written and verified");
    const plan = outcome.status === "applied" ? outcome.plan : undefined;
    const wide = plan?.changes.find((c) => c.name === "wide-ap");
    expect(wide?.driftTrust?.tier).toBe("outside");
    expect(wide?.remediation?.rule).toBe("remediate.widening");
    expect(parts.reads).toBe(0);
  });
});

describe("remediation", () => {
  test("apply --remediate with widening: revert reverts widening drift and reports narrowing drift", async () => {
    const store = setUp("remediate: { widening: revert, narrowing: report }\n");
    const outcome = await run(store, { apply: { allowDirty: false, remediate: true } });
    expect(store.writes().map((w) => w.key)).toEqual([`${ACCOUNT}/us-east-1/wide-ap`]);
    expect(results(outcome)).toEqual({
      "wide-ap": "applied: written and verified",
      "narrow-ap": "reported: held back: remediate.narrowing: report — live narrows access",
    });
    expect(exitCodeOf(outcome)).toBe(0);
    const plan = outcome.status === "applied" ? outcome.plan : undefined;
    expect(plan?.changes.map((c) => [c.name, c.remediation?.rule, c.remediation?.action])).toEqual([
      ["narrow-ap", "remediate.narrowing", "report"],
      ["wide-ap", "remediate.widening", "revert"],
    ]);
  });

  test("without remediate in s3ap.yaml, apply --remediate writes nothing: both default to report", async () => {
    const store = setUp("trust: { accounts: [] }\n");
    const outcome = await run(store, { apply: { allowDirty: false, remediate: true } });
    expect(store.writes()).toEqual([]);
    expect(results(outcome)["wide-ap"]).toBe(
      "reported: held back: remediate.widening: report, the default — live widens access",
    );
  });

  test("a plain apply writes all drift, whatever remediate says", async () => {
    const store = setUp("remediate: { widening: report, narrowing: report }\n");
    await run(store, { apply: { allowDirty: false } });
    expect(store.writes()).toHaveLength(2);
  });

  test("paused: every run reports only, until the date", async () => {
    const store = setUp("paused: { reason: INC-42 rollback, until: 2026-03-01 }\n");
    const outcome = await run(store, { apply: { allowDirty: false } });
    expect(store.writes()).toEqual([]);
    expect(results(outcome)["wide-ap"]).toBe(
      "reported: held back: paused until 2026-03-01 (INC-42 rollback): every run reports only",
    );
    expect(outcome.status === "applied" && outcome.plan.paused).toEqual({
      reason: "INC-42 rollback",
      until: "2026-03-01",
    });
    const ended = setUp("paused: { reason: INC-42 rollback, until: 2026-02-28 }\n");
    await run(ended, { apply: { allowDirty: false } });
    expect(ended.writes()).toHaveLength(2);
  });
});

describe("trust and exceptions", () => {
  test("drift to an account outside trust widens outside trust; to a listed account it does not", async () => {
    const outside = await run(setUp("trust: { accounts: [] }\n"));
    expect(outside.status === "planned" && outside.plan.widensOutsideTrust).toBe(true);
    const wide =
      outside.status === "planned"
        ? outside.plan.changes.find((c) => c.name === "wide-ap")
        : undefined;
    expect(wide?.driftTrust?.outside.map((g) => g.principal)).toEqual([
      `arn:aws:iam::${STRANGER}:root`,
    ]);

    const store = setUp(`trust: { accounts: ["${STRANGER}"] }\n`);
    const within = await run(store);
    expect(within.status === "planned" && within.plan.widensOutsideTrust).toBe(false);
  });

  test("a directory bucket's scope widened out of band reaches outside trust through a grant the file already has", async () => {
    const name = "data--use1-az4--xa-s3";
    const arn = `arn:aws:s3express:us-east-1:${ACCOUNT}:accesspoint/${name}`;
    repo = createPolicyRepo({
      "policies/data.yaml": [
        `accountId: "${ACCOUNT}"`,
        "region: us-east-1",
        `name: ${name}`,
        "scope: { prefixes: [logs/*], permissions: [GetObject] }",
        "policy:",
        '  Version: "2012-10-17"',
        "  Statement:",
        "    - Sid: Partner",
        "      Effect: Allow",
        `      Principal: { AWS: "arn:aws:iam::${STRANGER}:role/partner" }`,
        "      Action: s3express:CreateSession",
        "      Resource: ${accessPointArn}",
        "",
      ].join("\n"),
      "s3ap.yaml": "trust: { accounts: [] }\n",
    });
    repo.commit();
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Partner",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${STRANGER}:role/partner` },
          Action: "s3express:CreateSession",
          Resource: arn,
        },
      ],
    };
    const store = new MemoryStore().addAccessPoint(
      { accountId: ACCOUNT, region: "us-east-1", name },
      policy,
    );
    store.scopes.set(`${ACCOUNT}/us-east-1/${name}`, {
      prefixes: ["logs/*", "tmp/*"],
      permissions: ["GetObject"],
    });
    const outcome = await run(store);
    const change = outcome.status === "planned" ? outcome.plan.changes[0] : undefined;
    // The policies are the same: only policy ∩ scope shows the partner reaching tmp/ (and
    // apply, putting the file's scope back, narrows).
    expect(change).toMatchObject({ action: "update", access: "narrows" });
    expect(change?.driftTrust?.outside.map((g) => `${g.kind} ${g.principal}`)).toEqual([
      `unlisted-account arn:aws:iam::${STRANGER}:role/partner`,
    ]);
    expect(outcome.status === "planned" && outcome.plan.widensOutsideTrust).toBe(true);
  });

  test("an excepted drift is reported as excepted, never written, and no longer pending", async () => {
    const store = setUp(
      [
        `trust: { accounts: ["${STRANGER}"] }`,
        "exceptions:",
        "  - { id: partner-trial, accessPoints: wide-ap, owner: team-data, reason: trial, expires: 2026-03-31 }",
        "  - { id: empty-ok, accessPoints: narrow-ap, owner: team-data, reason: migrating, expires: 2026-03-31 }",
        "",
      ].join("\n"),
    );
    const planned = await run(store);
    expect(planned.status === "planned" && planned.plan.summary.excepted).toBe(2);
    expect(exitCodeOf(planned)).toBe(0);
    const applied = await run(store, { apply: { allowDirty: false } });
    expect(store.writes()).toEqual([]);
    expect(results(applied)["wide-ap"]).toBe(
      'reported: drift reported, not written: exception "partner-trial" of team-data excuses it until 2026-03-31',
    );
  });

  test("an exception can never hide a widening outside trust", async () => {
    const store = setUp(
      "exceptions:\n  - { id: partner-trial, accessPoints: wide-ap, owner: team-data, reason: trial, expires: 2026-03-31 }\n",
    );
    const planned = await run(store);
    const wide =
      planned.status === "planned"
        ? planned.plan.changes.find((c) => c.name === "wide-ap")
        : undefined;
    expect(wide?.exception).toMatchObject({ id: "partner-trial", status: "refused" });
    expect(wide?.exception?.because).toContain("a widening outside trust can never be excepted");
    expect(exitCodeOf(planned)).toBe(2);
    await run(store, { apply: { allowDirty: false } });
    expect(store.writes().map((w) => w.key)).toContain(`${ACCOUNT}/us-east-1/wide-ap`);
  });

  test("an exception can never hide a public grant", async () => {
    const store = setUp(
      `trust: { accounts: ["${LISTED}"] }\nexceptions:\n  - { id: open, accessPoints: "*", owner: web, reason: launch, expires: 2026-03-31 }\n`,
    );
    store.addAccessPoint(
      { accountId: ACCOUNT, region: "us-east-1", name: "wide-ap" },
      widened("wide-ap", "*"),
    );
    const planned = await run(store);
    const wide =
      planned.status === "planned"
        ? planned.plan.changes.find((c) => c.name === "wide-ap")
        : undefined;
    expect(wide?.exception?.status).toBe("refused");
    expect(wide?.exception?.because).toMatch(
      /public as Amazon S3 defines it.*a public grant can never be excepted$/,
    );
  });
});
