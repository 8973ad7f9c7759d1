// Reads the live policy of every desired access point, at most `concurrency` at a time per
// (account, region): every account proceeds at once (scoped-limit.ts).
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointRef, LiveState } from "../model.js";
import type { PolicyReader } from "./ports.js";
import { scopedLimit } from "./scoped-limit.js";

export interface ReadLiveOptions {
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export async function readLive(
  accessPoints: readonly AccessPointRef[],
  store: PolicyReader,
  options: ReadLiveOptions,
): Promise<Map<string, LiveState>> {
  const limit = scopedLimit(options.concurrency);
  const live = new Map<string, LiveState>();
  let done = 0;
  await Promise.all(
    accessPoints.map((ap) =>
      limit(ap, async () => {
        live.set(accessPointKey(ap), await readOne(store, ap));
        done += 1;
        options.onProgress?.(done, accessPoints.length);
      }),
    ),
  );
  return live;
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
