// The store spread over worker threads: accounts are dealt to the main thread and the workers,
// answers cross as plain data (policies as text, errors by code), and a real worker thread
// started from the bundle answers as the main thread's own store does.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AccountCredentials } from "../../src/aws/assume-role.js";
import { AwsError } from "../../src/errors.js";
import type { LiveState } from "../../src/model.js";
import type { Destroyable, PolicyStore } from "../../src/reconcile/ports.js";
import {
  answerCredentials,
  decodeError,
  decodeLive,
  encodeLive,
  remoteCredentials,
  routedStore,
  type StoreChannel,
  serveCall,
  threadChannel,
} from "../../src/run/worker-store.js";
import { freePort } from "../support/free-port.js";
import { BUILD_DIR } from "../support/global-setup.js";
import { type LocalEndpointProcess, startLocalEndpointProcess } from "../support/local-endpoint.js";
import { MemoryStore } from "../support/memory-store.js";

const POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" }],
};
const ap = (accountId: string, name = "a") => ({ accountId, region: "us-east-1", name });

/** A channel that serves `store` here, through structuredClone as a thread boundary would. */
function inProcessChannel(store: PolicyStore): StoreChannel {
  return {
    async call(method, args) {
      const answer = await serveCall(store, method, structuredClone(args));
      if (!answer.ok) throw decodeError(structuredClone(answer.error));
      return structuredClone(answer.value);
    },
    close() {},
  };
}

const destroyable = (store: MemoryStore): Destroyable<PolicyStore> =>
  Object.assign(store, { destroy() {} });

describe("accounts are dealt to the main thread and the workers", () => {
  test("a job of one account starts no worker", async () => {
    let spawned = 0;
    const local = new MemoryStore().addAccessPoint(ap("111111111111"), POLICY);
    const store = routedStore(
      destroyable(local),
      () => {
        spawned++;
        return inProcessChannel(new MemoryStore());
      },
      3,
    );
    await store.getPolicy(ap("111111111111"));
    await store.listAccessPoints("111111111111", "us-east-1");
    expect(spawned).toBe(0);
    expect(local.calls.map((c) => c.operation)).toEqual(["get", "list"]);
  });

  test("dealt in the order accounts are first used, the main thread only the first, each account always to the same place", async () => {
    const local = new MemoryStore();
    const remote = [new MemoryStore(), new MemoryStore()];
    const worker = remote.slice();
    const accounts = ["1", "2", "3", "4", "5", "6"].map((d) => d.repeat(12));
    for (const id of accounts) {
      for (const store of [local, ...remote]) store.addAccessPoint(ap(id), POLICY);
    }
    const store = routedStore(
      destroyable(local),
      () => inProcessChannel(remote.shift() ?? local),
      2,
    );
    for (const id of [...accounts, ...accounts]) await store.getPolicy(ap(id));
    // The main thread checks the files and plans: it keeps the first account only (main, w1, w2,
    // w1, w2, w1), and each account's second read goes where its first one went.
    const served = (s: MemoryStore | undefined) => [...new Set(s?.calls.map((c) => c.key[0]))];
    expect(served(local)).toEqual(["1"]);
    expect(served(worker[0])).toEqual(["2", "4", "6"]);
    expect(served(worker[1])).toEqual(["3", "5"]);
    expect(local.calls).toHaveLength(2);
  });
});

describe("what crosses the thread boundary", () => {
  test("a live policy crosses as text and is read again here, with no prototype", async () => {
    const remote = new MemoryStore().addAccessPoint(ap("222222222222"), POLICY);
    const store = routedStore(destroyable(new MemoryStore()), () => inProcessChannel(remote), 1);
    await store.getPolicy(ap("111111111111"));
    const live = await store.getPolicy(ap("222222222222"));
    expect(live.kind).toBe("policy");
    const policy = (live as Extract<LiveState, { kind: "policy" }>).policy;
    expect(policy).toEqual(POLICY);
    expect(Object.getPrototypeOf(policy)).toBeNull();
    expect(Object.getPrototypeOf((policy.Statement as object[])[0])).toBeNull();
  });

  test("an AWS error keeps its class, code and whether it may be retried", async () => {
    const remote = new MemoryStore().failOn(
      ap("222222222222"),
      new AwsError("access denied to 222222222222/a", "AccessDenied", false, 403),
    );
    remote.addAccessPoint(ap("222222222222"));
    const store = routedStore(destroyable(new MemoryStore()), () => inProcessChannel(remote), 1);
    await store.listAccessPoints("111111111111", "us-east-1");
    const failure = await store.putPolicy(ap("222222222222"), "{}").catch((error) => error);
    expect(failure).toBeInstanceOf(AwsError);
    expect(failure).toMatchObject({ code: "AccessDenied", retryable: false, httpStatus: 403 });
  });

  test("a worker asks the main thread for each account's credentials: every role is assumed once", async () => {
    const resolved: string[] = [];
    const main: AccountCredentials = {
      usesRoles: true,
      async providerFor(accountId) {
        resolved.push(accountId);
        if (accountId === "333333333333") {
          throw new AwsError("cannot assume role r", "AccessDenied", false, 403);
        }
        if (accountId === "444444444444") return undefined;
        return async () => ({ accessKeyId: `AKIA-${accountId}`, secretAccessKey: "s" });
      },
    };
    let questions = 0;
    const worker = remoteCredentials(async (what, accountId, region) => {
      questions++;
      const answer = await answerCredentials(main, { ask: questions, what, accountId, region });
      if (!answer.ok) throw decodeError(structuredClone(answer.error));
      return structuredClone(answer.value);
    });
    const provider = await worker.providerFor("111111111111", "us-east-1");
    await worker.providerFor("111111111111", "eu-west-1");
    expect(await provider?.()).toEqual({ accessKeyId: "AKIA-111111111111", secretAccessKey: "s" });
    expect(worker.usesRoles).toBe(true);
    // An account without a role signs with the default chain; a refused role fails its account.
    expect(await worker.providerFor("444444444444", "us-east-1")).toBeUndefined();
    const refused = await worker.providerFor("333333333333", "us-east-1").catch((e) => e);
    expect(refused).toBeInstanceOf(AwsError);
    expect(refused).toMatchObject({ code: "AccessDenied", message: "cannot assume role r" });
    // One question about the role per account; the identity asked when the client signs.
    expect(resolved.filter((id) => id === "111111111111")).toHaveLength(2);
    expect(questions).toBe(4);
  });

  test("a live policy crosses as its JSON text and arrives parsed, without a prototype", () => {
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*" }] };
    const wire = encodeLive({ kind: "policy", policy, scope: null });
    expect(wire).toEqual({ kind: "policy", raw: JSON.stringify(policy), scope: null });
    const live = decodeLive(wire);
    expect(live).toEqual({ kind: "policy", policy, scope: null });
    expect(live.kind === "policy" && Object.getPrototypeOf(live.policy)).toBeNull();
  });

  test("a live state that is an error crosses unchanged", () => {
    const state = { kind: "error" as const, code: "NoSuchAccessPoint", message: "gone" };
    expect(decodeLive(state)).toEqual(state);
  });
});

describe("a real worker thread, started from its bundle", () => {
  let endpoint: LocalEndpointProcess;
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await freePort();
    endpoint = await startLocalEndpointProcess([
      "--seed-access-points",
      "3",
      "--seed-accounts",
      "111122223333,444455556666",
    ]);
  });
  afterAll(async () => {
    await endpoint.stop();
  });

  const channelTo = (
    endpointUrl: string,
    onEvent: (type: string) => void = () => {},
    optionNames: Record<string, string> = {},
  ) =>
    threadChannel(
      pathToFileURL(join(BUILD_DIR, "store-worker.js")),
      { endpointUrl, requestTimeoutMs: 5000, roles: false, optionNames },
      (event) => onEvent(event.type),
    );

  test("answers as the main thread's own store does", async () => {
    const channel = channelTo(endpoint.url);
    const local = new MemoryStore();
    const store = routedStore(destroyable(local), () => channel, 1);
    try {
      // The first account is the main thread's (here a memory store); the second the worker's.
      await store.listAccessPoints("111122223333", "us-east-1");
      const listed = await store.listAccessPoints("444455556666", "us-east-1");
      expect(listed.map((s) => s.name)).toEqual(["ap-00001", "ap-00002", "ap-00003"]);
      const live = await store.getPolicy(ap("444455556666", "ap-00002"));
      expect(live.kind).toBe("policy");
      const missing = await store.getPolicy(ap("444455556666", "no-such-ap"));
      expect(missing).toMatchObject({ kind: "error", code: "NoSuchAccessPoint" });
      expect(local.calls.map((c) => c.operation)).toEqual(["list"]);
    } finally {
      store.destroy();
    }
  });

  test("its retries are counted on the main thread; its messages name options as the entry does", async () => {
    const events: string[] = [];
    const store = routedStore(
      destroyable(new MemoryStore()),
      () =>
        channelTo(`http://127.0.0.1:${closedPort}`, (type) => events.push(type), {
          endpointUrl: "input endpoint-url",
        }),
      1,
    );
    try {
      await store.listAccessPoints("111122223333", "us-east-1");
      // Nothing listens: the worker retries (an unreachable endpoint, 3 attempts), then fails.
      const live = await store.getPolicy(ap("444455556666"));
      expect(live.kind).toBe("error");
      expect(events.filter((type) => type === "retry")).toHaveLength(2);
      expect(live.kind === "error" && live.message).toContain(
        "check input endpoint-url / AWS_ENDPOINT_URL_S3_CONTROL",
      );
    } finally {
      store.destroy();
    }
  });
});
