import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { diffPolicies } from "../../src/policy/diff.js";

const fixture = (name: string): PolicyDocument =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/policy", name), "utf8"));

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";
const stmt = (over: Record<string, unknown> = {}) => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:role/reports" },
  Action: "s3:GetObject",
  Resource: `${AP}/object/*`,
  ...over,
});
const doc = (...statements: unknown[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

describe("diffPolicies", () => {
  test("a statement with 300,000 actions more is diffed, not a RangeError", () => {
    // The 12 MB live policy of a hostile endpoint once crashed plan in push(...added).
    const actions = Array.from({ length: 300_000 }, (_, i) => `s3:Get${i}`);
    const diff = diffPolicies(doc(stmt()), doc(stmt({ Action: ["s3:GetObject", ...actions] })));
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]?.actions.added).toHaveLength(300_000);
  });

  test("live as AWS returns it vs desired: changed, added, unchanged and unique ids", () => {
    const diff = diffPolicies(fixture("live-as-returned.json"), fixture("desired.json"));
    expect(diff.kind).toBe("update");
    expect(diff.equal).toBe(false);
    expect(diff.unchanged).toBe(1);
    expect(diff.removed).toEqual([]);
    expect(diff.added.map((s) => s.sid)).toEqual(["DenyInsecure"]);
    expect(diff.added[0]?.position).toBe(3);
    expect(diff.changed).toHaveLength(1);
    const change = diff.changed[0];
    expect(change?.before).toEqual({ sid: "ReportsRead", position: 2 });
    expect(change?.after).toEqual({ sid: "ReportsRead", position: 1 });
    expect(change?.principals).toEqual({
      added: [{ type: "AWS", value: "arn:aws:iam::111122223333:role/reports" }],
      removed: [{ type: "AWS", value: "AROAEXAMPLEROLEID1234" }],
    });
    expect(change?.actions).toEqual({ added: [], removed: ["s3:GetObjectVersion"] });
    expect(change?.conditions).toEqual([]);
    expect(change?.effect).toBeNull();
    expect(change?.other).toEqual([]);
    expect(diff.uniqueIdPrincipals).toEqual([
      expect.objectContaining({ id: "AROAEXAMPLEROLEID1234", kind: "IAM role" }),
    ]);
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });

  test("matches by best overlap when Sids are absent, and reports effect and conditions", () => {
    const before = doc(
      stmt({
        Sid: undefined,
        Condition: { StringEquals: { "aws:SourceVpc": ["vpc-1", "vpc-2"] } },
      }),
      stmt({ Sid: undefined, Action: "s3:PutObject", Resource: `${AP}/object/in/*` }),
    );
    const after = doc(
      stmt({
        Sid: undefined,
        Action: "s3:PutObject",
        Resource: `${AP}/object/in/*`,
        Effect: "Deny",
      }),
      stmt({
        Sid: undefined,
        Condition: { StringEquals: { "AWS:SourceVpc": ["vpc-2", "vpc-3"] } },
      }),
    );
    const diff = diffPolicies(before, after);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.before.position, c.after.position])).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(diff.changed[0]?.effect).toEqual({ before: "Allow", after: "Deny" });
    expect(diff.changed[1]?.conditions).toEqual([
      { operator: "StringEquals", key: "AWS:SourceVpc", added: ["vpc-3"], removed: ["vpc-1"] },
    ]);
  });

  test("unrelated statements are removed and added, not changed", () => {
    const before = doc(stmt());
    const after = doc(
      stmt({
        Sid: "Other",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${AP}/object/logs/*`,
      }),
    );
    const diff = diffPolicies(before, after);
    expect(diff.changed).toEqual([]);
    expect(diff.removed.map((s) => s.sid)).toEqual(["Read"]);
    expect(diff.added.map((s) => s.sid)).toEqual(["Other"]);
  });

  test("create, delete and nothing", () => {
    expect(diffPolicies(null, doc(stmt()))).toMatchObject({
      kind: "create",
      equal: false,
      added: [{ sid: "Read", position: 1 }],
    });
    expect(diffPolicies(doc(stmt()), null)).toMatchObject({
      kind: "delete",
      removed: [{ sid: "Read", position: 1 }],
    });
    expect(diffPolicies(null, null)).toMatchObject({ kind: "unchanged", equal: true });
  });

  test("equivalent documents: no changes, with notes", () => {
    const diff = diffPolicies(doc(stmt({ Action: ["s3:GetObject"] })), doc(stmt()));
    expect(diff).toMatchObject({ kind: "unchanged", equal: true, changed: [], unchanged: 1 });
    expect(diff.notes).toEqual(['Action "s3:GetObject" is the same as ["s3:GetObject"]']);
  });

  test("document-level and odd-shaped changes are reported, never thrown", () => {
    const versionDiff = diffPolicies(
      { Statement: [stmt({ Resource: `${AP}/object/\${aws:username}` })] },
      doc(stmt({ Resource: `${AP}/object/\${aws:username}` })),
    );
    expect(versionDiff.document).toEqual([
      { field: "Version", before: "2008-10-17", after: "2012-10-17" },
    ]);
    const odd = diffPolicies(doc(stmt({ Action: 5 })), doc(stmt({ Action: "5" })));
    expect(odd.changed[0]?.other).toEqual([{ field: "Action", before: 5, after: ["5"] }]);
    const emptyVsMissing = diffPolicies(
      doc(stmt({ Action: [] })),
      doc(stmt({ Action: undefined })),
    );
    expect(emptyVsMissing.changed[0]?.other).toEqual([{ field: "Action", before: [] }]);
    const statementShape = diffPolicies({ Statement: "x" }, doc(stmt()));
    expect(statementShape.document.map((c) => c.field)).toContain("Statement");
    expect(() => diffPolicies(5 as unknown as PolicyDocument, doc(stmt()))).not.toThrow();
  });

  test("a changed Sid on a matched statement is shown", () => {
    const diff = diffPolicies(doc(stmt()), doc(stmt({ Sid: "ReadObjects" })));
    expect(diff.changed[0]?.other).toEqual([
      { field: "Sid", before: "Read", after: "ReadObjects" },
    ]);
  });
});

test("the empty parts of a diff are one shared list that nothing can write to", () => {
  const statement = (principal: string) => ({
    Effect: "Allow",
    Principal: { AWS: principal },
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/a/object/*",
  });
  const before = {
    Version: "2012-10-17",
    Statement: [statement("arn:aws:iam::111122223333:root")],
  };
  const after = { Version: "2012-10-17", Statement: [statement("arn:aws:iam::444455556666:root")] };
  const one = diffPolicies(before, after);
  const two = diffPolicies(after, before);
  const change = one.changed[0];
  expect(change?.principals.added).toEqual([
    { type: "AWS", value: "arn:aws:iam::444455556666:root" },
  ]);
  // Nothing changed in Action: the same frozen list as every other empty part of every diff.
  expect(change?.actions.added).toBe(two.changed[0]?.notResources.removed);
  expect(one.added).toBe(change?.conditions);
  expect(Object.isFrozen(one.added)).toBe(true);
  expect(() => (one.added as unknown[]).push(1)).toThrow(TypeError);
});
