// What the runner tells a step about the run it is part of.
import { readFileSync } from "node:fs";
import { gitHubLinks, type ReportLinks } from "../report/file-links.js";

/** Link to the workflow run, for comments and issues; undefined outside a runner. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return undefined;
  return `${server}/${repo}/actions/runs/${run}`;
}

/** The pull request number of a pull_request / pull_request_target event, else undefined. */
export function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  const event = JSON.parse(readFileSync(path, "utf8")) as {
    pull_request?: { number?: unknown };
  };
  const number = event.pull_request?.number;
  return typeof number === "number" ? number : undefined;
}

/** The head commit of the pull request the event is about (pull_request.head.sha). */
export function pullRequestHead(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  const event = JSON.parse(readFileSync(path, "utf8")) as {
    pull_request?: { head?: { sha?: unknown } };
  };
  const sha = event.pull_request?.head?.sha;
  return typeof sha === "string" && /^[0-9a-f]{7,64}$/.test(sha) ? sha : undefined;
}

/** Links to the repository's files at `commit` and to commits (none outside a runner). */
export function reportLinks(env: NodeJS.ProcessEnv, commit: string | null): ReportLinks {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository } = env;
  if (!serverUrl || !repository) return {};
  return gitHubLinks({ serverUrl, repository, commit });
}
