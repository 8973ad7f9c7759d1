// What `apply --remediate` does with one drifted access point, and which rule of s3ap.yaml
// decided it (pure). First rule that applies wins:
//   1. `paused` (until its date): report: every run reports only;
//   2. an exception that excuses the drift: report: excepted drift is never applied;
//   3. `mode: observe`: report;
//   4. not drift (the files changed since the base): report: --remediate reverts drift only,
//      the change is applied by apply on push;
//   5. drift that widens access, or is mixed (it grants something the file does not):
//      `remediate.widening`; drift that narrows or keeps access the same: `remediate.narrowing`.
//      Without `remediate` both are report.
import type { Mode, Pause, RemediatePolicy } from "../model.js";
import type { AccessChange } from "../policy/access-verdict.js";
import { flatText } from "../policy/flat-text.js";
import type { Remediation } from "./types.js";

export type { Remediation, RemediationRule } from "./types.js";

export interface DriftFacts {
  mode: Mode;
  /** change: the files changed, live did not; drift: live changed; change+drift: both. */
  origin: "change" | "drift" | "change+drift";
  /** What the drift did to access (file → live); undefined when there is no drift. */
  driftAccess: AccessChange | undefined;
  /** The id of the exception that excuses the drift, if one does. */
  exceptedBy: string | undefined;
}

export interface RemediationSettings {
  remediate: RemediatePolicy | undefined;
  /** The pause in force today (config-dates.ts isPaused), if any. */
  paused: Pause | undefined;
}

const WIDENING = new Set<AccessChange>(["widens", "mixed"]);

/**
 * The rule's decision has a few dozen wordings at most (rule, action, default or not, what live
 * did), so every change shares one flat string per wording. NOTE: built per change, each was a
 * tree of its pieces (~220 bytes): 10,000 drifted access points held 2.2 MB of copies.
 */
const decisions = new Map<string, string>();
function sharedText(text: string): string {
  let shared = decisions.get(text);
  if (shared === undefined) {
    shared = flatText(text);
    decisions.set(shared, shared);
  }
  return shared;
}

export function remediationOf(facts: DriftFacts, settings: RemediationSettings): Remediation {
  if (settings.paused !== undefined) {
    const { reason, until } = settings.paused;
    return {
      action: "report",
      rule: "paused",
      text: `paused until ${until} (${reason}): every run reports only`,
    };
  }
  if (facts.exceptedBy !== undefined) {
    return {
      action: "report",
      rule: "exception",
      text: `exception "${facts.exceptedBy}": excepted drift is never applied`,
    };
  }
  if (facts.mode === "observe") {
    return { action: "report", rule: "mode", text: "mode: observe: reported, never written" };
  }
  if (facts.origin !== "drift") {
    return {
      action: "report",
      rule: "not-drift",
      text: "the files changed: a plain apply writes changes, remediation reverts drift only",
    };
  }
  const widening = facts.driftAccess === undefined || WIDENING.has(facts.driftAccess);
  const rule = widening ? "remediate.widening" : "remediate.narrowing";
  const configured = widening ? settings.remediate?.widening : settings.remediate?.narrowing;
  const action = configured ?? "report";
  const live =
    facts.driftAccess === undefined
      ? "live differs"
      : facts.driftAccess === "same"
        ? "live keeps access the same"
        : `live ${facts.driftAccess === "mixed" ? "widens and narrows" : facts.driftAccess} access`;
  return {
    action,
    rule,
    text: sharedText(
      `${rule}: ${action}${configured === undefined ? ", the default" : ""} — ${live}`,
    ),
    ...(configured === undefined ? { byDefault: true } : {}),
  };
}
