// One GitHub issue "N unmanaged access points" for the scheduled run: opened when a plan finds
// access points that no file declares, updated when the list changes, closed when it is empty.
// One issue, not one per access point: an account adopting s3ap may start with hundreds, and
// the decision (import them, or leave them to another tool) is usually taken for many at once.
import { accessPointKey } from "../access-point/arn.js";
import { count } from "../count.js";
import type { Plan } from "../reconcile/types.js";
import type { UnmanagedIssueDone } from "../report/drift-issues-summary.js";
import { shortSha } from "../report/labels.js";
import { markdownCode, markdownText } from "../report/sinks/markdown.js";
import { GitHubApiError, type GitHubClient } from "./github-client.js";
import { COMMENT_LIMIT_CHARS } from "./sticky-comment.js";

export const UNMANAGED_LABEL = "s3ap-unmanaged";
export const UNMANAGED_MARKER = "<!-- s3ap-unmanaged -->";

export interface UnmanagedIssueContext {
  runUrl?: string;
}

export type UnmanagedIssueResult = UnmanagedIssueDone;

interface Issue {
  number: number;
  body?: string | null;
  title: string;
  pull_request?: unknown;
  user?: { login?: string } | null;
}

export function renderUnmanagedIssue(
  plan: Plan,
  context: UnmanagedIssueContext = {},
): { title: string; body: string } {
  const unmanaged = plan.unmanaged;
  const n = unmanaged.length;
  const head = [
    UNMANAGED_MARKER,
    `A scheduled plan found ${count(n, "access point")} that no policy file declares, in the accounts and regions the files use. s3ap never changes them; nobody reviews their policies here.`,
    "",
    `Seen at commit ${markdownCode(shortSha(plan.commit))}${context.runUrl ? ` in [this run](${context.runUrl})` : ""}.`,
    "",
    "To manage them, run `s3ap import --account ID --region REGION --mode observe`, review and commit the files. To leave one to another tool, ignore it here. s3ap closes this issue when a scheduled plan finds none.",
    "",
    "| Access point | ARN | Policy |",
    "|---|---|---|",
  ];
  const rows: string[] = [];
  let size = head.join("\n").length + 200;
  for (const ap of unmanaged) {
    const policy = ap.hasPolicy === null ? "unknown" : ap.hasPolicy ? "yes" : "no";
    const row = `| ${markdownCode(accessPointKey(ap))} | ${markdownCode(ap.arn)} | ${policy} |`;
    if (size + row.length + 1 > COMMENT_LIMIT_CHARS) break;
    rows.push(row);
    size += row.length + 1;
  }
  const cut =
    rows.length < n
      ? ["", `… and ${n - rows.length} more: the plan JSON (artifact of the run) lists them all.`]
      : [];
  const warnings = plan.discovery.warnings.map((w) => `> ⚠️ ${markdownText(w)}`);
  return {
    title: `${count(n, "unmanaged access point")}`,
    body: [...head, ...rows, ...cut, ...(warnings.length > 0 ? ["", ...warnings] : []), ""].join(
      "\n",
    ),
  };
}

/**
 * Brings the one unmanaged-access-points issue in line with the plan. It is closed only when
 * discovery ran, found none, and could list every (account, region): a denied listing proves
 * nothing. A plan without discovery (--no-discover) leaves the issue alone.
 */
export async function syncUnmanagedIssue(
  client: GitHubClient,
  plan: Plan,
  context: UnmanagedIssueContext = {},
): Promise<UnmanagedIssueResult> {
  if (plan.discovery?.enabled !== true || !Array.isArray(plan.unmanaged)) {
    return { action: "none", reason: "the plan did not look for unmanaged access points" };
  }
  const candidates = (
    await client.paginate<Issue>("GET /repos/{owner}/{repo}/issues", {
      state: "open",
      labels: UNMANAGED_LABEL,
    })
  ).filter((i) => i.pull_request === undefined && (i.body ?? "").includes(UNMANAGED_MARKER));
  // Only s3ap's own issue counts: anyone can write the label and the marker into theirs.
  const login = candidates.length > 0 ? await client.login() : undefined;
  const issue = candidates.find((i) => i.user?.login === login);
  if (plan.unmanaged.length === 0) {
    if (issue === undefined) return { action: "none", reason: "no unmanaged access points" };
    if (plan.discovery.warnings.length > 0) {
      return { action: "none", reason: "some accounts or regions could not be listed" };
    }
    const where = context.runUrl ? ` ([run](${context.runUrl}))` : "";
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      issue_number: issue.number,
      body: `Every access point is declared by a file at commit ${markdownCode(shortSha(plan.commit))}${where}. Closing.`,
    });
    await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      issue_number: issue.number,
      state: "closed",
      state_reason: "completed",
    });
    return { action: "closed", number: issue.number };
  }
  const { title, body } = renderUnmanagedIssue(plan, context);
  if (issue === undefined) {
    await ensureLabel(client);
    const created = await client.request<Issue>("POST /repos/{owner}/{repo}/issues", {
      title,
      body,
      labels: [UNMANAGED_LABEL],
    });
    return { action: "opened", number: created.number };
  }
  // The commit and run link change every hour: only a different list is worth an update.
  if (issue.title === title && sameRows(issue.body ?? "", body)) {
    return { action: "unchanged", number: issue.number };
  }
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    issue_number: issue.number,
    title,
    body,
  });
  return { action: "updated", number: issue.number };
}

function sameRows(a: string, b: string): boolean {
  const rows = (text: string) => text.split("\n").filter((line) => line.startsWith("| <code>"));
  return rows(a).join("\n") === rows(b).join("\n");
}

async function ensureLabel(client: GitHubClient): Promise<void> {
  try {
    await client.request("GET /repos/{owner}/{repo}/labels/{name}", { name: UNMANAGED_LABEL });
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status !== 404) throw error;
    await client.request("POST /repos/{owner}/{repo}/labels", {
      name: UNMANAGED_LABEL,
      color: "fbca04",
      description: "S3 access points that no s3ap policy file declares (opened by s3ap)",
    });
  }
}
