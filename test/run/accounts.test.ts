// The shards of a tree: warnings do not stop them (one job plans such a tree), errors do.
import { afterEach, expect, test } from "vitest";
import { runAccounts } from "../../src/run/accounts.js";
import { createPolicyRepo, type PolicyRepo } from "../support/policy-repo.js";

const statement = (sid: string, role: string) => `    - Sid: ${sid}
      Effect: Allow
      Principal: { AWS: "arn:aws:iam::111122223333:role/${role}" }
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
`;
const policyFile = (name: string, statements: string) =>
  `accountId: "111122223333"\nregion: us-east-1\nname: ${name}\npolicy:\n  Version: "2012-10-17"\n  Statement:\n${statements}`;

let repo: PolicyRepo | undefined;
afterEach(() => repo?.remove());

test("a tree with only warnings (a repeated Sid) still has its shards", async () => {
  repo = createPolicyRepo({
    "policies/a.yaml": policyFile("a-ap", statement("Same", "one") + statement("Same", "two")),
  });
  const result = await runAccounts({ dir: "policies", maxShards: 256 }, repo.root, Date.now());
  expect(result.status === "sharded" && result.shards).toEqual([
    { shard: "111122223333", accounts: "111122223333", regions: ["us-east-1"], accessPoints: 1 },
  ]);
});

test("a tree with an error has no shards, and the outcome names the file", async () => {
  repo = createPolicyRepo({
    "policies/a.yaml": policyFile("a-ap", statement("Same", "one")).replace(
      "s3:GetObject",
      "GetObject",
    ),
  });
  const result = await runAccounts({ dir: "policies", maxShards: 256 }, repo.root, Date.now());
  expect(result.status).toBe("invalid");
  expect(result.status === "invalid" && result.problems.map((p) => [p.file, p.severity])).toEqual([
    ["policies/a.yaml", "error"],
  ]);
});
