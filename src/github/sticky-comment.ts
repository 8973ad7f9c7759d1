// One plan comment per pull request: found again by a hidden marker and updated, never repeated.
// It always describes the pull request's head commit: a plan, or why there is none; a run for an
// older head (a re-run, a run that was overtaken) never overwrites it.
import type { ReportLinks } from "../report/file-links.js";
import { type PlanFailure, renderPlanFailureMarkdown } from "../report/plan-failure-markdown.js";
import { type MarkdownPlan, renderPlanMarkdown } from "../report/plan-markdown.js";
import type { OptionNames } from "../report/refusal-text.js";
import { markdownLink } from "../report/sinks/markdown.js";
import type { GitHubClient } from "./github-client.js";

export const PLAN_COMMENT_MARKER = "<!-- s3ap-plan-comment -->";

/** The hidden line that names the commit a comment describes. */
function headMarker(commit: string | null): string {
  return commit !== null && /^[0-9a-f]{7,64}$/.test(commit)
    ? `<!-- s3ap-head: ${commit} -->\n`
    : "";
}
/** GitHub refuses issue and PR comments over 65,536 characters. */
export const COMMENT_LIMIT_CHARS = 65_536;

export interface PlanCommentOptions {
  /** How the Action names its options, for a refusal the plan carries. */
  names?: OptionNames;
  /** Where the whole plan is (the uploaded artifact), named when the comment is cut. */
  fullPlanUrl?: string;
  runUrl?: string;
  /** Links to the files at the head commit, and to commits. */
  links?: ReportLinks;
}

function footerOf(runUrl: string | undefined): string {
  return runUrl ? `\n<sub>Posted by s3ap from ${markdownLink("this run", runUrl)}.</sub>\n` : "";
}

/**
 * The comment body (of a merged fan-out plan too: it names the accounts whose shard left no
 * plan). The budget is in UTF-8 bytes, which is never less than the character count GitHub
 * limits, so a body that fits the byte budget always fits the comment limit.
 */
export function renderPlanComment(plan: MarkdownPlan, options: PlanCommentOptions = {}): string {
  const footer = footerOf(options.runUrl);
  const head = headMarker(plan.commit);
  const budget = COMMENT_LIMIT_CHARS - PLAN_COMMENT_MARKER.length - head.length - footer.length - 2;
  const hint = options.fullPlanUrl
    ? `[the plan artifact](${options.fullPlanUrl})`
    : options.runUrl
      ? `the plan artifact of [this run](${options.runUrl})`
      : undefined;
  const markdown = renderPlanMarkdown(plan, {
    title: "s3ap plan",
    maxBytes: budget,
    ...(options.names !== undefined ? { names: options.names } : {}),
    changeOf: "pull request",
    ...(options.links !== undefined ? { links: options.links } : {}),
    ...(hint !== undefined ? { fullPlanHint: hint } : {}),
  });
  return `${PLAN_COMMENT_MARKER}\n${head}${markdown}${footer}`;
}

/** The comment when there is no plan for the head commit: the failure, for that commit. */
export function renderFailureComment(failure: PlanFailure): string {
  return `${PLAN_COMMENT_MARKER}\n${headMarker(failure.commit)}${renderPlanFailureMarkdown(failure)}${footerOf(failure.runUrl)}`;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string } | null;
}

export type StickyCommentResult =
  | { action: "created" | "updated" | "unchanged"; id: number; url: string | undefined }
  /** The pull request's head moved on: this run's comment would describe an older commit. */
  | { action: "skipped"; head: string; current: string };

interface PullRequest {
  head?: { sha?: string } | null;
}

/**
 * Creates the plan comment, or updates the one s3ap wrote before. Only a comment written by the
 * identity s3ap posts as (github-actions[bot] with GITHUB_TOKEN) counts: anyone can write the
 * marker into a comment of their own, and editing theirs would put s3ap's plan under their name
 * (as marocchino/sticky-pull-request-comment does, the login comes from GraphQL's viewer).
 *
 * With `head` (the commit this run planned, from its event), the pull request's current head is
 * read first: when it moved on, nothing is written, and the run of the newer head writes instead.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  issueNumber: number,
  body: string,
  options: { head?: string; marker?: string } = {},
): Promise<StickyCommentResult> {
  const marker = options.marker ?? PLAN_COMMENT_MARKER;
  if (options.head !== undefined) {
    const pull = await client.request<PullRequest>(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      {
        pull_number: issueNumber,
      },
    );
    const current = pull.head?.sha;
    if (typeof current === "string" && current !== options.head) {
      return { action: "skipped", head: options.head, current };
    }
  }
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
