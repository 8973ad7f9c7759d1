// Real sockets on loopback: a server that never answers, one that drops connections, none at all.
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterEach, beforeAll, expect, test } from "vitest";
import { createS3ControlStore } from "../../src/aws/s3control-store.js";
import type { StoreEvent } from "../../src/aws/store-events.js";
import type { AccessPointRef } from "../../src/model.js";
import { freePort } from "../support/free-port.js";

const AP: AccessPointRef = { accountId: "111122223333", region: "us-east-1", name: "reports-ap" };

let server: Server | undefined;
const sockets = new Set<Socket>();

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

function store(endpointUrl: string, events: StoreEvent[], maxAttempts = 3) {
  return createS3ControlStore({
    endpointUrl,
    ratePerSecond: 100,
    maxAttempts,
    requestTimeoutMs: 300,
    sleep: async () => {},
    onEvent: (event) => events.push(event),
  });
}

test("a request that hangs is cut by the timeout, retried, then reported", async () => {
  let received = 0;
  const url = await listen(() => {
    received++; // never answers
  });
  const events: StoreEvent[] = [];
  const hung = store(url, events);
  const started = performance.now();
  const live = await hung.getPolicy(AP);
  const elapsed = performance.now() - started;
  hung.destroy();
  expect(live).toMatchObject({ kind: "error", code: "TimeoutError" });
  if (live.kind === "error") {
    expect(live.message).toContain(`${url} did not answer GetAccessPointPolicy`);
    expect(live.message).toContain("3 attempts");
  }
  expect(received).toBe(3);
  expect(events.filter((e) => e.type === "retry").length).toBe(2);
  // Three 300 ms timeouts and instant backoff: far below a minute, and more than one timeout.
  expect(elapsed).toBeGreaterThanOrEqual(3 * 290);
  expect(elapsed).toBeLessThan(10_000);
});

test("a dropped connection is retried and the next answer is used", async () => {
  let received = 0;
  const url = await listen((request, response) => {
    received++;
    if (received === 1) {
      request.socket.destroy();
      return;
    }
    response.writeHead(200, { "content-type": "application/xml" });
    response.end(
      '<GetAccessPointPolicyResult><Policy>{"Statement":[]}</Policy></GetAccessPointPolicyResult>',
    );
  });
  const events: StoreEvent[] = [];
  const flaky = store(url, events);
  const live = await flaky.getPolicy(AP);
  flaky.destroy();
  expect(live).toEqual({ kind: "policy", policy: { Statement: [] } });
  expect(received).toBe(2);
  expect(events).toMatchObject([{ type: "retry", code: "ECONNRESET", attempt: 1 }]);
});

test("an endpoint that is down fails fast with a clear error and writes nothing", async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const events: StoreEvent[] = [];
  const down = store(url, events, 8);
  const started = performance.now();
  const live = await down.getPolicy(AP);
  const put = down.putPolicy(AP, "{}");
  await expect(put).rejects.toMatchObject({ code: "ECONNREFUSED", retryable: true });
  await expect(put).rejects.toThrow(`could not reach ${url} for PutAccessPointPolicy`);
  const elapsed = performance.now() - started;
  down.destroy();
  expect(live).toMatchObject({ kind: "error", code: "ECONNREFUSED" });
  if (live.kind === "error") {
    expect(live.message).toContain("(ECONNREFUSED, 3 attempts)");
    expect(live.message).toContain("check --endpoint-url / AWS_ENDPOINT_URL_S3_CONTROL");
  }
  // Refused connections are retried only briefly, not for all 8 attempts.
  expect(events.filter((e) => e.type === "retry").length).toBe(4);
  expect(elapsed).toBeLessThan(5_000);
});
