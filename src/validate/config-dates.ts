// The dates of s3ap.yaml against the clock: an exception past its `expires` is an error naming
// its owner, one within EXPIRY_WARNING_DAYS a warning; a pause past its `until` a warning. The
// clock is injected (`now`, ms since the epoch); days are UTC days and the date itself still holds.
import type { PolicyException, Problem, RepositoryConfig } from "../model.js";
import { CONFIG_FILE } from "../source/config-file.js";

export const EXPIRY_WARNING_DAYS = 14;

/** What of s3ap.yaml has a date. */
export type DatedSettings = Pick<RepositoryConfig, "exceptions" | "paused">;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from today (UTC) to `date` (YYYY-MM-DD): 0 on the day itself, negative after. */
export function daysLeft(date: string, now: number): number {
  const today = Math.floor(now / DAY_MS);
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS) - today;
}

export function isExpired(exception: PolicyException, now: number): boolean {
  return daysLeft(exception.expires, now) < 0;
}

/** Whether `paused` holds today: every run reports only. */
export function isPaused(config: RepositoryConfig | null, now: number): boolean {
  return config?.paused !== undefined && daysLeft(config.paused.until, now) >= 0;
}

/** What an exception excuses, for messages. */
export function excusedText(exception: PolicyException): string {
  const sid = exception.sid !== undefined ? ` in statements "${exception.sid}"` : "";
  return exception.rule !== undefined
    ? `${exception.rule} warnings${sid} of ${exception.accessPoints}`
    : `drift${sid} of ${exception.accessPoints}`;
}

function inDays(days: number): string {
  return days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`;
}

/**
 * The dates of `config` on the day `now` is in: of a valid s3ap.yaml, or of the entries of one
 * with other problems that are valid themselves (CheckedConfig.dated).
 */
export function configDateProblems(config: DatedSettings | null, now: number): Problem[] {
  const problems: Problem[] = [];
  for (const exception of config?.exceptions ?? []) {
    const days = daysLeft(exception.expires, now);
    if (days > EXPIRY_WARNING_DAYS) continue;
    const ticket = exception.ticket !== undefined ? ` (${exception.ticket})` : "";
    const who = `exception "${exception.id}" of ${exception.owner}${ticket}`;
    problems.push(
      days < 0
        ? {
            file: CONFIG_FILE,
            ...exception.expiresPosition,
            severity: "error",
            rule: "exception-expired",
            message:
              `${who} expired on ${exception.expires}, so it no longer excuses ` +
              `${excusedText(exception)}; ${exception.owner}: renew it with a later expires ` +
              "if it still holds, or remove it and fix what it excused",
          }
        : {
            file: CONFIG_FILE,
            ...exception.expiresPosition,
            severity: "warning",
            rule: "exception-expiring",
            message:
              `${who} expires on ${exception.expires}, ${inDays(days)}; then it stops excusing ` +
              `${excusedText(exception)} and runs fail: renew it, or fix what it excuses`,
          },
    );
  }
  const paused = config?.paused;
  if (paused !== undefined && daysLeft(paused.until, now) < 0) {
    problems.push({
      file: CONFIG_FILE,
      ...paused.untilPosition,
      severity: "warning",
      rule: "paused",
      message:
        `the pause ended on ${paused.until} ("${paused.reason}"), so runs write again; ` +
        "remove paused from s3ap.yaml, or set a later until to keep pausing",
    });
  }
  return problems;
}
