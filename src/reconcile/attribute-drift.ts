// --attribute-drift: who made each drift, from CloudTrail. One query per (account, region) that
// has drift (its policy writes in the window, newest first), shared by its access points; the
// adapter paces them at CloudTrail's 2 requests per second. A denied LookupEvents is one warning
// naming cloudtrail:LookupEvents; any failure leaves the plan as it was, with the reason.
import { count } from "../count.js";
import { AwsError } from "../errors.js";
import { type Attribution, attributionOf } from "./attribution.js";
import type { ChangeHistory, PolicyWrites } from "./ports.js";
import type { Plan, PlannedChange } from "./types.js";

export const DEFAULT_ATTRIBUTION_DAYS = 7;
/** CloudTrail keeps 90 days of management events for LookupEvents. */
export const MAX_ATTRIBUTION_DAYS = 90;
/** The events that write an access point's policy. */
export const POLICY_WRITE_EVENTS: readonly string[] = [
  "PutAccessPointPolicy",
  "DeleteAccessPointPolicy",
];

const DAY_MS = 24 * 60 * 60 * 1000;
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

export interface AttributeOptions {
  /** The wall clock, ms since the epoch: the window ends here. */
  now: number;
  windowDays: number;
}

/**
 * Whether a change is drift CloudTrail can explain: live differs from the file, and not only
 * because the files changed (origin `change`: live is what the base revision declared, so its
 * last write is no drift). Without a base revision every difference is drift.
 */
function isDrift(change: PlannedChange): boolean {
  const differs =
    change.action === "create" || change.action === "update" || change.action === "delete";
  return differs && change.origin !== "change";
}

export async function attributeDrift(
  plan: Plan,
  history: ChangeHistory,
  options: AttributeOptions,
): Promise<Plan> {
  const window = { start: options.now - options.windowDays * DAY_MS, end: options.now };
  const groups = new Map<string, { accountId: string; region: string }>();
  for (const change of plan.changes.filter(isDrift)) {
    groups.set(`${change.accountId}/${change.region}`, change);
  }
  const results = new Map<string, PolicyWrites | AwsError>();
  await Promise.all(
    [...groups].map(async ([key, { accountId, region }]) => {
      try {
        results.set(
          key,
          await history.policyWrites(accountId, region, POLICY_WRITE_EVENTS, window),
        );
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        results.set(key, error);
      }
    }),
  );

  const denied = new Map<string, string[]>();
  const warnings: string[] = [];
  for (const [key, result] of results) {
    if (!(result instanceof AwsError)) continue;
    const { accountId, region } = groups.get(key) as { accountId: string; region: string };
    if (DENIED.has(result.code)) denied.set(accountId, [...(denied.get(accountId) ?? []), region]);
    else
      warnings.push(
        `who made the drift in account ${accountId}, ${region} is not known: ${result.message}`,
      );
  }
  if (denied.size > 0) {
    const where = [...denied]
      .map(([account, regions]) => `${account} (${regions.sort().join(", ")})`)
      .join(", ");
    warnings.unshift(
      `cloudtrail:LookupEvents was denied in ${count(denied.size, "account")}: ${where}; ` +
        "grant cloudtrail:LookupEvents to the role s3ap uses there to see who made each drift " +
        "(the plan goes on without it)",
    );
  }

  const changes = plan.changes.map((change): PlannedChange => {
    if (!isDrift(change)) return change;
    const result = results.get(`${change.accountId}/${change.region}`);
    if (result === undefined) return change;
    const attribution: Attribution =
      result instanceof AwsError
        ? {
            status: "error",
            windowDays: options.windowDays,
            events: [],
            text: DENIED.has(result.code)
              ? "not known: cloudtrail:LookupEvents was denied"
              : `not known: ${result.message}`,
          }
        : attributionOf(change, result.events, options.windowDays, result.truncated);
    return { ...change, attribution };
  });
  return {
    ...plan,
    changes,
    attribution: { enabled: true, windowDays: options.windowDays, warnings },
  };
}
