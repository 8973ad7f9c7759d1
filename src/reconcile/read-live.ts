// Reads the live policy of every desired access point, at most `concurrency` at a time per
// (account, region): every account proceeds at once (scoped-limit.ts).
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointRef, LiveState } from "../model.js";
import type { PolicyReader } from "./ports.js";
import { scopedQueue } from "./scoped-queue.js";

export interface ReadLiveOptions {
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export async function readLive(
  accessPoints: readonly AccessPointRef[],
  store: PolicyReader,
  options: ReadLiveOptions,
): Promise<Map<string, LiveState>> {
  const live = new Map<string, LiveState>();
  await readEach(accessPoints, store, options, (ap, state) => {
    live.set(accessPointKey(ap), state);
  });
  return live;
}

/**
 * Reads every access point and hands each answer to `use` as it arrives, so that what is done
 * with it (the plan of that access point) is done while the other reads are on their way, not
 * after the last one. The answer itself is not kept.
 */
export async function readEach<A extends AccessPointRef>(
  accessPoints: readonly A[],
  store: PolicyReader,
  options: ReadLiveOptions,
  use: (ap: A, live: LiveState) => void,
): Promise<void> {
  let done = 0;
  const queue = scopedQueue<A>(options.concurrency, async (ap) => {
    use(ap, await readOne(store, ap));
    done += 1;
    options.onProgress?.(done, accessPoints.length);
  });
  for (const ap of accessPoints) queue.push(ap);
  await queue.drained();
}

async function readOne(store: PolicyReader, ap: AccessPointRef): Promise<LiveState> {
  try {
    return await store.getPolicy(ap);
  } catch (error) {
    // The store reports per-access-point failures as states; anything thrown is unexpected,
    // but it still must not stop the other access points.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "error", code: "ReadFailed", message };
  }
}
