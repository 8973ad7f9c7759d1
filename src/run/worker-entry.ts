// Where the store worker's bundle is: registered by each entry (CLI, Action) at start-up, on its
// own so that registering it loads nothing else (store-worker.ts brings the AWS SDK).

let entry: URL | undefined;

/**
 * Where the worker bundle is, beside the entry (the CLI, the Action) that registers it. Source
 * files run by a test runner register none, so they never start threads.
 */
export function registerWorkerEntry(url: string): void {
  entry = new URL(url);
}

export function workerEntry(): URL | undefined {
  return entry;
}
