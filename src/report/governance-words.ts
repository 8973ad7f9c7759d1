// How reports say what s3ap.yaml's rules and CloudTrail add to a change: whether it reaches
// outside trust (and through which principal), the exception that excuses it (or cannot), what
// `apply --remediate` does with it and which rule decided, and who made the drift. Plain text:
// each report passes it through its own sink.
import type { Plan, PlannedChange, TrustVerdict } from "../reconcile/types.js";

/** Markdown badge of a verdict's trust tier; "" within trust. Its text is ours. */
export function trustBadge(trust: TrustVerdict | undefined): string {
  if (trust?.tier !== "outside") return "";
  return trust.outside.some((g) => g.kind === "public") ? "🚨 **public**" : "🚨 **outside trust**";
}

/** The badge of several verdicts: anything public, else anything outside trust; "" otherwise. */
export function trustBadgeOf(verdicts: ReadonlyArray<TrustVerdict | undefined>): string {
  if (!verdicts.some((t) => t?.tier === "outside")) return "";
  const publicGrant = verdicts.some((t) => t?.outside.some((g) => g.kind === "public"));
  return publicGrant ? "🚨 **public**" : "🚨 **outside trust**";
}

/** The badge of the whole plan, its changes and its drift together. */
export function planTrustBadge(plan: Plan): string {
  if (plan.widensOutsideTrust !== true) return "";
  return trustBadgeOf(plan.changes.flatMap((c) => [c.changeTrust, c.driftTrust]));
}

/** `outside trust: …` for a terminal, or "" within trust. */
export function trustWord(trust: TrustVerdict | undefined): string {
  if (trust?.tier !== "outside") return "";
  return trust.outside.some((g) => g.kind === "public") ? "public" : "outside trust";
}

/** Each grant that reaches outside trust, one sentence each. */
export function outsideGrants(trust: TrustVerdict | undefined): string[] {
  return (trust?.outside ?? []).map((g) => g.text);
}

/**
 * The exception on a drift, in one sentence; null without one. `writer` names what writes the
 * file over drift an exception no longer holds back: "merging" in a pull request, else "apply".
 */
export function exceptionSentence(change: PlannedChange, writer = "apply"): string | null {
  const e = change.exception;
  if (e === undefined) return null;
  const ticket = e.ticket !== undefined ? `, ${e.ticket}` : "";
  switch (e.status) {
    case "excepted":
      return (
        `excepted by s3ap.yaml exception "${e.id}" of ${e.owner} until ${e.expires} ` +
        `(${e.reason}${ticket}): reported, never written`
      );
    case "overridden":
      return `${writer} writes over drift excepted by s3ap.yaml exception "${e.id}" of ${e.owner}: ${e.because ?? "the file changes too"}`;
    case "refused":
      return `the s3ap.yaml exception "${e.id}" of ${e.owner} does not hold: ${e.because ?? "it cannot excuse this drift"}`;
  }
}

/**
 * What `apply --remediate` does with a drift and which rule decided; null for no drift, and for
 * the default (s3ap.yaml sets no `remediate`) unless `evenDefault`: plans say it only when a team
 * chose a rule, drift issues always.
 */
export function remediationSentence(change: PlannedChange, evenDefault = false): string | null {
  const r = change.remediation;
  if (r === undefined || (r.byDefault === true && !evenDefault)) return null;
  const does = r.action === "revert" ? "reverts it" : "reports it";
  return `a remediating run ${does}: ${r.text}`;
}

/**
 * Who made the drift, from CloudTrail, to follow "Who changed it:"; null when it was not asked.
 * Not found or not known is said as such, never left out.
 */
export function attributionSentence(change: PlannedChange): string | null {
  return change.attribution?.text ?? null;
}
