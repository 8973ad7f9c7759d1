// The S3 Control store spread over worker threads when one job holds many accounts: the AWS SDK's
// work per request (middleware, signing, XML, sockets) is most of a plan's CPU, and one thread
// uses one core. The first account is served by the main thread's own store (a job of one
// account starts no thread at all); every later one is dealt round robin to the workers (each
// spawned when its first account comes), each with its own clients and rate limiters, so an
// account's calls and its limiter always live in one thread. The main thread keeps no other
// account: it checks the files and plans every answer, and while it checks a file its event loop
// answers nothing, so its own accounts' answers and timers came late and in bunches, bursts the
// accounts' limits refused. Measured on 2 cores shared with the endpoint and other work (100
// accounts x 100 at 100 req/s each, one worker): with one account in three on the main thread the
// tree was checked after 12-20 s and 2.8-3.7 % of the requests were throttled; with all but the
// first on the worker, after 4-6 s, 1.0-1.6 % throttled, 12-13 s of CPU in all instead of 14-15.
// Without workers the process needs the least CPU (1 s less), but its one thread sends every
// request and checks every file: the tree was checked after 24-32 s, 3.8-6.2 % of the requests
// were throttled, and the job took a median 34.5 s (27.5-36.1) against 24.9 s (21.5-36.2) with
// the worker (3 runs each, alternating, load 8-12).
// The engine sees one PolicyStore
// and makes one plan. Live policies cross the thread boundary as their text and are parsed again
// here, so the plan's objects from untrusted input keep having no prototype (structured cloning
// would give them one). Each account's role is assumed once, on the main thread (where IAM Access
// Analyzer and CloudTrail use it too): a worker asks for the account's credentials when its SDK
// client needs them.
import { Worker } from "node:worker_threads";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountCredentials } from "../aws/assume-role.js";
import type { StoreEvent } from "../aws/store-events.js";
import { AwsError } from "../errors.js";
import type { AccessPointRef, LiveState, PolicyDocument } from "../model.js";
import type { Destroyable, PolicyStore } from "../reconcile/ports.js";
import { parseUntrustedJson } from "../untrusted/plain-data.js";

/** What a worker is told at start: enough to build the same store the main thread has. */
export interface StoreWorkerData {
  kind: "s3ap-store-worker";
  settings: RemoteStoreSettings;
}

/** The store's settings that can cross to a thread (no functions: each side makes its own). */
export interface RemoteStoreSettings {
  endpointUrl?: string;
  ratePerSecond?: number;
  requestTimeoutMs: number;
  /** Accounts sign with roles: the worker asks the main thread for their credentials. */
  roles: boolean;
  /** The entry's words for the options the store's messages name, by key (OptionName as data). */
  optionNames: Record<string, string>;
}

/** A worker's question about one account's role: whether it has one, or its credentials now. */
export interface CredentialsQuestion {
  ask: number;
  what: "role" | "identity";
  accountId: string;
  region: string;
}

/** The main thread's answer to question `answer`. */
export type CredentialsAnswer =
  | { answer: number; ok: true; value: unknown }
  | { answer: number; ok: false; error: WireError };

type Method = Exclude<keyof PolicyStore, never>;

/** A call to a store on the other side, answered once. */
export interface StoreChannel {
  call(method: Method, args: unknown[]): Promise<unknown>;
  close(): void;
}

/** A message from a worker: an answer to call `id`, one of its store's events, or a question. */
export type WorkerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { event: StoreEvent }
  | CredentialsQuestion;

export interface WireError {
  name: string;
  message: string;
  code?: string;
  retryable?: boolean;
  httpStatus?: number;
}

/** A live state as it crosses: its policies as text. */
export type WireLive =
  | { kind: "policy"; raw: string; scope?: unknown; proposed?: string }
  | { kind: "none"; scope?: unknown }
  | { kind: "error"; code: string; message: string };

export function encodeLive(state: LiveState): WireLive {
  if (state.kind === "error") return state;
  const scope = "scope" in state ? { scope: state.scope } : {};
  if (state.kind === "none") return { kind: "none", ...scope };
  return {
    kind: "policy",
    raw: JSON.stringify(state.policy),
    ...scope,
    ...(state.proposed !== undefined ? { proposed: JSON.stringify(state.proposed) } : {}),
  };
}

export function decodeLive(wire: WireLive): LiveState {
  if (wire.kind === "error") return wire;
  const scope = "scope" in wire ? { scope: wire.scope as LiveState & { scope?: never } } : {};
  if (wire.kind === "none") return { kind: "none", ...(scope as object) };
  const policy = untrustedDocument(wire.raw);
  const proposed = wire.proposed === undefined ? undefined : untrustedDocument(wire.proposed);
  if (policy === undefined || (wire.proposed !== undefined && proposed === undefined)) {
    // The worker read and checked this text already; it cannot fail here.
    return { kind: "error", code: "InvalidLivePolicy", message: "the live policy is not valid" };
  }
  return {
    kind: "policy",
    policy,
    ...(scope as object),
    ...(proposed !== undefined ? { proposed } : {}),
  };
}

function untrustedDocument(text: string): PolicyDocument | undefined {
  const read = parseUntrustedJson(text);
  return read.ok ? (read.value as PolicyDocument) : undefined;
}

export function encodeError(error: unknown): WireError {
  if (error instanceof AwsError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      retryable: error.retryable,
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
    };
  }
  return {
    name: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
  };
}

export function decodeError(wire: WireError): Error {
  if (wire.name === "AwsError" && wire.code !== undefined) {
    return new AwsError(wire.message, wire.code, wire.retryable === true, wire.httpStatus);
  }
  return new Error(wire.message);
}

/** Answers one call on the worker's side: the value as it crosses, or the error. */
export async function serveCall(
  store: PolicyStore,
  method: Method,
  args: unknown[],
): Promise<{ ok: true; value: unknown } | { ok: false; error: WireError }> {
  try {
    // A handful of arguments, never a list of items: apply, not a spread.
    const call = store[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await call.apply(store, args);
    return { ok: true, value: method === "getPolicy" ? encodeLive(value as LiveState) : value };
  } catch (error) {
    return { ok: false, error: encodeError(error) };
  }
}

/** Answers a worker's question about an account's role from the main thread's credentials. */
export async function answerCredentials(
  credentials: AccountCredentials | undefined,
  question: CredentialsQuestion,
): Promise<CredentialsAnswer> {
  try {
    const provider = await credentials?.providerFor(question.accountId, question.region);
    const value =
      question.what === "role"
        ? provider !== undefined
        : provider === undefined
          ? undefined
          : await provider();
    return { answer: question.ask, ok: true, value };
  } catch (error) {
    return { answer: question.ask, ok: false, error: encodeError(error) };
  }
}

/**
 * The worker's side of the main thread's AccountCredentials: `ask` posts a question and resolves
 * with its answer. The SDK client keeps what a provider gave until it is about to expire.
 */
export function remoteCredentials(
  ask: (what: CredentialsQuestion["what"], accountId: string, region: string) => Promise<unknown>,
): AccountCredentials {
  let usesRoles = false;
  const roles = new Map<string, Promise<AwsCredentialIdentityProvider | undefined>>();
  return {
    get usesRoles() {
      return usesRoles;
    },
    providerFor(accountId, region) {
      let role = roles.get(accountId);
      if (role === undefined) {
        role = ask("role", accountId, region).then((hasRole) => {
          if (hasRole !== true) return undefined;
          usesRoles = true;
          return async () => (await ask("identity", accountId, region)) as AwsCredentialIdentity;
        });
        role.catch(() => undefined);
        roles.set(accountId, role);
      }
      return role;
    },
  };
}

/** A channel to a new worker thread started from `entry` (the running bundle). */
export function threadChannel(
  entry: URL,
  settings: RemoteStoreSettings,
  onEvent: (event: StoreEvent) => void,
  credentials?: AccountCredentials,
): StoreChannel {
  const data: StoreWorkerData = { kind: "s3ap-store-worker", settings };
  const worker = new Worker(entry, { workerData: data });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on("message", (message: WorkerMessage) => {
    if ("event" in message) {
      onEvent(message.event);
      return;
    }
    if ("ask" in message) {
      void answerCredentials(credentials, message).then((answer) => worker.postMessage(answer));
      return;
    }
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(decodeError(message.error));
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`an S3 Control worker thread exited (${code})`)));
  return {
    call(method, args) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, args });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}

/**
 * One store over the main thread's own and up to `workers` channels made by `spawn` when first
 * needed: the first account used stays on the main thread, the later ones are dealt to the
 * channels round robin in the order they are first used.
 */
export function routedStore(
  local: Destroyable<PolicyStore>,
  spawn: () => StoreChannel,
  workers: number,
): Destroyable<PolicyStore> {
  const channels: StoreChannel[] = [];
  const owner = new Map<string, StoreChannel | "local">();
  const route = (accountId: string): StoreChannel | "local" => {
    let found = owner.get(accountId);
    if (found !== undefined) return found;
    // The main thread checks the files and plans every answer: it keeps only the first account.
    const index = owner.size;
    if (index === 0) {
      found = "local";
    } else {
      const channel = (index - 1) % workers;
      found = channels[channel] ?? spawn();
      channels[channel] = found;
    }
    owner.set(accountId, found);
    return found;
  };
  const remote = <T>(
    accountId: string,
    method: Method,
    args: unknown[],
  ): Promise<T> | undefined => {
    const channel = route(accountId);
    return channel === "local" ? undefined : (channel.call(method, args) as Promise<T>);
  };
  const byRef = (ap: AccessPointRef) => ap.accountId;
  return {
    async getPolicy(ap) {
      const wire = remote<WireLive>(byRef(ap), "getPolicy", [ap]);
      return wire === undefined ? local.getPolicy(ap) : decodeLive(await wire);
    },
    putPolicy: (ap, policyJson) =>
      remote<void>(byRef(ap), "putPolicy", [ap, policyJson]) ?? local.putPolicy(ap, policyJson),
    deletePolicy: (ap) => remote<void>(byRef(ap), "deletePolicy", [ap]) ?? local.deletePolicy(ap),
    putScope: (ap, scope) =>
      remote<void>(byRef(ap), "putScope", [ap, scope]) ?? local.putScope(ap, scope),
    deleteScope: (ap) => remote<void>(byRef(ap), "deleteScope", [ap]) ?? local.deleteScope(ap),
    getPolicyStatus: (ap) =>
      remote<{ isPublic: boolean } | null>(byRef(ap), "getPolicyStatus", [ap]) ??
      local.getPolicyStatus(ap),
    listAccessPoints: (accountId, region, outpostId) =>
      remote(accountId, "listAccessPoints", [accountId, region, outpostId]) ??
      local.listAccessPoints(accountId, region, outpostId),
    listDirectoryAccessPoints: (accountId, region) =>
      remote(accountId, "listDirectoryAccessPoints", [accountId, region]) ??
      local.listDirectoryAccessPoints(accountId, region),
    listMultiRegionAccessPoints: (accountId) =>
      remote(accountId, "listMultiRegionAccessPoints", [accountId]) ??
      local.listMultiRegionAccessPoints(accountId),
    destroy() {
      local.destroy();
      for (const channel of channels) channel.close();
    },
  };
}
