// Who changed it: every userIdentity type of the recorded events, read into an actor, a tool and
// one line.
import { describe, expect, test } from "vitest";
import { attributionOf, writeEventOf } from "../../src/reconcile/attribution.js";
import type { PolicyWriteRecord } from "../../src/reconcile/ports.js";
import { type CloudTrailFixture, cloudTrailRecord } from "../support/cloudtrail-records.js";
import { desiredAp } from "../support/desired.js";

const ap = desiredAp("reports-read");

function write(fixture: CloudTrailFixture, eventTime = "2026-03-01T09:12:41Z"): PolicyWriteRecord {
  const record = cloudTrailRecord(fixture, { eventTime });
  return {
    eventId: String(record.eventID),
    eventName: String(record.eventName),
    eventTime: Date.parse(eventTime),
    resources: [ap.arn],
    record,
  };
}
const event = (fixture: CloudTrailFixture) => {
  const e = writeEventOf(write(fixture));
  if (e === null) throw new Error("fixture must read");
  return e;
};

describe("the actor of each userIdentity type", () => {
  test("an IAM Identity Center user editing in the console is that user, with the permission set", () => {
    const e = event("sso-user--console-edit");
    expect(e.actor).toMatchObject({
      kind: "sso-user",
      name: "alice@example.com",
      permissionSet: "AdministratorAccess",
      role: "AWSReservedSSO_AdministratorAccess_4f3c2b1a0e9d8c7b",
    });
    expect(e.agent).toBe("console");
    expect(e.sourceIp).toBe("198.51.100.24");
  });

  test("a source identity names the person behind an SSO role session", () => {
    const e = event("sso-user--source-identity");
    expect(e.actor).toMatchObject({
      kind: "sso-user",
      name: "bob@example.com",
      session: "session-7731",
    });
    expect(e.agent).toBe("cli");
  });

  test("an IAM user, root, an AWS service and a federated user are named as such", () => {
    expect(event("iam-user--cli").actor).toMatchObject({
      kind: "iam-user",
      name: "IAM user carol",
    });
    expect(event("root--console").actor).toMatchObject({
      kind: "root",
      name: "the root user of account 111122223333",
    });
    expect(event("aws-service--cloudformation")).toMatchObject({
      actor: { kind: "aws-service", name: "cloudformation.amazonaws.com" },
      agent: "cloudformation",
    });
    expect(event("federated-user--sdk").actor).toMatchObject({
      kind: "federated-user",
      name: "federated user dave (issued by arn:aws:iam::111122223333:user/federation-broker)",
    });
    expect(event("federated-user--sdk").agent).toBe("sdk");
  });

  test("an Identity Center user without a role session is named by user id and identity store", () => {
    expect(event("identity-center-user--console").actor).toMatchObject({
      kind: "identity-center-user",
      name: "IAM Identity Center user 544894e8-80c1-707f-60e3-3ba6510dfac1 (identity store d-9067642ac7)",
    });
  });

  test("a role session is role and session; Terraform is told from the Go SDK it embeds", () => {
    const e = event("assumed-role--terraform");
    expect(e.actor).toMatchObject({
      kind: "assumed-role",
      name: "role terraform-deployer (session terraform-run-1842)",
    });
    expect(e.agent).toBe("terraform");
    expect(event("assumed-role--github-oidc-sdk").agent).toBe("sdk");
  });

  test("s3ap's user agent marks its writes made with plain credentials too", () => {
    const w = write("iam-user--cli");
    (w.record as { userAgent: string }).userAgent =
      "aws-sdk-js/3.1112.0 ua/2.1 os/linux#6.8.0 lang/js md/nodejs#24.11.0 api/s3-control#3.1112.0 m/E,e s3ap/0.1.0";
    expect(writeEventOf(w)).toMatchObject({ s3ap: true, agent: "s3ap" });
  });

  test("s3ap's own session is recognised and says which run of which commit", () => {
    const e = event("assumed-role--s3ap");
    expect(e.s3ap).toBe(true);
    expect(e.agent).toBe("s3ap");
  });
});

describe("one line per access point", () => {
  test("the newest write is the attribution, with tool, time and source", () => {
    const writes = [
      write("sso-user--console-edit", "2026-03-01T09:12:41Z"),
      write("iam-user--cli", "2026-02-27T10:00:00Z"),
    ];
    const result = attributionOf(ap, writes, 7, false);
    expect(result.status).toBe("found");
    expect(result.events.map((e) => e.actor.kind)).toEqual(["sso-user", "iam-user"]);
    expect(result.text).toBe(
      "PutAccessPointPolicy by alice@example.com (IAM Identity Center, permission set AdministratorAccess) in the AWS console, 2026-03-01 09:12 UTC from 198.51.100.24",
    );
  });

  test("s3ap's own writes say so", () => {
    expect(attributionOf(ap, [write("assumed-role--s3ap")], 7, false).text).toBe(
      "PutAccessPointPolicy by s3ap itself (apply of commit 4f0c1e2a9b3d) as role s3ap-apply (session s3ap-apply-4f0c1e2a9b3d), 2026-03-01 09:12 UTC from 203.0.113.9",
    );
  });

  test("s3ap's session in a workflow names the GitHub Actions run; another s3ap session is named as it is", () => {
    const session = (name: string) => {
      const w = write("assumed-role--s3ap");
      const text = JSON.stringify(w.record).replaceAll("s3ap-apply-4f0c1e2a9b3d", name);
      return attributionOf(ap, [{ ...w, record: JSON.parse(text) }], 7, false).text;
    };
    expect(session("s3ap-remediate-run-16342")).toBe(
      "PutAccessPointPolicy by s3ap itself (remediate, GitHub Actions run 16342) as role s3ap-apply (session s3ap-remediate-run-16342), 2026-03-01 09:12 UTC from 203.0.113.9",
    );
    expect(session("s3ap-apply-uncommitted")).toContain(
      "by s3ap itself (apply of uncommitted files) as role",
    );
    expect(session("s3ap-plan-pr-12")).toContain(
      "by s3ap itself as role s3ap-apply (session s3ap-plan-pr-12),",
    );
  });

  test("writes to another access point or account are not this one's", () => {
    const other = { ...write("iam-user--cli"), resources: [] };
    (other.record as { requestParameters: { name: string } }).requestParameters.name = "other";
    const elsewhere = { ...write("iam-user--cli"), resources: [] };
    (elsewhere.record as { recipientAccountId: string }).recipientAccountId = "444455556666";
    const byName = { ...write("iam-user--cli"), resources: [] };
    const result = attributionOf(ap, [other, elsewhere, byName], 7, false);
    expect(result.events).toHaveLength(1);
  });

  test("nothing found says how far back CloudTrail was searched", () => {
    expect(attributionOf(ap, [], 7, false)).toEqual({
      status: "not-found",
      windowDays: 7,
      events: [],
      text: "no write to the policy of 111122223333/us-east-1/reports-read found in CloudTrail in the last 7 days",
    });
  });
});
