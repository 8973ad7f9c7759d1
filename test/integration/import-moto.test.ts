// `s3ap import` end to end: the real CLI against moto, one server per region behind one URL.
// The round trip is the contract: import → validate 0 → commit → plan all in sync.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { LiveSeed, TEST_AWS_ENV } from "../support/live-seed.js";
import { type MotoServer, startMoto } from "../support/moto.js";
import { createPolicyRepo, type PolicyRepo } from "../support/policy-repo.js";
import { type RegionRouter, startRegionRouter } from "../support/region-router.js";

const arn = (region: string, name: string) => `arn:aws:s3:${region}:${ACCOUNT}:accesspoint/${name}`;

let east: MotoServer;
let west: MotoServer;
let router: RegionRouter;
const seeds: LiveSeed[] = [];

/** Every file under `dir`, relative to it, with its modification time: a write changes it. */
function tree(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(dir)) return out;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = statSync(path).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

// The shapes AWS returns: principals rewritten to root ARNs, a single statement object with an
// empty Sid, strings where a list was sent and one-element lists, numbers and booleans in
// conditions, other principal kinds, and access points with no policy at all.
const LIVE = {
  "us-east-1": {
    "reports-read": {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReportsRead",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [
            arn("us-east-1", "reports-read"),
            `${arn("us-east-1", "reports-read")}/object/reports/*`,
          ],
        },
      ],
    },
    "single-statement": {
      Version: "2012-10-17",
      Statement: {
        Sid: "",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::444455556666:root", `arn:aws:iam::${ACCOUNT}:role/team/reader`],
        },
        Action: "s3:GetObject",
        Resource: `${arn("us-east-1", "single-statement")}/object/*`,
        Condition: {
          StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" },
          Bool: { "aws:SecureTransport": "true" },
        },
      },
    },
    "no-policy": undefined,
  },
  "eu-west-1": {
    "vpc-only": {
      Version: "2012-10-17",
      Id: "vpc-only-policy",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["s3:*"],
          Resource: [`${arn("eu-west-1", "vpc-only")}/object/*`],
          Condition: { StringEquals: { "aws:SourceVpc": ["vpc-0a1b2c3d"] } },
        },
        {
          Sid: "ListFewKeys",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:ListBucket",
          Resource: arn("eu-west-1", "vpc-only"),
          Condition: { NumericGreaterThan: { "s3:max-keys": 100 } },
        },
      ],
    },
    "cdn-origin": {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudFront",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: `${arn("eu-west-1", "cdn-origin")}/object/*`,
          Condition: {
            StringEquals: {
              "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE",
            },
          },
        },
      ],
    },
    "eu-no-policy": undefined,
  },
} as const;

const FILES = [
  "policies/111122223333/eu-west-1/cdn-origin.yaml",
  "policies/111122223333/eu-west-1/eu-no-policy.yaml",
  "policies/111122223333/eu-west-1/vpc-only.yaml",
  "policies/111122223333/us-east-1/no-policy.yaml",
  "policies/111122223333/us-east-1/reports-read.yaml",
  "policies/111122223333/us-east-1/single-statement.yaml",
];

beforeAll(async () => {
  [east, west] = await Promise.all([startMoto(), startMoto()]);
  // Multi-Region Access Point calls go to us-west-2 (as AWS routes them): moto keeps them per
  // account, so either server answers; this account has none.
  router = await startRegionRouter({
    "us-east-1": east.url,
    "eu-west-1": west.url,
    "us-west-2": east.url,
  });
  for (const [region, accessPoints] of Object.entries(LIVE)) {
    const seed = new LiveSeed(router.url, region);
    seeds.push(seed);
    for (const [name, policy] of Object.entries(accessPoints)) {
      await seed.accessPoint(ACCOUNT, name, policy);
    }
  }
});

afterAll(async () => {
  for (const seed of seeds) seed.destroy();
  await router?.stop();
  await Promise.all([east?.stop(), west?.stop()]);
});

const s3ap = (repo: PolicyRepo, ...args: string[]) =>
  runCli([...args, "--endpoint-url", router.url], { cwd: repo.root, env: TEST_AWS_ENV });
const importAll = (repo: PolicyRepo, ...args: string[]) =>
  s3ap(repo, "import", "--account", ACCOUNT, "--region", "us-east-1,eu-west-1", ...args);

describe("s3ap import against moto (two regions)", () => {
  test("import writes one file per access point; validate exits 0; after a commit plan is all in sync", async () => {
    const repo = createPolicyRepo();
    try {
      const imported = await importAll(repo);
      expect(imported.stderr.replace(/^s3ap: note: Node\.js .*\n/m, "")).not.toMatch(/s3ap|Error/);
      expect(imported.code, imported.stdout).toBe(0);
      expect(Object.keys(tree(join(repo.root, "policies"))).sort()).toEqual(
        FILES.map((f) => f.slice("policies/".length)),
      );
      expect(imported.stdout).toContain(
        "Imported 6 access points (2 without a policy) of 6 listed",
      );
      expect(readFileSync(join(repo.root, FILES[4] as string), "utf8")).toBe(
        [
          `accountId: "${ACCOUNT}"`,
          "region: us-east-1",
          "name: reports-read",
          "mode: enforce",
          "policy:",
          '  Version: "2012-10-17"',
          "  Statement:",
          "    - Sid: ReportsRead",
          "      Effect: Allow",
          "      Principal:",
          `        AWS: arn:aws:iam::${ACCOUNT}:root`,
          "      Action:",
          "        - s3:GetObject",
          "        - s3:ListBucket",
          "      Resource:",
          "        - ${accessPointArn}",
          "        - ${accessPointArn}/object/reports/*",
          "",
        ].join("\n"),
      );
      expect(readFileSync(join(repo.root, FILES[1] as string), "utf8")).toContain("policy: null\n");
      const afterImport = tree(join(repo.root, "policies"));

      const validate = await runCli(["validate"], { cwd: repo.root });
      expect(validate.code, validate.stdout).toBe(0);

      repo.commit("import");
      const plan = await s3ap(repo, "plan", "--format", "json");
      expect(plan.code, plan.stderr).toBe(0);
      const parsed = JSON.parse(plan.stdout);
      expect(parsed.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 6, error: 0 });
      expect(parsed.changes.map((c: { file: string }) => c.file).sort()).toEqual(FILES);

      expect(parsed.summary.unmanaged).toBe(0);
      expect(parsed.unmanaged).toEqual([]);

      const again = await importAll(repo);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(
        "Imported 0 access points of 6 listed; 6 already declared (skipped)",
      );
      expect(again.stdout).not.toContain("Next:");
      expect(tree(join(repo.root, "policies"))).toEqual(afterImport);

      // Two files deleted: plan lists exactly those two as unmanaged, and changes nothing.
      rmSync(join(repo.root, FILES[1] as string));
      rmSync(join(repo.root, FILES[4] as string));
      repo.commit("stop managing two");
      const unmanaged = await s3ap(repo, "plan", "--format", "json");
      expect(unmanaged.code, unmanaged.stderr).toBe(0);
      const listed = JSON.parse(unmanaged.stdout);
      expect(listed.summary).toMatchObject({ noop: 4, unmanaged: 2 });
      expect(listed.unmanaged).toEqual([
        {
          accountId: ACCOUNT,
          region: "eu-west-1",
          name: "eu-no-policy",
          arn: arn("eu-west-1", "eu-no-policy"),
          hasPolicy: false,
        },
        {
          accountId: ACCOUNT,
          region: "us-east-1",
          name: "reports-read",
          arn: arn("us-east-1", "reports-read"),
          hasPolicy: true,
        },
      ]);
      const text = await s3ap(repo, "plan");
      expect(text.stdout).toContain("2 unmanaged access points");
      expect(text.stdout).toContain(`? ${ACCOUNT}/us-east-1/reports-read (has a policy)`);
      const off = await s3ap(repo, "plan", "--format", "json", "--no-discover");
      expect(JSON.parse(off.stdout)).toMatchObject({
        unmanaged: [],
        discovery: { enabled: false },
      });

      const third = await importAll(repo);
      expect(third.code, third.stdout).toBe(0);
      expect(third.stdout).toContain(
        "Imported 2 access points (1 without a policy) of 6 listed; 4 already declared",
      );
      const changed = Object.entries(tree(join(repo.root, "policies")))
        .filter(([file, mtime]) => afterImport[file] !== mtime)
        .map(([file]) => `policies/${file}`);
      expect(changed.sort()).toEqual([FILES[1], FILES[4]]);
    } finally {
      repo.remove();
    }
  });

  test("values that look like variables, whitespace, a bidi override and a public policy round-trip: validate 0, plan in sync", async () => {
    const other = "444455556666";
    const name = "tricky-values";
    const seed = new LiveSeed(router.url, "us-east-1");
    seeds.push(seed);
    const ap = `arn:aws:s3:us-east-1:${other}:accesspoint/${name}`;
    await seed.accessPoint(other, name, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Public",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${ap}/object/public/*`,
        },
        {
          Sid: "Tagged",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${other}:root` },
          Action: "s3:PutObject",
          Resource: `${ap}/object/\${aws:username}/*`,
          Condition: {
            StringEquals: {
              "s3:RequestObjectTag/template": "${accountId}-${region}",
              "aws:UserAgent": ["  \n", "admin\u202etxt"],
            },
          },
        },
      ],
    });
    const repo = createPolicyRepo();
    try {
      const imported = await s3ap(repo, "import", "--account", other, "--region", "us-east-1");
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(imported.stdout).toContain("warning: imported public, allowPublic: true was written");
      const text = readFileSync(
        join(repo.root, `policies/${other}/us-east-1/${name}.yaml`),
        "utf8",
      );
      expect(text).toContain("allowPublic: true\n");
      expect(text).toContain("s3:RequestObjectTag/template: ${!accountId}-${!region}\n");
      expect(text).toContain('- "admin\\u202etxt"\n');
      expect(text).not.toContain("\u202e");

      const validate = await runCli(["validate"], { cwd: repo.root });
      expect(validate.code, validate.stdout + validate.stderr).toBe(0);
      repo.commit("import");
      const plan = await s3ap(repo, "plan", "--format", "json", "--no-discover");
      expect(plan.code, plan.stderr).toBe(0);
      expect(JSON.parse(plan.stdout).summary).toMatchObject({ noop: 1, create: 0, update: 0 });
    } finally {
      repo.remove();
    }
  });

  test("--mode observe writes mode: observe; --only narrows what is imported", async () => {
    const repo = createPolicyRepo();
    try {
      const imported = await importAll(repo, "--mode", "observe", "--only", "*/eu-west-1/*");
      expect(imported.code, imported.stdout).toBe(0);
      const files = Object.keys(tree(join(repo.root, "policies"))).sort();
      expect(files).toEqual(FILES.slice(0, 3).map((f) => f.slice("policies/".length)));
      for (const file of files) {
        expect(readFileSync(join(repo.root, "policies", file), "utf8")).toContain(
          "\nmode: observe\n",
        );
      }
      const none = await importAll(repo, "--only", "no-such-*");
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("--only no-such-* matches none of the 6 access points listed");
    } finally {
      repo.remove();
    }
  });

  test("--dry-run prints every file it would write and writes nothing", async () => {
    const repo = createPolicyRepo({
      "policies/111122223333/us-east-1/no-policy.yaml": "# placeholder\n",
    });
    try {
      // A file that declares no access point makes import refuse: it could be a duplicate.
      const refused = await importAll(repo, "--dry-run");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/no-policy\.yaml:1:1: .*\n.*refused/);
      rmSync(join(repo.root, "policies"), { recursive: true });

      const before = tree(repo.root);
      const dry = await importAll(repo, "--dry-run");
      expect(dry.code, dry.stdout).toBe(0);
      expect(tree(repo.root)).toEqual(before);
      expect(existsSync(join(repo.root, "policies"))).toBe(false);
      for (const file of FILES) expect(dry.stdout).toContain(`would write ${file}`);
      expect(dry.stdout).toContain("    name: reports-read\n");
      expect(dry.stdout).toContain("Nothing was written (--dry-run).");
    } finally {
      repo.remove();
    }
  });
});
