// Shared pieces of the fault tests: a policies repo over the endpoint's generated access points,
// the endpoint's admin views, and a check that live state equals what the repo declares.
import { afterAll, beforeAll } from "vitest";
import { ACCOUNT } from "../support/account.js";
import { CLI_PATH, type NodeProcess, spawnNode } from "../support/cli.js";
import { TEST_AWS_ENV } from "../support/live-seed.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { createPolicyRepo, type PolicyRepo, policyYaml } from "../support/policy-repo.js";

export { ACCOUNT };

/** The endpoint's generated names: ap-00001, ap-00002, ... */
export function generatedName(index: number): string {
  return `ap-${String(index + 1).padStart(5, "0")}`;
}

/** The principal every desired policy grants, so it differs from the endpoint's seeded one. */
export const DESIRED_PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/fault-reader`;

/**
 * A committed repo declaring access points ap-00001..ap-<count>: every `deleteEvery`-th one
 * (1-based) declares `policy: null`, the others a read grant for DESIRED_PRINCIPAL.
 */
export function desiredRepo(count: number, deleteEvery = 0): PolicyRepo {
  const repo = createPolicyRepo();
  for (let i = 0; i < count; i++) {
    const name = generatedName(i);
    const remove = deleteEvery > 0 && (i + 1) % deleteEvery === 0;
    repo.write(
      `policies/${name}.yaml`,
      policyYaml({
        accountId: ACCOUNT,
        name,
        principal: DESIRED_PRINCIPAL,
        ...(remove ? { policy: "null" as const } : {}),
      }),
    );
  }
  repo.commit();
  return repo;
}

export function desiredPolicy(name: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: { AWS: DESIRED_PRINCIPAL },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/${name}/object/*`,
      },
    ],
  };
}

export interface EndpointStats {
  total: number;
  requests: Record<string, number>;
  throttled: number;
  faults: { error: number; drop: number; slow: number; denied: number };
  policies: number;
}

export interface StateEntry {
  name: string;
  policy: string | null;
}

export async function endpointStats(url: string): Promise<EndpointStats> {
  return (await (await fetch(`${url}/__local/stats`)).json()) as EndpointStats;
}

export async function endpointState(url: string): Promise<Map<string, string | null>> {
  const body = (await (await fetch(`${url}/__local/state`)).json()) as {
    accessPoints: StateEntry[];
  };
  return new Map(body.accessPoints.map((ap) => [ap.name, ap.policy]));
}

/**
 * Names whose live policy is not what the repo from desiredRepo(count, deleteEvery) declares,
 * with what was found; empty when live state has converged.
 */
export function divergence(
  state: ReadonlyMap<string, string | null>,
  count: number,
  deleteEvery = 0,
): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = generatedName(i);
    const live = state.get(name);
    const remove = deleteEvery > 0 && (i + 1) % deleteEvery === 0;
    if (remove) {
      if (live !== null) wrong.push(`${name}: expected no policy, found ${live}`);
    } else if (live === null || live === undefined) {
      wrong.push(`${name}: expected a policy, found none`);
    } else if (JSON.stringify(JSON.parse(live)) !== JSON.stringify(desiredPolicy(name))) {
      wrong.push(`${name}: expected the desired policy, found ${live}`);
    }
  }
  return wrong;
}

/** The number in the apply summary's "...; N retries" (undefined when there is none). */
export function reportedRetries(stdout: string): number | undefined {
  const match = /; (\d+) retr(?:y|ies)\.?$/m.exec(stdout);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function cliArgs(command: "plan" | "apply", url: string, extra: string[] = []): string[] {
  return [command, "--dir", "policies", "--endpoint-url", url, ...extra];
}

export const CLI_ENV = { ...TEST_AWS_ENV, NO_COLOR: "1" };

/** The bundled CLI as a child process the test can kill; `done` resolves when it exits. */
export function spawnCli(args: string[], cwd: string): NodeProcess {
  return spawnNode(CLI_PATH, args, { cwd, env: { ...process.env, ...CLI_ENV } });
}

export interface FaultRig {
  /** The local endpoint process, started before the file's tests. */
  readonly endpoint: LocalEndpointProcess;
  /** A committed repo declaring the endpoint's generated access points (see desiredRepo). */
  readonly repo: PolicyRepo;
}

/**
 * The setup every fault test shares: before its tests, the local endpoint with `count` generated
 * access points and the fault flags `endpointFlags`, and the repo declaring them; after them,
 * both gone.
 */
export function useFaultRig(options: {
  count: number;
  deleteEvery?: number;
  endpointFlags: string[];
}): FaultRig {
  let endpoint: LocalEndpointProcess | undefined;
  let repo: PolicyRepo | undefined;
  beforeAll(async () => {
    endpoint = await startLocalEndpointProcess([
      "--seed-access-points",
      String(options.count),
      ...options.endpointFlags,
    ]);
    repo = desiredRepo(options.count, options.deleteEvery ?? 0);
  });
  afterAll(async () => {
    repo?.remove();
    await endpoint?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useFaultRig: used outside the file's tests");
    return value;
  };
  return {
    get endpoint() {
      return started(endpoint);
    },
    get repo() {
      return started(repo);
    },
  };
}
