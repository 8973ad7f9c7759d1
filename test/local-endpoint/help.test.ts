// `node dist/local-endpoint.js --help` documents the admin routes, and each one it lists answers.
import { afterAll, beforeAll, expect, test } from "vitest";
import { spawnNode } from "../support/cli.js";
import {
  LOCAL_ENDPOINT_PATH,
  type LocalEndpointProcess,
  startLocalEndpointProcess,
} from "../support/local-endpoint.js";

let endpoint: LocalEndpointProcess;
beforeAll(async () => {
  endpoint = await startLocalEndpointProcess();
});
afterAll(async () => {
  await endpoint.stop();
});

test("--help lists every /__local/* route, and each listed route answers 200", async () => {
  const help = await spawnNode(LOCAL_ENDPOINT_PATH, ["--help"], {
    cwd: process.cwd(),
    env: process.env,
  }).done;
  expect(help.code).toBe(0);
  const routes = [...help.stdout.matchAll(/^\s+(GET|POST)\s+(\/__local\/\w+)/gm)].map(
    ([, method, path]) => ({ method: method as string, path: path as string }),
  );
  expect(routes.map((r) => r.path).sort()).toEqual([
    "/__local/cloudtrail",
    "/__local/reset",
    "/__local/seed",
    "/__local/state",
    "/__local/stats",
  ]);
  for (const { method, path } of routes) {
    const response = await fetch(`${endpoint.url}${path}`, {
      method,
      ...(method === "POST" ? { body: JSON.stringify({ accessPoints: [], events: [] }) } : {}),
    });
    expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 200`);
  }
});
