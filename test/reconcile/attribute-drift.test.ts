// --attribute-drift over an in-memory CloudTrail: one query per (account, region) with drift.
import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { AwsError } from "../../src/errors.js";
import type { LiveState } from "../../src/model.js";
import { attributeDrift, POLICY_WRITE_EVENTS } from "../../src/reconcile/attribute-drift.js";
import { plan } from "../../src/reconcile/plan.js";
import type { ChangeHistory, PolicyWriteRecord } from "../../src/reconcile/ports.js";
import { cloudTrailRecord } from "../support/cloudtrail-records.js";
import { desiredAp, readPolicy } from "../support/desired.js";

const NOW = Date.parse("2026-03-02T00:00:00Z");
const drifted = desiredAp("reports-read");
const inSync = desiredAp("in-sync");
const elsewhere = desiredAp("eu-reports", { region: "eu-west-1" });

function planned() {
  const other = (arn: string): LiveState => {
    const policy = readPolicy(arn, "arn:aws:iam::111122223333:role/other");
    return { kind: "policy", policy };
  };
  const same: LiveState = {
    kind: "policy",
    policy: inSync.policy as object as Record<string, unknown>,
  };
  return plan(
    [drifted, inSync, elsewhere],
    new Map([
      [accessPointKey(drifted), other(drifted.arn)],
      [accessPointKey(inSync), same],
      [accessPointKey(elsewhere), other(elsewhere.arn)],
    ]),
    "abc",
  );
}

function write(eventTime: string): PolicyWriteRecord {
  const record = cloudTrailRecord("sso-user--console-edit", { eventTime });
  return {
    eventId: "e1",
    eventName: "PutAccessPointPolicy",
    eventTime: Date.parse(eventTime),
    resources: [drifted.arn],
    record,
  };
}

class FakeHistory implements ChangeHistory {
  calls: Array<{
    accountId: string;
    region: string;
    names: readonly string[];
    start: number;
    end: number;
  }> = [];
  constructor(private readonly answer: (region: string) => PolicyWriteRecord[] | AwsError) {}
  async policyWrites(
    accountId: string,
    region: string,
    names: readonly string[],
    window: { start: number; end: number },
  ) {
    this.calls.push({ accountId, region, names, ...window });
    const answer = this.answer(region);
    if (answer instanceof AwsError) throw answer;
    return { events: answer, truncated: false };
  }
}

describe("attributing drift", () => {
  test("asks once per account and region with drift, over the window, and attributes each drift", async () => {
    const history = new FakeHistory((region) =>
      region === "us-east-1" ? [write("2026-03-01T09:12:41Z")] : [],
    );
    const result = await attributeDrift(planned(), history, { now: NOW, windowDays: 7 });
    expect(history.calls).toEqual([
      {
        accountId: "111122223333",
        region: "eu-west-1",
        names: POLICY_WRITE_EVENTS,
        start: NOW - 7 * 86_400_000,
        end: NOW,
      },
      {
        accountId: "111122223333",
        region: "us-east-1",
        names: POLICY_WRITE_EVENTS,
        start: NOW - 7 * 86_400_000,
        end: NOW,
      },
    ]);
    const byName = new Map(result.changes.map((c) => [c.name, c]));
    expect(byName.get("reports-read")?.attribution?.status).toBe("found");
    expect(byName.get("reports-read")?.attribution?.events[0]?.actor.name).toBe(
      "alice@example.com",
    );
    expect(byName.get("eu-reports")?.attribution).toMatchObject({
      status: "not-found",
      text: "no write to the policy of 111122223333/eu-west-1/eu-reports found in CloudTrail in the last 7 days",
    });
    expect(byName.get("in-sync")?.attribution).toBeUndefined();
    expect(result.attribution).toEqual({ enabled: true, windowDays: 7, warnings: [] });
  });

  test("a change of the files is no drift: CloudTrail is not asked about it", async () => {
    const history = new FakeHistory(() => [write("2026-03-01T09:12:41Z")]);
    const changed = planned();
    const origins: Record<string, "change" | "drift" | "change+drift"> = {
      "reports-read": "change+drift",
      "eu-reports": "change",
    };
    changed.changes = changed.changes.map((c) => {
      const origin = origins[c.name];
      return origin !== undefined ? { ...c, origin } : c;
    });
    const result = await attributeDrift(changed, history, { now: NOW, windowDays: 7 });
    expect(history.calls.map((c) => c.region)).toEqual(["us-east-1"]);
    const byName = new Map(result.changes.map((c) => [c.name, c]));
    expect(byName.get("reports-read")?.attribution?.status).toBe("found");
    expect(byName.get("eu-reports")?.attribution).toBeUndefined();
  });

  test("denied access is one warning naming cloudtrail:LookupEvents, and the plan stands", async () => {
    const denied = new AwsError(
      "cloudtrail:LookupEvents is denied",
      "AccessDeniedException",
      false,
      400,
    );
    const result = await attributeDrift(planned(), new FakeHistory(() => denied), {
      now: NOW,
      windowDays: 7,
    });
    expect(result.attribution?.warnings).toEqual([
      "cloudtrail:LookupEvents was denied in 1 account: 111122223333 (eu-west-1, us-east-1); grant cloudtrail:LookupEvents to the role s3ap uses there to see who made each drift (the plan goes on without it)",
    ]);
    expect(result.changes.map((c) => c.action)).toEqual(planned().changes.map((c) => c.action));
    expect(result.changes.find((c) => c.name === "reports-read")?.attribution).toMatchObject({
      status: "error",
      text: "not known: cloudtrail:LookupEvents was denied",
    });
  });

  test("another failure is a warning for its account and region only", async () => {
    const history = new FakeHistory((region) =>
      region === "eu-west-1"
        ? new AwsError("CloudTrail kept throttling", "ThrottlingException", true)
        : [],
    );
    const result = await attributeDrift(planned(), history, { now: NOW, windowDays: 7 });
    expect(result.attribution?.warnings).toEqual([
      "who made the drift in account 111122223333, eu-west-1 is not known: CloudTrail kept throttling",
    ]);
    expect(result.changes.find((c) => c.name === "reports-read")?.attribution?.status).toBe(
      "not-found",
    );
  });
});
