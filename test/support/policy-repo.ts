// Real temporary git repositories holding policy files, for CLI and action tests.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface PolicyRepo {
  root: string;
  write(path: string, content: string): void;
  commit(message?: string): string;
  remove(): void;
}

export function createPolicyRepo(files: Record<string, string> = {}): PolicyRepo {
  const root = mkdtempSync(join(tmpdir(), "s3ap-repo-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  const repo: PolicyRepo = {
    root,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    commit(message = "policies") {
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  return repo;
}

/** A valid policy file: one read statement for `principal` on the access point's objects. */
export function policyYaml(options: {
  accountId: string;
  name: string;
  region?: string;
  principal?: string;
  mode?: "enforce" | "observe";
  policy?: "null";
}): string {
  const head = [
    `accountId: "${options.accountId}"`,
    `region: ${options.region ?? "us-east-1"}`,
    `name: ${options.name}`,
    ...(options.mode ? [`mode: ${options.mode}`] : []),
  ];
  if (options.policy === "null") return `${[...head, "policy: null"].join("\n")}\n`;
  return `${[
    ...head,
    "policy:",
    '  Version: "2012-10-17"',
    "  Statement:",
    "    - Sid: Read",
    "      Effect: Allow",
    `      Principal: { AWS: "${options.principal ?? `arn:aws:iam::${options.accountId}:role/reader`}" }`,
    "      Action: s3:GetObject",
    "      Resource: ${accessPointArn}/object/*",
  ].join("\n")}\n`;
}

/** The policy policyYaml declares, as AWS would store it. */
export function readStatementPolicy(accountId: string, name: string, principal?: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: { AWS: principal ?? `arn:aws:iam::${accountId}:role/reader` },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${accountId}:accesspoint/${name}/object/*`,
      },
    ],
  };
}

/** A policy file whose one statement ("Read", for role reader) allows `actions`; `extra` after it. */
export function actionsPolicyYaml(
  accountId: string,
  name: string,
  actions: readonly string[],
  extra = "",
): string {
  return [
    `accountId: "${accountId}"`,
    "region: us-east-1",
    `name: ${name}`,
    "policy:",
    '  Version: "2012-10-17"',
    "  Statement:",
    "    - Sid: Read",
    "      Effect: Allow",
    `      Principal: { AWS: "arn:aws:iam::${accountId}:role/reader" }`,
    `      Action: [${actions.join(", ")}]`,
    "      Resource: ${accessPointArn}/object/*",
    extra,
  ].join("\n");
}

/** The policy actionsPolicyYaml declares, as AWS would store it. */
export function actionsPolicy(accountId: string, name: string, actions: readonly string[]): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:role/reader` },
        Action: actions,
        Resource: `arn:aws:s3:us-east-1:${accountId}:accesspoint/${name}/object/*`,
      },
    ],
  };
}
