// A directory-bucket access point's verdict over policy ∩ scope: a request is a session used for
// one operation on one key, allowed only if the policy allows the session and the scope lets the
// operation and key through. Every direction claimed is shown by such a request.
import { describe, expect, test } from "vitest";
import type { AccessPointScope, PolicyDocument } from "../../src/model.js";
import type { AccessVerdict } from "../../src/policy/access-verdict.js";
import { sameScope, scopedAccessVerdict } from "../../src/policy/scope-access.js";
import { verdictOptions } from "../../src/reconcile/verdict-options.js";

const OWN = "111122223333";
const STRANGER = "444455556666";
const ARN = `arn:aws:s3express:us-east-1:${OWN}:accesspoint/data--use1-az4--xa-s3`;
const OPTIONS = verdictOptions(ARN, "aws");

const scope = (prefixes: string[], permissions: string[] = []): AccessPointScope => ({
  prefixes,
  permissions,
});

/** Sessions for `accounts`; `readOnly`: only ReadOnly sessions. */
function sessions(accounts: string[], readOnly = false, sid = "Sessions"): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: accounts },
        Action: "s3express:CreateSession",
        Resource: ARN,
        ...(readOnly
          ? { Condition: { StringEquals: { "s3express:SessionMode": "ReadOnly" } } }
          : {}),
      },
    ],
  };
}

function verdict(
  policy: [PolicyDocument | null, PolicyDocument | null],
  scopes: [AccessPointScope | null, AccessPointScope | null],
): AccessVerdict {
  return scopedAccessVerdict(
    { before: policy[0], after: policy[1] },
    { before: scopes[0], after: scopes[1] },
    OPTIONS,
  );
}

const requests = (v: AccessVerdict, direction: "widens" | "narrows") =>
  v.reasons.filter((r) => r.direction === direction && r.request !== undefined);

describe("the verdict over policy ∩ scope", () => {
  const own = sessions([OWN]);

  test("adding a scope narrows, removing it widens, the same scope with the same policy is same", () => {
    expect(verdict([own, own], [null, scope(["logs/*"])]).access).toBe("narrows");
    expect(verdict([own, own], [scope(["logs/*"]), null]).access).toBe("widens");
    expect(
      verdict([own, own], [scope(["a/*"], ["GetObject"]), scope(["a/*"], ["GetObject"])]),
    ).toEqual({ access: "same", reasons: [] });
  });

  test("a reason shows the request: the session, its operation and its key", () => {
    const narrowed = verdict([own, own], [scope(["logs/*"]), scope(["logs/2026/*"])]);
    expect(narrowed.access).toBe("narrows");
    const [first] = requests(narrowed, "narrows");
    expect(first?.request).toMatchObject({
      action: "s3express:CreateSession",
      resource: ARN,
      before: "none",
      after: "deny",
    });
    const context = first?.request?.context ?? {};
    expect(context["scope:key"]).toMatch(/^logs\//);
    expect(context["scope:key"]).not.toMatch(/^logs\/2026\//);
    // Said as the operation on its key, the session after it.
    expect(first?.text).toContain("the desired scope denies");
    expect(first?.text).toContain(
      ` ${context["scope:operation"]} on key "${context["scope:key"]}" in a session (s3express:CreateSession on ${ARN})`,
    );
    expect(Object.keys(context)).not.toContain("scope:prefixreading");
  });

  test("a prefix without * is undecided where its two readings differ: mixed with the reason", () => {
    const v = verdict([own, own], [scope(["logs/"]), scope(["logs/2026/"])]);
    expect(v.access).toBe("mixed");
    // The key "logs/" itself is let through before under both readings, and not after.
    expect(requests(v, "narrows").length).toBeGreaterThan(0);
    expect(v.reasons.map((r) => r.text)).toContain(
      "may widen access: a scope prefix without * may name one key or every key it starts (AWS does not document which)",
    );
  });

  test("none listed lets all eight operations through", () => {
    const v = verdict([own, own], [scope([], ["GetObject"]), scope([], [])]);
    expect(v.access).toBe("widens");
    expect(v.reasons[0]?.text).toBe(
      "scope lets through GetObjectAttributes, ListMultipartUploadParts, ListBucket, ListBucketMultipartUploads, PutObject, DeleteObject, AbortMultipartUpload",
    );
    expect(sameScope(scope([], []), null)).toBe(true);
    expect(sameScope(scope(["a/*"]), null)).toBe(false);
  });

  test("a ReadWrite session is a request of its own, even where the scope lets through only reads", () => {
    // IAM answers CreateSession per session mode: allowing ReadWrite sessions newly allows
    // those requests, though the scope lets them do only what a ReadOnly session could.
    const v = verdict(
      [sessions([OWN, STRANGER], true), sessions([OWN, STRANGER])],
      [scope([], ["GetObject", "ListBucket"]), scope([], ["GetObject", "ListBucket"])],
    );
    expect(v.access).toBe("widens");
    for (const r of requests(v, "widens")) {
      expect(r.request?.context["s3express:sessionmode"]).toBe("ReadWrite");
      expect(["GetObject", "ListBucket"]).toContain(r.request?.context["scope:operation"]);
    }
  });

  test("a scope that adds writes widens nothing for a policy that allows only ReadOnly sessions", () => {
    const readOnly = sessions([STRANGER], true);
    const v = verdict(
      [readOnly, readOnly],
      [scope([], ["GetObject"]), scope([], ["GetObject", "PutObject"])],
    );
    // Principals of the own account may use read-write sessions through their identity policies:
    // for them the scope widens. The stranger's writes are no longer refused by the scope, but
    // never allowed: its grant is ReadOnly.
    const widened = requests(v, "widens");
    expect(widened.some((r) => r.request?.principal.account === OWN)).toBe(true);
    for (const r of widened) {
      expect(r.request?.context["scope:operation"]).toBe("PutObject");
      if (r.request?.principal.account === STRANGER) expect(r.request.after).toBe("none");
    }
  });

  test("the policy widening while the scope narrows elsewhere is mixed, with both requests", () => {
    const v = verdict(
      [own, sessions([OWN, STRANGER])],
      [scope(["logs/*", "tmp/*"]), scope(["logs/*"])],
    );
    expect(v.access).toBe("mixed");
    const widened = requests(v, "widens").map((r) => r.request);
    expect(widened.some((r) => r?.principal.account === STRANGER)).toBe(true);
    for (const r of widened) expect(r?.context["scope:key"]).toMatch(/^logs\//);
    const narrowed = requests(v, "narrows").map((r) => r.request?.context["scope:key"]);
    expect(narrowed.length).toBeGreaterThan(0);
    for (const key of narrowed) expect(key).toMatch(/^tmp\//);
  });

  test("a grant the new scope shuts out entirely is no widening", () => {
    // The stranger gains sessions, but the scope now lets nothing through that a session of any
    // kind could use: only keys under logs/, and the stranger's grant is ReadOnly while the
    // scope permits only PutObject.
    const v = verdict(
      [
        own,
        {
          Statement: [
            ...(own.Statement as object[]),
            ...(sessions([STRANGER], true, "S").Statement as object[]),
          ],
        },
      ],
      [scope([], ["PutObject"]), scope([], ["PutObject"])],
    );
    expect(v.access).toBe("same");
  });

  test("without a scope on either side the verdict is the policy's own", () => {
    const v = verdict([own, sessions([OWN, STRANGER])], [null, null]);
    expect(v.access).toBe("widens");
    expect(requests(v, "widens")[0]?.request?.context).toEqual({});
  });
});
