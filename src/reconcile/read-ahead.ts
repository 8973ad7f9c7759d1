// Reads live state ahead of the engine: the run starts the read of each access point as soon as
// its file is found valid, while the rest of the tree is still being checked, so the requests go
// out from the first valid file on instead of after the last one. The engine's read of that
// access point then takes the answer already on its way. Each answer is handed out once: a
// read-back after a write must see the write, so it reads again.
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointRef, LiveState } from "../model.js";
import type { PolicyReader } from "./ports.js";
import { type ScopedLimit, scopedLimit } from "./scoped-limit.js";

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

export function readAhead(
  reader: PolicyReader,
  concurrency: number,
  limit: ScopedLimit = scopedLimit(concurrency),
): ReadAhead {
  const answers = new Map<string, Promise<LiveState>>();
  let stopped = false;
  return {
    start(ap) {
      const key = accessPointKey(ap);
      if (stopped || answers.has(key)) return;
      const answer = limit(ap, () => (stopped ? Promise.resolve(STOPPED) : reader.getPolicy(ap)));
      // Taken later (or never, when the run stops): its failure must not go unhandled meanwhile.
      answer.catch(() => {});
      answers.set(key, answer);
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
        const answer = answers.get(key);
        if (answer === undefined) return reader.getPolicy(ap);
        answers.delete(key);
        return answer;
      },
      listAccessPoints: (accountId, region, outpostId) =>
        reader.listAccessPoints(accountId, region, outpostId),
      listDirectoryAccessPoints: (accountId, region) =>
        reader.listDirectoryAccessPoints(accountId, region),
      listMultiRegionAccessPoints: (accountId) => reader.listMultiRegionAccessPoints(accountId),
    },
  };
}
