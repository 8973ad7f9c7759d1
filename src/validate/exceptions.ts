// Which s3ap.yaml exceptions excuse which drift and which warnings (pure; the clock is passed in).
// Their dates are judged in config-dates.ts: an expired exception excuses nothing.
//
// - Drift: an exception without `rule` whose accessPoints glob matches the access point, not
//   expired, and with `sid` only when every statement the drift touches has that Sid. It never
//   excuses drift that makes the access point public or widens it outside trust: that drift is
//   reported as drift, with the exception named and why it does not hold.
// - Warnings: an exception with `rule` excuses the warnings of that rule in the file that declares
//   a matching access point (with `sid`, only those inside such a statement). Errors never.
// The first exception in file order that fits wins.
import { compileAccessPointGlob, type GlobTarget } from "../access-point/only-pattern.js";
import type { DesiredAccessPoint, ExceptionRef, PolicyException, Problem } from "../model.js";
import type { PolicyDiff } from "../policy/diff.js";
import type { TrustVerdict } from "../policy/trust.js";
import { isExpired } from "./config-dates.js";

export type DriftExcuse =
  | { status: "excepted"; exception: ExceptionRef }
  /** It matches, but the drift is public or outside trust, which no exception can hide. */
  | { status: "refused"; exception: ExceptionRef; because: string };

export function exceptionRef(e: PolicyException): ExceptionRef {
  return {
    id: e.id,
    owner: e.owner,
    reason: e.reason,
    ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
    expires: e.expires,
  };
}

/** The exceptions in force today, each with its compiled glob (checked when s3ap.yaml loaded). */
export class Exceptions {
  private readonly entries: Array<{
    exception: PolicyException;
    matches: (t: GlobTarget) => boolean;
  }>;

  constructor(exceptions: readonly PolicyException[] | undefined, now: number) {
    this.entries = (exceptions ?? [])
      .filter((e) => !isExpired(e, now))
      .map((exception) => ({
        exception,
        matches: compileAccessPointGlob(exception.accessPoints, `exception ${exception.id}`),
      }));
  }

  /**
   * Whether drift of `target` is excused. `diff` is the statement diff of the drift (either
   * direction: only its Sids are read); `trust` is where the drift reaches (file → live).
   */
  drift(
    target: GlobTarget,
    diff: PolicyDiff | null,
    trust: TrustVerdict | null,
  ): DriftExcuse | undefined {
    const found = this.entries.find(
      ({ exception, matches }) =>
        exception.rule === undefined &&
        matches(target) &&
        (exception.sid === undefined || confinedTo(diff, exception.sid)),
    );
    if (found === undefined) return undefined;
    const exception = exceptionRef(found.exception);
    const outside = trust?.outside[0];
    if (outside === undefined) return { status: "excepted", exception };
    const what =
      outside.kind === "public"
        ? "a public grant can never be excepted"
        : "a widening outside trust can never be excepted";
    return { status: "refused", exception, because: `live ${outside.text}: ${what}` };
  }

  /** The problems, each warning an exception excuses marked with it (errors never are). */
  markWarnings(problems: readonly Problem[], desired: readonly DesiredAccessPoint[]): Problem[] {
    const byFile = new Map(desired.map((d) => [d.file, d]));
    return problems.map((problem) => {
      const target = byFile.get(problem.file);
      if (problem.severity !== "warning" || target === undefined) return problem;
      const found = this.entries.find(
        ({ exception, matches }) =>
          exception.rule === problem.rule &&
          (exception.sid === undefined || exception.sid === problem.sid) &&
          matches(target),
      );
      return found === undefined
        ? problem
        : { ...problem, exception: exceptionRef(found.exception) };
    });
  }
}

/** Whether every statement a diff touches has this Sid (and nothing outside statements changes). */
function confinedTo(diff: PolicyDiff | null, sid: string): boolean {
  if (diff === null || diff.document.length > 0) return false;
  const sids = [
    ...diff.added.map((s) => s.sid),
    ...diff.removed.map((s) => s.sid),
    ...diff.changed.flatMap((c) => [c.before.sid, c.after.sid]),
  ];
  return sids.length > 0 && sids.every((s) => s === sid);
}
