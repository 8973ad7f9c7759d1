// Temporary git repositories of N policy files for the endpoint's generated access points
// (ap-00001 ...), declaring either the policy the endpoint seeds them with or a different one.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ACCOUNT = "111122223333";

export function generatedName(index) {
  return `ap-${String(index + 1).padStart(5, "0")}`;
}

/** The policy a file of `createRepo(…, variant)` declares, with its variables replaced. */
export function desiredPolicy(account, name, variant) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: variant === "same" ? "SeedRead" : "BenchRead",
        Effect: "Allow",
        Principal: {
          AWS: `arn:aws:iam::${account}:role/${variant === "same" ? "seed-reader" : "bench-reader"}`,
        },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${account}:accesspoint/${name}/object/*`,
      },
    ],
  };
}

/** `same`: the endpoint's seeded policy (plan finds no drift); otherwise another principal. */
export function createRepo(count, variant) {
  const root = mkdtempSync(join(tmpdir(), `s3ap-bench-${variant}-`));
  const git = (...args) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "bench@example.com");
  git("config", "user.name", "Bench");
  mkdirSync(join(root, "policies"));
  const role = variant === "same" ? "seed-reader" : "bench-reader";
  const sid = variant === "same" ? "SeedRead" : "BenchRead";
  for (let i = 0; i < count; i++) {
    const name = generatedName(i);
    writeFileSync(
      join(root, "policies", `${name}.yaml`),
      `accountId: "${ACCOUNT}"
region: us-east-1
name: ${name}
policy:
  Version: "2012-10-17"
  Statement:
    - Sid: ${sid}
      Effect: Allow
      Principal: { AWS: "arn:aws:iam::${ACCOUNT}:role/${role}" }
      Action: s3:GetObject
      Resource: \${accessPointArn}/object/*
`,
    );
  }
  git("add", "-A");
  git("commit", "-q", "-m", `${count} policies (${variant})`);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
