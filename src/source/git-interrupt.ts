// What SIGTERM/SIGINT must undo before s3ap exits: every running git process (a clone can take
// minutes) and every temporary folder a source opened. Without it a cancelled CI job left the
// half-written clone in the temp folder and an orphaned `git fetch` running.
import { constants } from "node:os";
import pidtree from "pidtree";

const controller = new AbortController();
const cleanups = new Set<() => Promise<void>>();

/** Passed to every simple-git instance: aborting it kills the git processes it started. */
export function gitAbortSignal(): AbortSignal {
  return controller.signal;
}

/** True once a signal asked s3ap to stop: nothing new may be created after that. */
export function interrupted(): boolean {
  return controller.signal.aborted;
}

/** Registers a clean-up to run on a signal; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Kills the git processes, then runs every registered clean-up (each once, errors ignored).
 * Killing `git fetch` alone is not enough: its `git-remote-http` helper, blocked on the network,
 * outlives it. So every process below s3ap's own is listed first (a helper whose parent has died
 * is no longer below s3ap) and sent SIGTERM; all of them are git's, as s3ap starts nothing else.
 * Where `ps` is missing the list is empty, and git is still stopped through simple-git.
 */
export async function interrupt(): Promise<void> {
  const descendants = await pidtree(process.pid).catch((): number[] => []);
  controller.abort();
  for (const pid of descendants) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone (the `ps` that listed them, a git that just finished).
    }
  }
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.all(pending.map((cleanup) => cleanup().catch(() => undefined)));
}

/**
 * For the entry points: on SIGTERM, SIGINT or SIGHUP clean up, then exit with 128 + the signal's
 * number, as a shell reports a killed process. A second signal exits at once.
 */
export function cleanUpOnSignals(exit: (code: number) => void): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => {
      const code = 128 + constants.signals[signal];
      if (stopping) return exit(code);
      stopping = true;
      void interrupt().finally(() => exit(code));
    });
  }
}
