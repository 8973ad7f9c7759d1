// The terminal rendering of a plan, in the spirit of `terraform plan`.

import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { Plan, PlannedChange } from "../reconcile/types.js";
import { partsOf } from "../reconcile/types.js";
import {
  ACCESS_LABEL,
  analyzerDetails,
  analyzerSummary,
  changeSentence,
  driftSentence,
  mayWiden,
  shownReasons,
  widensAccess,
} from "./access-labels.js";
import {
  attributionSentence,
  exceptionSentence,
  outsideGrants,
  remediationSentence,
  trustWord,
} from "./governance-words.js";
import { proposedPolicyText, scopeChangeLines } from "./kind-details.js";
import {
  changeLabel,
  narrowedText,
  provenanceText,
  SHA_LENGTH,
  SYMBOL,
  summaryLine,
} from "./labels.js";
import { baseWarnings, driftedInLive, releasedOf, shownBase } from "./plan-sections.js";
import { renderPolicyDiffText } from "./policy-diff-text.js";
import type { OptionNames } from "./refusal-text.js";
import { terminalText } from "./sinks/terminal.js";
import { style } from "./style.js";
import {
  discoveryOn,
  renderUnmanagedText,
  unmanagedOf,
  unmanagedSuffix,
} from "./unmanaged-text.js";

/** Changes named in the closing "widen access" line; each has its own entry above. */
const MAX_NAMED = 10;

export interface TextOptions {
  color: boolean;
  /** Also list access points that are in sync, with why textual differences are not drift. */
  verbose?: boolean;
  /** How the entry names its options in hints (default: the CLI's flags). */
  names?: OptionNames;
}

/** `s3ap plan — commit 0123456789ab (base fedcba987654)`: the head, and the base when it differs. */
function titleLine(plan: Plan): string {
  const base = shownBase(plan);
  const against =
    base === undefined
      ? ""
      : ` (base ${base.commit.slice(0, SHA_LENGTH)}${base.ref === undefined ? "" : ` ${terminalText(base.ref)}`})`;
  return `s3ap plan — ${provenanceText(plan)}${against}`;
}

export function renderPlanText(plan: Plan, options: TextOptions): string {
  return [...planTextChunks(plan, options)].join("");
}

/** Lines are handed out in chunks of about this many. */
const CHUNK_LINES = 500;

/**
 * renderPlanText's text in chunks that end at a line's end, for a writer that streams it: 10,000
 * changes are ~15 MB of text, which need never be one string.
 */
export function* planTextChunks(plan: Plan, options: TextOptions): Generator<string> {
  const s = style(options.color);
  const lines: string[] = [titleLine(plan), ""];
  const narrowed = narrowedText(plan.only, terminalText);
  if (narrowed !== undefined) lines.push(narrowed, "");
  for (const warning of baseWarnings(plan)) lines.push(s.yellow(`base: ${terminalText(warning)}`));
  if (baseWarnings(plan).length > 0) lines.push("");
  const accountErrors = accountWideErrors(plan.changes);
  const shown = new Set<string>();
  // Errors first: what could not be planned is read before what was.
  const ordered = [
    ...plan.changes.filter((c) => c.action === "error"),
    ...plan.changes.filter((c) => c.action !== "error"),
  ];
  for (const change of ordered) {
    if (change.action === "noop" && !options.verbose) continue;
    const group = accountErrors.get(errorKey(change));
    if (group !== undefined) {
      if (!shown.has(errorKey(change))) appendAll(lines, renderAccountError(group, options));
      shown.add(errorKey(change));
      continue;
    }
    appendAll(lines, renderChange(change, options));
    if (lines.length >= CHUNK_LINES) {
      yield `${lines.join("\n")}\n`;
      lines.length = 0;
    }
  }
  for (const r of releasedOf(plan)) {
    lines.push(
      s.dim(
        `- released ${terminalText(`${r.accountId}/${r.region}/${r.outpostId !== undefined ? `${r.outpostId}/` : ""}${r.name}`)}: ${terminalText(r.file)} is removed, so s3ap no longer manages it (its live policy stays as it is)`,
      ),
    );
  }
  if (releasedOf(plan).length > 0) lines.push("");
  appendAll(
    lines,
    renderUnmanagedText(plan, {
      verbose: options.verbose === true,
      ...(options.names !== undefined ? { name: options.names.name } : {}),
    }),
  );
  appendAll(lines, governanceNotes(plan, options));
  const drift = plan.summary.create + plan.summary.update + plan.summary.delete;
  if (drift === 0 && plan.summary.error === 0) {
    const unmanaged = discoveryOn(plan) ? ` ${unmanagedOf(plan).length} unmanaged.` : "";
    const inSync = plan.summary.noop;
    lines.push(
      s.green(
        `No changes. ${count(inSync, "access point is", "access points are")} in sync.${unmanaged}`,
      ),
    );
  } else {
    lines.push(s.bold(`Plan: ${summaryLine(plan.summary)}${unmanagedSuffix(plan)}.`));
    const observed = plan.changes.filter(
      (c) => c.mode === "observe" && c.action !== "noop" && c.action !== "error",
    ).length;
    if (observed > 0) lines.push(`${observed} of them in observe mode: reported, never written.`);
    const excepted = plan.summary.excepted ?? 0;
    if (excepted > 0) {
      lines.push(
        s.yellow(`${excepted} of them excepted in s3ap.yaml: reported, never written, no issue.`),
      );
    }
    const outside = plan.changes.filter(
      (c) => c.changeTrust?.tier === "outside" || c.driftTrust?.tier === "outside",
    );
    if (outside.length > 0) {
      lines.push(
        s.red(
          s.bold(
            `Outside trust (s3ap.yaml) on ${count(outside.length, "access point")}: ` +
              `${outside
                .slice(0, MAX_NAMED)
                .map((c) => terminalText(changeLabel(c)))
                .join(", ")}` +
              `${outside.length > MAX_NAMED ? ` and ${outside.length - MAX_NAMED} more` : ""}.`,
          ),
        ),
      );
    }
    const liveWidened = driftedInLive(plan).filter((c) => widensAccess(c.driftAccess));
    if (liveWidened.length > 0) {
      lines.push(
        s.red(
          `Live widens access compared with the files on ${count(liveWidened.length, "access point")}: ` +
            `${liveWidened
              .slice(0, MAX_NAMED)
              .map((c) => terminalText(changeLabel(c)))
              .join(", ")}` +
            `${liveWidened.length > MAX_NAMED ? ` and ${liveWidened.length - MAX_NAMED} more` : ""}.`,
        ),
      );
    }
    const widening = plan.changes.filter(mayWiden);
    if (widening.length > 0) {
      lines.push(
        s.red(
          `${count(widening.length, "of them widens", "of them widen")} access: ` +
            `${widening
              .slice(0, MAX_NAMED)
              .map((c) => terminalText(changeLabel(c)))
              .join(", ")}` +
            `${widening.length > MAX_NAMED ? ` and ${widening.length - MAX_NAMED} more` : ""}.`,
        ),
      );
    }
  }
  yield `${lines.join("\n")}\n`;
}

export function renderChange(change: PlannedChange, options: TextOptions): string[] {
  const s = style(options.color);
  const paint =
    change.action === "create"
      ? s.green
      : change.action === "delete" || change.action === "error"
        ? s.red
        : change.action === "update"
          ? s.yellow
          : s.dim;
  const mode = change.mode === "observe" ? " (observe)" : "";
  const parts = partsOf(change);
  const lines = [
    paint(
      `${SYMBOL[change.action]} ${change.action.padEnd(6)} ${terminalText(changeLabel(change))}${mode}`,
    ),
    `    file:   ${terminalText(change.file)}`,
    `    reason: ${terminalText(change.reason)}`,
  ];
  for (const note of change.notes) lines.push(s.dim(`    note:   ${terminalText(note)}`));
  // Where the difference comes from: what the files' change does, what live did (as it happened).
  const changed = changeSentence(change, parts);
  if (changed !== null) {
    const text = `    change: ${terminalText(changed)}`;
    lines.push(widensAccess(change.changeAccess) ? s.red(text) : text);
  }
  appendAll(lines, trustLines(change.changeTrust, options));
  const drifted = driftSentence(change, parts);
  if (drifted !== null) {
    const text = `    drift:  ${terminalText(drifted)}`;
    lines.push(widensAccess(change.driftAccess) ? s.red(text) : text);
  }
  // s3ap.yaml's rules and CloudTrail on the drift: who made it, trust, exception, remediation.
  const who = attributionSentence(change);
  if (who !== null) lines.push(`    who:    ${terminalText(who)}`);
  appendAll(lines, trustLines(change.driftTrust, options));
  const excepted = exceptionSentence(change);
  if (excepted !== null) {
    const text = `    except: ${terminalText(excepted)}`;
    lines.push(change.exception?.status === "refused" ? s.red(text) : s.yellow(text));
  }
  const remediation = remediationSentence(change);
  if (remediation !== null) lines.push(`    rule:   ${terminalText(remediation)}`);
  if (change.access !== undefined) {
    const label = ACCESS_LABEL[change.access];
    lines.push(`    access: ${mayWiden(change) ? s.red(s.bold(label)) : label}`);
    for (const reason of shownReasons(parts.accessReasons ?? [])) {
      lines.push(`      ${`${reason.direction}:`.padEnd(9)}${terminalText(reason.text)}`);
    }
  }
  const analyzer = analyzerSummary(change);
  if (analyzer !== null) {
    lines.push(`    IAM Access Analyzer: ${analyzer}`);
    for (const detail of analyzerDetails(change)) lines.push(`      ${terminalText(detail)}`);
  }
  for (const line of scopeChangeLines(change)) lines.push(`    ${terminalText(line)}`);
  const proposed = proposedPolicyText(change);
  if (proposed !== undefined) {
    lines.push(`    Proposed policy (AWS is still applying it): ${terminalText(proposed)}`);
  }
  if (parts.diff !== null) {
    const diff = renderPolicyDiffText(parts.diff, { color: options.color }).trimEnd();
    if (diff !== "")
      appendAll(
        lines,
        diff.split("\n").map((line) => `    ${line}`),
      );
  }
  lines.push("");
  return lines;
}

/** `trust:  outside trust: <grant>`, one line per grant, or none within trust. */
function trustLines(trust: PlannedChange["changeTrust"], options: TextOptions): string[] {
  const s = style(options.color);
  const word = trustWord(trust);
  return outsideGrants(trust).map((grant) => s.red(`    trust:  ${word}: ${terminalText(grant)}`));
}

export const errorKey = (change: PlannedChange) =>
  change.action === "error" ? `${change.accountId}\n${change.reason}` : "";

/**
 * Errors that are the account's, not the access point's (a role that cannot be assumed, an
 * account without a role): every access point of the account failed with the same reason. The
 * report says it once per account, not once per access point.
 */
export function accountWideErrors(changes: readonly PlannedChange[]): Map<string, PlannedChange[]> {
  const byKey = new Map<string, PlannedChange[]>();
  const perAccount = new Map<string, number>();
  for (const change of changes) {
    perAccount.set(change.accountId, (perAccount.get(change.accountId) ?? 0) + 1);
    if (change.action !== "error") continue;
    const group = byKey.get(errorKey(change));
    if (group === undefined) byKey.set(errorKey(change), [change]);
    else group.push(change);
  }
  for (const [key, group] of byKey) {
    const first = group[0] as PlannedChange;
    if (group.length < 2 || group.length !== perAccount.get(first.accountId)) byKey.delete(key);
  }
  return byKey;
}

const LISTED_NAMES = 10;

function renderAccountError(group: PlannedChange[], options: TextOptions): string[] {
  const s = style(options.color);
  const first = group[0] as PlannedChange;
  const names = group.slice(0, LISTED_NAMES).map((c) => terminalText(changeLabel(c)));
  const more = group.length > LISTED_NAMES ? `, and ${group.length - LISTED_NAMES} more` : "";
  return [
    s.red(
      `${SYMBOL.error} error  account ${first.accountId}: all ${count(group.length, "access point")} failed`,
    ),
    `    reason: ${terminalText(first.reason)}`,
    `    access points: ${names.join(", ")}${more}`,
    "",
  ];
}

/** What s3ap.yaml says of the whole run: a pause, exceptions that end soon; CloudTrail's trouble. */
function governanceNotes(plan: Plan, options: TextOptions): string[] {
  const s = style(options.color);
  const lines: string[] = [];
  if (plan.paused !== undefined) {
    lines.push(
      s.yellow(
        `Paused until ${terminalText(plan.paused.until)} (${terminalText(plan.paused.reason)}): every run reports only; apply writes nothing.`,
      ),
    );
  }
  for (const e of plan.exceptionsExpiring ?? []) {
    const when = e.daysLeft === 0 ? "today" : `in ${count(e.daysLeft, "day")}`;
    lines.push(
      s.yellow(
        `s3ap.yaml exception "${terminalText(e.id)}" of ${terminalText(e.owner)} expires on ${terminalText(e.expires)} (${when}).`,
      ),
    );
  }
  for (const warning of plan.attribution?.warnings ?? []) {
    lines.push(s.yellow(`Who made the drift: ${terminalText(warning)}`));
  }
  if (lines.length > 0) lines.push("");
  return lines;
}
