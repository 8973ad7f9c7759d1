// Reads live state ahead of the engine: the run starts the read of each access point as soon as
// its file is found valid, while the rest of the tree is still being checked, so the requests go
// out from the first valid file on instead of after the last one. The engine's read of that
// access point then takes the answer already on its way. Each answer is handed out once: a
// read-back after a write must see the write, so it reads again.
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointRef, LiveState } from "../model.js";
import type { PolicyReader } from "./ports.js";
import { scopedQueue } from "./scoped-queue.js";

export interface ReadAhead {
  /** The reader to hand the engine: answers read ahead first, the underlying reader otherwise. */
  reader: PolicyReader;
  /** Starts reading this access point (at most `concurrency` per account and region at once). */
  start(ap: AccessPointRef): void;
  /** Starts nothing more: reads not yet sent are never sent (the tree turned out invalid). */
  stop(): void;
  /** Access points read ahead whose answer nobody has taken yet. */
  readonly pending: number;
}

const STOPPED: LiveState = {
  kind: "error",
  code: "NotRead",
  message: "not read: the run stopped before this access point was read",
};

/**
 * An access point to read ahead: its answer once sent; who took it before it was sent. Every
 * field is set when it is made, so V8 keeps them all in the object (no second array for fields
 * added later): thousands wait while the tree is checked.
 */
interface Ahead {
  ap: AccessPointRef;
  accountId: string;
  region: string;
  answer: Promise<LiveState> | undefined;
  taken: ((answer: Promise<LiveState>) => void) | undefined;
}

export function readAhead(reader: PolicyReader, concurrency: number): ReadAhead {
  const answers = new Map<string, Ahead>();
  let stopped = false;
  // A read waiting for its slot is one small record in its scope's list (scoped-queue.ts).
  const queue = scopedQueue<Ahead>(concurrency, async (ahead) => {
    let answer: Promise<LiveState>;
    try {
      answer = stopped ? Promise.resolve(STOPPED) : reader.getPolicy(ahead.ap);
    } catch (error) {
      answer = Promise.reject(error);
    }
    // Taken later (or never, when the run stops): its failure must not go unhandled meanwhile.
    answer.catch(() => {});
    ahead.answer = answer;
    ahead.taken?.(answer);
    await answer.then(
      () => {},
      () => {},
    );
  });
  return {
    start(ap) {
      const key = accessPointKey(ap);
      if (stopped || answers.has(key)) return;
      const ahead: Ahead = {
        ap,
        accountId: ap.accountId,
        region: ap.region,
        answer: undefined,
        taken: undefined,
      };
      answers.set(key, ahead);
      queue.push(ahead);
    },
    stop() {
      stopped = true;
    },
    get pending() {
      return answers.size;
    },
    reader: {
      getPolicy(ap) {
        const key = accessPointKey(ap);
        const ahead = answers.get(key);
        if (ahead === undefined) return reader.getPolicy(ap);
        answers.delete(key);
        if (ahead.answer !== undefined) return ahead.answer;
        // Not sent yet: the answer comes when its turn does.
        return new Promise<LiveState>((resolve) => {
          ahead.taken = resolve;
        });
      },
      listAccessPoints: (accountId, region, outpostId) =>
        reader.listAccessPoints(accountId, region, outpostId),
      listDirectoryAccessPoints: (accountId, region) =>
        reader.listDirectoryAccessPoints(accountId, region),
      listMultiRegionAccessPoints: (accountId) => reader.listMultiRegionAccessPoints(accountId),
    },
  };
}
