// One plan comment per pull request: found again by a hidden marker and updated, never repeated.
import { type MarkdownPlan, renderPlanMarkdown } from "../report/plan-markdown.js";
import type { OptionNames } from "../report/refusal-text.js";
import type { GitHubClient } from "./github-client.js";

export const PLAN_COMMENT_MARKER = "<!-- s3ap-plan-comment -->";
/** GitHub refuses issue and PR comments over 65,536 characters. */
export const COMMENT_LIMIT_CHARS = 65_536;

export interface PlanCommentOptions {
  /** How the Action names its options, for a refusal the plan carries. */
  names?: OptionNames;
  /** Where the whole plan is (the uploaded artifact), named when the comment is cut. */
  fullPlanUrl?: string;
  runUrl?: string;
}

/**
 * The comment body (of a merged fan-out plan too: it names the accounts whose shard left no
 * plan). The budget is in UTF-8 bytes, which is never less than the character count GitHub
 * limits, so a body that fits the byte budget always fits the comment limit.
 */
export function renderPlanComment(plan: MarkdownPlan, options: PlanCommentOptions = {}): string {
  const footer = options.runUrl
    ? `\n<sub>Posted by s3ap from [this run](${options.runUrl}).</sub>\n`
    : "";
  const budget = COMMENT_LIMIT_CHARS - PLAN_COMMENT_MARKER.length - footer.length - 2;
  const hint = options.fullPlanUrl
    ? `[the plan artifact](${options.fullPlanUrl})`
    : options.runUrl
      ? `the plan artifact of [this run](${options.runUrl})`
      : undefined;
  const markdown = renderPlanMarkdown(plan, {
    title: "s3ap plan",
    maxBytes: budget,
    ...(options.names !== undefined ? { names: options.names } : {}),
    ...(hint !== undefined ? { fullPlanHint: hint } : {}),
  });
  return `${PLAN_COMMENT_MARKER}\n${markdown}${footer}`;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string } | null;
}

export interface StickyCommentResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url: string | undefined;
}

/**
 * Creates the plan comment, or updates the one s3ap wrote before. Only a comment written by the
 * identity s3ap posts as (github-actions[bot] with GITHUB_TOKEN) counts: anyone can write the
 * marker into a comment of their own, and editing theirs would put s3ap's plan under their name
 * (as marocchino/sticky-pull-request-comment does, the login comes from GraphQL's viewer).
 */
export async function upsertStickyComment(
  client: GitHubClient,
  issueNumber: number,
  body: string,
  marker = PLAN_COMMENT_MARKER,
): Promise<StickyCommentResult> {
  const [login, comments] = await Promise.all([
    client.login(),
    client.paginate<IssueComment>("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      issue_number: issueNumber,
    }),
  ]);
  const previous = comments.find((c) => c.user?.login === login && c.body?.includes(marker));
  if (previous === undefined) {
    const created = await client.request<IssueComment>(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { issue_number: issueNumber, body },
    );
    return { action: "created", id: created.id, url: created.html_url };
  }
  if (previous.body === body)
    return { action: "unchanged", id: previous.id, url: previous.html_url };
  const updated = await client.request<IssueComment>(
    "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
    { comment_id: previous.id, body },
  );
  return { action: "updated", id: updated.id, url: updated.html_url };
}
