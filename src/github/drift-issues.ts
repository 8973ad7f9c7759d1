// Drift issues for the scheduled run: one GitHub issue per drifted access point (or, above a
// threshold, one per account), opened while the drift lasts and closed once a plan shows it in
// sync. Issues are found by label + hidden marker, and only s3ap's own issues count. A run whose
// drift is unchanged writes nothing: each issue carries a hash of what matters in it (the drift
// and its verdicts, not the commit or the run link that change every hour).

import { createHash } from "node:crypto";
import { accessPointKey } from "../access-point/arn.js";
import type { Plan, PlannedChange, ResultDocument } from "../reconcile/types.js";
import { partsOf } from "../reconcile/types.js";
import {
  type DriftIssueContext,
  type IssueText,
  renderAccountDriftIssue,
  renderDriftIssue as renderDriftIssueText,
} from "../report/drift-issue-markdown.js";
import type { DriftIssuesDone } from "../report/drift-issues-summary.js";
import { shortSha } from "../report/labels.js";
import { markdownCode, markdownLink, markdownText } from "../report/sinks/markdown.js";
import { GitHubApiError, type GitHubClient } from "./github-client.js";
import { COMMENT_LIMIT_CHARS } from "./sticky-comment.js";

export const DRIFT_LABEL = "s3ap-drift";
/** More drifted access points than this in one plan: one issue per account instead. */
export const DEFAULT_DRIFT_ISSUE_THRESHOLD = 20;
const ACCESS_POINT_MARKER = /<!-- s3ap-drift: (\S+) -->/;
const ACCOUNT_MARKER = /<!-- s3ap-drift-account: (\S+) -->/;
const STATE_MARKER = /<!-- s3ap-drift-state: ([0-9a-f]{64}) -->/;
const WHO_MARKER = /<!-- s3ap-drift-who: ([0-9a-f]{64}) -->/;
/** Bumped when what an issue says changes shape, so every issue is rewritten once. */
const STATE_VERSION = 4;

/** %-encodes anything but letters, digits and `/._-`: a tampered key cannot end the comment. */
function markerText(text: string): string {
  return text.replace(
    /[^A-Za-z0-9/._-]/gu,
    (c) => `%${c.codePointAt(0)?.toString(16).toUpperCase()}`,
  );
}

/** The hidden marker that finds an access point's issue again. */
export function driftMarker(change: PlannedChange): string {
  return `<!-- s3ap-drift: ${markerText(accessPointKey(change))} -->`;
}

/** The hidden marker of an account's issue (one issue per account above the threshold). */
export function accountDriftMarker(accountId: string): string {
  return `<!-- s3ap-drift-account: ${markerText(accountId)} -->`;
}

/** Drift that gets an issue: an access point differs from its file and no exception excuses it. */
export function isDrift(change: PlannedChange): boolean {
  return (
    (change.action === "create" || change.action === "update" || change.action === "delete") &&
    change.exception?.status !== "excepted"
  );
}

function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** What matters in a drift issue: the drift, its verdicts and how to resolve it. */
export function driftState(change: PlannedChange): string {
  const parts = partsOf(change);
  return sha256({
    version: STATE_VERSION,
    key: accessPointKey(change),
    arn: change.arn,
    file: change.file,
    mode: change.mode,
    action: change.action,
    reason: change.reason,
    origin: change.origin ?? null,
    access: change.access ?? null,
    accessReasons: parts.accessReasons ?? [],
    driftAccess: change.driftAccess ?? null,
    driftAccessReasons: parts.driftAccessReasons ?? [],
    diff: parts.diff,
    driftDiff: parts.driftDiff ?? null,
    driftTrust: change.driftTrust ?? null,
    exception: change.exception ?? null,
    remediation: change.remediation ?? null,
  });
}

/**
 * Who made the drift, once CloudTrail found it, as a hash; null otherwise. Kept apart from the
 * state: when the edit ages out of CloudTrail's window or LookupEvents fails, an issue keeps the
 * name it has instead of being rewritten to "not found"; a newly found writer updates it.
 */
export function driftWho(change: PlannedChange): string | null {
  return change.attribution?.status === "found" ? sha256(change.attribution.text) : null;
}

function accountState(changes: readonly PlannedChange[], threshold: number): string {
  return sha256({ version: STATE_VERSION, threshold, changes: changes.map(driftState) });
}

export interface DriftContext extends DriftIssueContext {
  /** More drifted access points than this in the plan: one issue per account (default 20). */
  threshold?: number;
}

function withMarkers(text: IssueText, markers: string[]): IssueText {
  return { title: text.title, body: `${markers.join("\n")}\n${text.body}` };
}

/** The issue of one drifted access point, with the markers that find it again. */
export function renderDriftIssue(
  change: PlannedChange,
  plan: Plan,
  context: DriftContext = {},
): IssueText {
  const who = driftWho(change);
  const markers = [
    driftMarker(change),
    `<!-- s3ap-drift-state: ${driftState(change)} -->`,
    ...(who !== null ? [`<!-- s3ap-drift-who: ${who} -->`] : []),
  ];
  const budget = COMMENT_LIMIT_CHARS - markers.join("\n").length - 1;
  return withMarkers(renderDriftIssueText(change, plan, context, budget), markers);
}

interface Issue {
  number: number;
  body?: string | null;
  title: string;
  pull_request?: unknown;
  user?: { login?: string } | null;
}

export type DriftIssueReport = DriftIssuesDone;

/**
 * Brings the open drift issues in line with the plan. An access point's issue is closed only
 * when the plan shows it in sync (noop): one that could not be read, or that `--only` left out,
 * keeps its issue. An account's issue is closed only when the plan has the account, with no
 * drift and no errors. Issues written by anyone else are never edited, whatever they carry.
 */
export async function syncDriftIssues(
  client: GitHubClient,
  planned: Plan & { results?: readonly ResultDocument[] },
  context: DriftContext = {},
): Promise<DriftIssueReport> {
  const threshold = context.threshold ?? DEFAULT_DRIFT_ISSUE_THRESHOLD;
  // An apply (a scheduled apply --remediate) that wrote a change put it in sync: no drift left.
  const plan = withoutWritten(planned);
  const drifted = plan.changes.filter(isDrift);
  const report: DriftIssueReport = {
    opened: [],
    updated: [],
    closed: [],
    unchanged: [],
    per: drifted.length > threshold ? "account" : "access point",
  };
  const open = (
    await client.paginate<Issue>("GET /repos/{owner}/{repo}/issues", {
      state: "open",
      labels: DRIFT_LABEL,
    })
  ).filter((issue) => issue.pull_request === undefined);
  // Who s3ap posts as is asked only when there are issues to tell apart.
  const login = open.length > 0 ? await client.login() : undefined;
  const byKey = new Map<string, Issue>();
  const byAccount = new Map<string, Issue>();
  for (const issue of open) {
    // Anyone can open an issue with the label and a marker; editing it would put s3ap's words
    // under their name, and closing it would silence them.
    if (issue.user?.login !== login) continue;
    const body = issue.body ?? "";
    const key = ACCESS_POINT_MARKER.exec(body)?.[1];
    if (key !== undefined && !byKey.has(key)) byKey.set(key, issue);
    const account = ACCOUNT_MARKER.exec(body)?.[1];
    if (account !== undefined && !byAccount.has(account)) byAccount.set(account, issue);
  }
  const writer = new IssueWriter(client, report, plan, context);

  if (report.per === "access point") {
    for (const change of plan.changes) {
      const issue = byKey.get(markerText(accessPointKey(change)));
      if (isDrift(change)) {
        await writer.upsert(
          issue,
          renderDriftIssue(change, plan, context),
          driftState(change),
          driftWho(change),
        );
      } else if (change.action === "noop" && issue !== undefined) {
        await writer.close(issue, goneWhy(change));
      } else if (change.exception?.status === "excepted" && issue !== undefined) {
        await writer.close(issue, exceptedWhy(change), "not_planned");
      }
    }
    for (const [account, issue] of byAccount) {
      if (!plan.changes.some((c) => markerText(c.accountId) === account)) continue;
      await writer.close(
        issue,
        `At most ${threshold} access points drift now, so s3ap reports each in its own issue again`,
      );
    }
    return report;
  }

  const perAccount = new Map<string, PlannedChange[]>();
  for (const change of drifted) {
    const list = perAccount.get(change.accountId) ?? [];
    list.push(change);
    perAccount.set(change.accountId, list);
  }
  const accountIssue = new Map<string, number>();
  for (const [account, changes] of [...perAccount].sort(([a], [b]) => a.localeCompare(b))) {
    const state = accountState(changes, threshold);
    const markers = [accountDriftMarker(account), `<!-- s3ap-drift-state: ${state} -->`];
    const text = renderAccountDriftIssue(
      account,
      changes,
      plan,
      { ...context, threshold },
      COMMENT_LIMIT_CHARS - markers.join("\n").length - 1,
    );
    const number = await writer.upsert(
      byAccount.get(markerText(account)),
      withMarkers(text, markers),
      state,
    );
    accountIssue.set(account, number);
  }
  for (const [account, issue] of byAccount) {
    const changes = plan.changes.filter((c) => markerText(c.accountId) === account);
    if (changes.length === 0 || changes.some((c) => isDrift(c) || c.action === "error")) continue;
    await writer.close(issue, `Every access point of account ${markdownCode(account)} is in sync`);
  }
  for (const change of plan.changes) {
    const issue = byKey.get(markerText(accessPointKey(change)));
    if (issue === undefined) continue;
    if (change.action === "noop") {
      await writer.close(issue, goneWhy(change));
    } else if (change.exception?.status === "excepted") {
      await writer.close(issue, exceptedWhy(change), "not_planned");
    } else if (isDrift(change)) {
      await writer.close(
        issue,
        `More than ${threshold} access points drift, so s3ap lists them in one issue per account: this one is in #${accountIssue.get(change.accountId)}`,
      );
    }
  }
  return report;
}

const WRITTEN = "written back by this run: ";

/** Why a drift issue closes: the access point is in sync, or this run wrote it back. */
function goneWhy(change: PlannedChange): string {
  const key = markdownCode(accessPointKey(change));
  return change.reason.startsWith(WRITTEN)
    ? `s3ap wrote the file's policy back to ${key} in this run (${markdownText(change.reason.slice(WRITTEN.length))})`
    : `The drift is gone: ${key} is in sync`;
}

/** The plan with every change an apply wrote and verified shown as in sync (a noop). */
function withoutWritten(plan: Plan & { results?: readonly ResultDocument[] }): Plan {
  const written = new Set(
    (plan.results ?? [])
      .filter((r) => r.status === "applied" && r.verified)
      .map((r) => accessPointKey(r)),
  );
  if (written.size === 0) return plan;
  return {
    ...plan,
    changes: plan.changes.map((c) =>
      written.has(accessPointKey(c))
        ? {
            ...c,
            action: "noop",
            reason: `${WRITTEN}${c.remediation?.text ?? "apply"}`,
          }
        : c,
    ),
  };
}

/** Why an excepted drift's issue closes: the exception that accepts it, until its date. */
function exceptedWhy(change: PlannedChange): string {
  const e = change.exception;
  const ticket = e?.ticket !== undefined ? `, ${markdownText(e.ticket)}` : "";
  return (
    `The drift of ${markdownCode(accessPointKey(change))} is excepted: s3ap.yaml exception ` +
    `${markdownCode(e?.id ?? "")} of ${markdownText(e?.owner ?? "")} accepts it until ` +
    `${markdownText(e?.expires ?? "")} (${markdownText(e?.reason ?? "")}${ticket}); s3ap opens an issue again if it is still there after that`
  );
}

/** The writes of one sync: the label made once, on the first issue opened. */
class IssueWriter {
  private labelReady = false;

  constructor(
    private readonly client: GitHubClient,
    private readonly report: DriftIssueReport,
    private readonly plan: Plan,
    private readonly context: DriftContext,
  ) {}

  /**
   * Opens the issue, or updates it when what matters changed (`who`: the writer CloudTrail found,
   * null when it found none: the issue keeps its own); returns its number.
   */
  async upsert(
    issue: Issue | undefined,
    text: IssueText,
    state: string,
    who: string | null = null,
  ): Promise<number> {
    if (issue === undefined) {
      await this.ensureLabel();
      const created = await this.client.request<Issue>("POST /repos/{owner}/{repo}/issues", {
        title: text.title,
        body: text.body,
        labels: [DRIFT_LABEL],
      });
      this.report.opened.push(created.number);
      return created.number;
    }
    const body = issue.body ?? "";
    const sameWho = who === null || WHO_MARKER.exec(body)?.[1] === who;
    if (STATE_MARKER.exec(body)?.[1] === state && issue.title === text.title && sameWho) {
      this.report.unchanged.push(issue.number);
      return issue.number;
    }
    await this.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      issue_number: issue.number,
      title: text.title,
      body: text.body,
    });
    this.report.updated.push(issue.number);
    return issue.number;
  }

  /** A comment saying why (at which commit, in which run), then the issue closed. */
  async close(
    issue: Issue,
    why: string,
    reason: "completed" | "not_planned" = "completed",
  ): Promise<void> {
    const run = this.context.runUrl;
    const where = run !== undefined ? ` (${markdownLink("run", run)})` : "";
    await this.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      issue_number: issue.number,
      body: `${why} at commit ${markdownCode(shortSha(this.plan.commit))}${where}. Closing.`,
    });
    await this.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      issue_number: issue.number,
      state: "closed",
      state_reason: reason,
    });
    this.report.closed.push(issue.number);
  }

  private async ensureLabel(): Promise<void> {
    if (this.labelReady) return;
    try {
      await this.client.request("GET /repos/{owner}/{repo}/labels/{name}", { name: DRIFT_LABEL });
    } catch (error) {
      if (!(error instanceof GitHubApiError) || error.status !== 404) throw error;
      await this.client.request("POST /repos/{owner}/{repo}/labels", {
        name: DRIFT_LABEL,
        color: "d93f0b",
        description: "An S3 access point policy differs from its file (opened by s3ap)",
      });
    }
    this.labelReady = true;
  }
}
