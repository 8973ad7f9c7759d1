// The fault knobs, observed from the client side: replayable with a seed, rate limit, drops,
// slow and hanging responses, injected 500s.
import {
  GetAccessPointPolicyCommand,
  PutAccessPointPolicyCommand,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterEach, describe, expect, test } from "vitest";
import type { LocalEndpointOptions } from "../../src/local-endpoint/options.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local-endpoint/server.js";
import { ACCOUNT, outcome, sdkClient } from "./sdk.js";

const opened: { endpoint: LocalEndpoint; client: S3ControlClient }[] = [];
afterEach(async () => {
  for (const { endpoint, client } of opened.splice(0)) {
    client.destroy();
    await endpoint.close();
  }
});

async function open(options: LocalEndpointOptions, clientOptions = {}) {
  const endpoint = await startLocalEndpoint({
    seedAccessPoints: { count: 20, policyFraction: 1 },
    ...options,
  });
  const client = sdkClient(endpoint.url, clientOptions);
  opened.push({ endpoint, client });
  return { endpoint, client };
}

/** A raw GET of one access point's policy; "dropped" when the connection closed unanswered. */
async function rawGet(url: string, name: string): Promise<number | "dropped"> {
  try {
    const response = await fetch(`${url}/v20180820/accesspoint/${name}/policy`, {
      headers: { "x-amz-account-id": ACCOUNT },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "dropped";
  }
}

const names = Array.from({ length: 20 }, (_, i) => `ap-${String(i + 1).padStart(5, "0")}`);

describe("seeded faults", () => {
  const knobs = { errorRate: 0.25, dropRate: 0.15 };

  async function sequence(
    endpoint: LocalEndpoint,
    order: string[],
  ): Promise<Map<string, unknown[]>> {
    const byName = new Map<string, unknown[]>();
    for (let round = 0; round < 3; round++) {
      for (const name of order) {
        const list = byName.get(name) ?? [];
        list.push(await rawGet(endpoint.url, name));
        byName.set(name, list);
      }
    }
    return byName;
  }

  test("the same seed replays the same faults; interleaving does not matter", async () => {
    const { endpoint } = await open({ seed: 42, ...knobs });
    const first = await sequence(endpoint, names);
    const outcomes = [...first.values()].flat();
    expect(outcomes).toContain(500);
    expect(outcomes).toContain("dropped");
    expect(outcomes).toContain(200);
    const stats = endpoint.stats();
    expect(stats.faults.error).toBe(outcomes.filter((o) => o === 500).length);
    expect(stats.faults.drop).toBe(outcomes.filter((o) => o === "dropped").length);

    endpoint.reset();
    const replay = await sequence(endpoint, [...names].reverse());
    expect(replay).toEqual(first);

    const { endpoint: other } = await open({ seed: 43, ...knobs });
    expect(await sequence(other, names)).not.toEqual(first);
  });

  test("fractions are honoured over many requests", async () => {
    const { endpoint } = await open({ seed: 7, errorRate: 0.2 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => rawGet(endpoint.url, names[i % 20] as string)),
    );
    const errors = results.filter((r) => r === 500).length;
    expect(errors).toBeGreaterThan(200 * 0.2 - 20);
    expect(errors).toBeLessThan(200 * 0.2 + 20);
  });
});

describe("rate limit", () => {
  test("above R requests per second the answer is 503 SlowDown, as the SDK classifies it", async () => {
    // A slow rate, so a loaded machine that takes a second to send 20 requests refills few tokens.
    const { endpoint, client } = await open({ rate: 2, burst: 2 });
    const results = await Promise.all(
      names.map((name) =>
        outcome(client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: name }))),
      ),
    );
    const throttled = results.filter((r) => "error" in r && r.error === "SlowDown");
    expect(throttled.every((r) => "status" in r && r.status === 503)).toBe(true);
    // 2 in the bucket, plus 2 a second refilled while 20 requests arrive (well under 3 s).
    expect(throttled.length).toBeGreaterThanOrEqual(12);
    expect(endpoint.stats().throttled).toBe(throttled.length);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "ap-00001" })),
      ),
    ).toMatchObject({ ok: { Policy: expect.any(String) } });
  });

  test("--account-rate limits each account on its own: one account's burst leaves another's alone", async () => {
    const OTHER = "444455556666";
    const { endpoint, client } = await open({
      accountRate: 2,
      seedAccessPoints: { count: 20, accounts: [ACCOUNT, OTHER], policyFraction: 1 },
    });
    const results = await Promise.all(
      names.map((name) =>
        outcome(client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: name }))),
      ),
    );
    const throttled = results.filter((r) => "error" in r && r.error === "SlowDown");
    expect(throttled.length).toBeGreaterThanOrEqual(12);
    expect(endpoint.stats().throttled).toBe(throttled.length);
    // The other account has its own bucket, still full.
    expect(
      await outcome(
        client.send(new GetAccessPointPolicyCommand({ AccountId: OTHER, Name: "ap-00001" })),
      ),
    ).toMatchObject({ ok: { Policy: expect.any(String) } });
  });

  test("the SlowDown body is AWS's XML error", async () => {
    const { endpoint } = await open({ rate: 1, burst: 1 });
    await rawGet(endpoint.url, "ap-00001");
    const response = await fetch(`${endpoint.url}/v20180820/accesspoint/ap-00001/policy`, {
      headers: { "x-amz-account-id": ACCOUNT },
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(
      /<Error><Type>Receiver<\/Type><Code>SlowDown<\/Code><Message>Please reduce your request rate.<\/Message>/,
    );
  });
});

describe("drops, errors, slow and hanging responses", () => {
  test("a dropped connection is a network error to the SDK, and the write still happened", async () => {
    const { endpoint, client } = await open({ dropRate: 1 });
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}';
    const result = await client
      .send(
        new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "ap-00003", Policy: policy }),
      )
      .then(
        () => "answered",
        (error: { code?: string; name: string }) => error.code ?? error.name,
      );
    expect(result).toMatch(/ECONNRESET|socket hang up|EPIPE/i);
    expect(endpoint.state().accessPoints.find((a) => a.name === "ap-00003")?.policy).toBe(policy);
  });

  test("an injected 500 is InternalError and changes nothing", async () => {
    const { endpoint, client } = await open({ errorRate: 1 });
    const before = endpoint.state();
    expect(
      await outcome(
        client.send(
          new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "ap-00004", Policy: "{}" }),
        ),
      ),
    ).toEqual({ error: "InternalError", status: 500 });
    expect(endpoint.state()).toEqual(before);
  });

  test("latency and slow responses delay the answer", async () => {
    const { client } = await open({ latencyMs: 60, slowRate: 1, slowMs: 200 });
    const started = performance.now();
    const result = await outcome(
      client.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "ap-00001" })),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(255);
    expect(result).toMatchObject({ ok: { Policy: expect.any(String) } });
  });

  test("a hanging response is cut by the client's timeout; close() does not wait for it", async () => {
    const { endpoint, client } = await open(
      { slowRate: 1, slowMs: Number.POSITIVE_INFINITY },
      { requestTimeoutMs: 300 },
    );
    const result = await client
      .send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: "ap-00001" }))
      .then(
        () => "answered",
        (error: { name: string }) => error.name,
      );
    expect(result).toBe("TimeoutError");
    expect(endpoint.stats().faults.slow).toBe(1);
    const hanging = rawGet(endpoint.url, "ap-00002");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = performance.now();
    await endpoint.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(await hanging).toBe("dropped");
  });
});
