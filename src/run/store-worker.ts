// The worker thread's side of run/worker-store.ts: started from dist/store-worker.js (each entry
// registers where that bundle is), it builds its own S3 Control store (clients, rate limiters) from
// the settings it is given, asks the main thread for the credentials of each account's role, and
// answers the main thread's calls.
import { parentPort, workerData } from "node:worker_threads";
import { createS3ControlStore } from "../aws/s3control-store.js";
import { cliFlag } from "../errors.js";
import {
  type CredentialsAnswer,
  type CredentialsQuestion,
  decodeError,
  remoteCredentials,
  type StoreWorkerData,
  serveCall,
} from "./worker-store.js";

export function serveStoreWorker(): void {
  const port = parentPort;
  if (port === null) throw new Error("serveStoreWorker runs in a worker thread");
  const settings = (workerData as StoreWorkerData).settings;
  const questions = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  let asked = 0;
  const accountCredentials = settings.roles
    ? remoteCredentials(
        (what, accountId, region) =>
          new Promise((resolve, reject) => {
            const ask = asked++;
            questions.set(ask, { resolve, reject });
            port.postMessage({ ask, what, accountId, region } satisfies CredentialsQuestion);
          }),
      )
    : undefined;
  const store = createS3ControlStore({
    ...(accountCredentials !== undefined ? { accountCredentials } : {}),
    ...(settings.ratePerSecond !== undefined ? { ratePerSecond: settings.ratePerSecond } : {}),
    ...(settings.endpointUrl !== undefined ? { endpointUrl: settings.endpointUrl } : {}),
    requestTimeoutMs: settings.requestTimeoutMs,
    optionName: (key) => settings.optionNames[key] ?? cliFlag(key),
    onEvent: (event) => port.postMessage({ event }),
  });
  port.on("message", async (message: CallMessage | CredentialsAnswer) => {
    if ("answer" in message) {
      const question = questions.get(message.answer);
      questions.delete(message.answer);
      if (message.ok) question?.resolve(message.value);
      else question?.reject(decodeError(message.error));
      return;
    }
    port.postMessage({ id: message.id, ...(await serveCall(store, message.method, message.args)) });
  });
}

interface CallMessage {
  id: number;
  method: never;
  args: unknown[];
}
