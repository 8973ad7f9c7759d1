// How one job's limiters start: an account used after another of its region was throttled starts
// at the pace that account found, paced from its first request; the first of a region and every
// account under --rate start as before.
import { expect, test } from "vitest";
import { createLimitedCalls } from "../../src/aws/limited-attempt.js";
import type { StoreEvent } from "../../src/aws/store-events.js";
import { awsError } from "./support/aws-error.js";
import { VirtualTime } from "./support/virtual-time.js";

const scope = (accountId: string, region = "us-east-1") => ({
  accountId,
  region,
  operation: "GetAccessPointPolicy",
  target: `an access point of ${accountId}`,
});

/** Limited calls over a server that throttles the next request after throttleOnce(). */
function setup(
  options: { ratePerSecond?: number; latencyMs?: (accountId: string) => number } = {},
) {
  const time = new VirtualTime();
  const events: StoreEvent[] = [];
  const calls = createLimitedCalls({
    ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
    now: time.now,
    sleep: time.sleep,
    random: () => 0,
    onEvent: (event) => events.push(event),
  });
  const sentAt = new Map<string, number[]>();
  let throttleNext = false;
  const call = (accountId: string, region?: string) =>
    calls.call(
      scope(accountId, region),
      () => undefined,
      async () => {
        const at = sentAt.get(accountId) ?? [];
        at.push(time.now());
        sentAt.set(accountId, at);
        const throttle = throttleNext;
        throttleNext = false;
        const latency = options.latencyMs?.(accountId) ?? 0;
        if (latency > 0) await time.sleep(latency);
        if (throttle) {
          throw awsError("SlowDown", 503);
        }
        return "ok";
      },
      (failure) => new Error(failure.code),
    );
  return {
    time,
    events,
    sentAt,
    call,
    throttleOnce() {
      throttleNext = true;
    },
  };
}

/** Runs the clock until `call` is answered. */
async function answered(run: ReturnType<typeof setup>, call: Promise<unknown>): Promise<void> {
  let done = false;
  void call.then(() => {
    done = true;
  });
  while (!done) await run.time.run(run.time.now() + 10);
  await call;
}

/** Ten requests of one account at once; when each went out, relative to the first. */
async function tenAtOnce(run: ReturnType<typeof setup>, accountId: string, region?: string) {
  const start = run.time.now();
  const done = Promise.all(Array.from({ length: 10 }, () => run.call(accountId, region)));
  await run.time.run(start + 10_000);
  await done;
  return (run.sentAt.get(accountId) ?? []).map((at) => at - start);
}

test("an account first used after another of its region was throttled starts paced at the pace that one found", async () => {
  const run = setup();
  run.throttleOnce();
  await tenAtOnce(run, "111111111111");
  const found = run.events.find((e) => e.type === "rate-change");
  expect(found).toMatchObject({ type: "rate-change", accountId: "111111111111" });
  const rate = found?.type === "rate-change" ? found.ratePerSecond : Number.NaN;
  expect(rate).toBeLessThan(1000);
  // The second account's requests are spaced 1/rate apart from its first one (a burst of at
  // most 50 ms of the rate), not eight at once as slow start sends them.
  const second = await tenAtOnce(run, "222222222222");
  const burst = Math.max(1, Math.floor(rate * 0.05));
  expect(second.slice(0, burst)).toEqual(Array(burst).fill(0));
  expect(second[9]).toBeCloseTo(((10 - burst) * 1000) / rate, 6);
});

test("a pace reached by probing upward, never refused, is not passed on: a new account starts at the last cut", async () => {
  const run = setup();
  run.throttleOnce();
  await answered(run, run.call("111111111111"));
  const cut = run.events.find((e) => e.type === "rate-change");
  const rate = cut?.type === "rate-change" ? cut.ratePerSecond : Number.NaN;
  // Three seconds of answers, none refused: the first account's pace climbs above its cut.
  while (run.time.now() < 3000) await answered(run, run.call("111111111111"));
  const climbed = run.events.filter((e) => e.type === "rate-change").at(-1);
  expect(climbed?.type === "rate-change" && climbed.ratePerSecond).toBeGreaterThan(rate);
  const second = await tenAtOnce(run, "222222222222");
  const burst = Math.max(1, Math.floor(rate * 0.05));
  expect(second[9]).toBeCloseTo(((10 - burst) * 1000) / rate, 6);
});

test("accounts still in slow start when another of their region is throttled take the pace it found", async () => {
  // The first account answers in 10 ms, the second in 20: the first one's throttle comes while
  // the second still waits for the answers to its first 8 requests.
  const run = setup({ latencyMs: (accountId) => (accountId === "111111111111" ? 10 : 20) });
  run.throttleOnce();
  const first = run.call("111111111111");
  const second = Promise.all(Array.from({ length: 12 }, () => run.call("222222222222")));
  await run.time.run(10_000);
  await Promise.all([first, second]);
  const found = run.events.find((e) => e.type === "rate-change" && e.accountId === "111111111111");
  const rate = found?.type === "rate-change" ? found.ratePerSecond : Number.NaN;
  expect(rate).toBeLessThan(100);
  const sent = run.sentAt.get("222222222222") ?? [];
  // Slow start sent 8 at once; the 4 after them are paced at the first account's pace (its burst
  // is 1), not sent together when the 8 answers come back.
  expect(sent.slice(0, 8)).toEqual(Array(8).fill(0));
  const gaps = sent.slice(8).map((at, i) => at - (sent[7 + i] ?? 0));
  expect(gaps.slice(1).every((gap) => gap >= 1000 / rate - 1e-6)).toBe(true);
});

test("the first account of a region, and any account before a throttle, starts slowly but unpaced", async () => {
  const run = setup();
  run.throttleOnce();
  await tenAtOnce(run, "111111111111", "eu-west-1");
  // Another region: nothing was found there yet.
  expect(await tenAtOnce(run, "222222222222")).toEqual(Array(10).fill(0));
  // No throttle in us-east-1 yet: the next account there starts unpaced too.
  expect(await tenAtOnce(run, "333333333333")).toEqual(Array(10).fill(0));
});

test("under --rate every account starts at the configured rate, whatever another one found", async () => {
  const run = setup({ ratePerSecond: 100 });
  run.throttleOnce();
  await tenAtOnce(run, "111111111111");
  const second = await tenAtOnce(run, "222222222222");
  // 100/s with a burst of 5 (50 ms of it): five at once, then every 10 ms.
  expect(second).toEqual([0, 0, 0, 0, 0, 10, 20, 30, 40, 50]);
});
