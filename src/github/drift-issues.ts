// One GitHub issue per drifted access point: opened or updated while the drift lasts, closed
// once a plan shows the access point in sync again. Issues are found by label + hidden marker.
import { accessPointKey } from "../access-point/arn.js";
import type { Plan, PlannedChange, PlanSummary } from "../reconcile/types.js";
import type { DriftIssuesDone } from "../report/drift-issues-summary.js";
import { shortSha } from "../report/labels.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { markdownCode, markdownText } from "../report/sinks/markdown.js";
import { showControls } from "../report/sinks/terminal.js";
import { GitHubApiError, type GitHubClient } from "./github-client.js";
import { COMMENT_LIMIT_CHARS } from "./sticky-comment.js";

export const DRIFT_LABEL = "s3ap-drift";
const MARKER_PATTERN = /<!-- s3ap-drift: (\S+) -->/;

/**
 * The hidden marker that finds an access point's issue again. A key from a tampered plan could
 * hold `-->` and end the comment early: anything but letters, digits and `/._-` is %-encoded
 * (keys of valid access points contain nothing else, so their markers are unchanged).
 */
export function driftMarker(change: PlannedChange): string {
  return `<!-- s3ap-drift: ${markerKey(change)} -->`;
}

function markerKey(change: PlannedChange): string {
  return accessPointKey(change).replace(
    /[^A-Za-z0-9/._-]/gu,
    (c) => `%${c.codePointAt(0)?.toString(16).toUpperCase()}`,
  );
}

export function isDrift(change: PlannedChange): boolean {
  return change.action === "create" || change.action === "update" || change.action === "delete";
}

export interface DriftContext {
  runUrl?: string;
}

export function renderDriftIssue(
  change: PlannedChange,
  plan: Plan,
  context: DriftContext = {},
): { title: string; body: string } {
  const key = accessPointKey(change);
  const fix =
    change.mode === "observe"
      ? "This access point is in `observe` mode: s3ap reports the drift and never writes it. Change the live policy or the file so they agree."
      : "To restore the declared policy, run the reconcile workflow with `dry-run` off (or merge a change to main). To keep the live policy instead, change the file to match it.";
  const intro = [
    driftMarker(change),
    `The live policy of access point ${markdownCode(key)} differs from its file (action: **${markdownText(change.action)}**).`,
    "",
    `- ARN: ${markdownCode(change.arn)}`,
    `- File: ${markdownCode(change.file)}`,
    `- Mode: ${markdownText(change.mode)}`,
    `- Reason: ${markdownText(change.reason)}`,
    `- Seen at commit: ${markdownCode(shortSha(plan.commit))}${context.runUrl ? ` in [this run](${context.runUrl})` : ""}`,
    "",
    fix,
    "",
    "s3ap closes this issue when a scheduled plan finds the access point in sync.",
    "",
  ].join("\n");
  const single: Plan = {
    ...plan,
    summary: summaryOf(change),
    changes: [change],
    unmanaged: [],
    discovery: { enabled: false, warnings: [] },
  };
  const details = renderPlanMarkdown(single, {
    title: "Plan for this access point",
    maxBytes: COMMENT_LIMIT_CHARS - intro.length - 100,
    fullPlanHint: context.runUrl
      ? `the plan artifact of [this run](${context.runUrl})`
      : "`s3ap plan`",
  });
  // An issue title is plain text on GitHub: only controls and bidi overrides need showing.
  return { title: `s3ap drift: ${showControls(key)}`, body: `${intro}\n${details}` };
}

function summaryOf(change: PlannedChange): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, error: 0, unmanaged: 0 };
  summary[change.action] += 1;
  return summary;
}

interface Issue {
  number: number;
  body?: string | null;
  title: string;
  pull_request?: unknown;
}

export type DriftIssueReport = DriftIssuesDone;

/**
 * Brings the open drift issues in line with the plan. An issue is closed only when the plan shows
 * its access point in sync (noop): an access point that could not be read, or that `--only`
 * left out, keeps its issue.
 */
export async function syncDriftIssues(
  client: GitHubClient,
  plan: Plan,
  context: DriftContext = {},
): Promise<DriftIssueReport> {
  const report: DriftIssueReport = { opened: [], updated: [], closed: [], unchanged: [] };
  await ensureLabel(client);
  const open = await client.paginate<Issue>("GET /repos/{owner}/{repo}/issues", {
    state: "open",
    labels: DRIFT_LABEL,
  });
  const byKey = new Map<string, Issue>();
  for (const issue of open) {
    if (issue.pull_request !== undefined) continue;
    const key = MARKER_PATTERN.exec(issue.body ?? "")?.[1];
    if (key !== undefined && !byKey.has(key)) byKey.set(key, issue);
  }

  for (const change of plan.changes) {
    const key = accessPointKey(change);
    const issue = byKey.get(markerKey(change));
    if (isDrift(change)) {
      const { title, body } = renderDriftIssue(change, plan, context);
      if (issue === undefined) {
        const created = await client.request<Issue>("POST /repos/{owner}/{repo}/issues", {
          title,
          body,
          labels: [DRIFT_LABEL],
        });
        report.opened.push(created.number);
      } else if (issue.body === body && issue.title === title) {
        report.unchanged.push(issue.number);
      } else {
        await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          issue_number: issue.number,
          title,
          body,
        });
        report.updated.push(issue.number);
      }
    } else if (change.action === "noop" && issue !== undefined) {
      const where = context.runUrl ? ` ([run](${context.runUrl}))` : "";
      await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        issue_number: issue.number,
        body: `The drift is gone: ${markdownCode(key)} is in sync at commit ${markdownCode(shortSha(plan.commit))}${where}. Closing.`,
      });
      await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        issue_number: issue.number,
        state: "closed",
        state_reason: "completed",
      });
      report.closed.push(issue.number);
    }
  }
  return report;
}

async function ensureLabel(client: GitHubClient): Promise<void> {
  try {
    await client.request("GET /repos/{owner}/{repo}/labels/{name}", { name: DRIFT_LABEL });
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status !== 404) throw error;
    await client.request("POST /repos/{owner}/{repo}/labels", {
      name: DRIFT_LABEL,
      color: "d93f0b",
      description: "An S3 access point policy differs from its file (opened by s3ap)",
    });
  }
}
