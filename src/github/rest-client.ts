// A minimal GitHub REST client over fetch: the few issue and comment endpoints s3ap needs.
import { S3apError } from "../errors.js";

export class GitHubApiError extends S3apError {
  override name = "GitHubApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface GitHubClientOptions {
  /** GITHUB_API_URL: https://api.github.com, or the GHES / test server URL. */
  apiUrl: string;
  token: string;
  /** GITHUB_REPOSITORY: owner/name. */
  repository: string;
  fetch?: typeof fetch;
}

export class GitHubClient {
  private readonly apiUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GitHubClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** `/repos/{owner}/{name}` + path. */
  repoPath(path: string): string {
    return `/repos/${this.options.repository}${path}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { json } = await this.send(method, `${this.apiUrl}${path}`, body);
    return json as T;
  }

  /** Every page of a list endpoint, following the Link header's rel="next". */
  async paginate<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let url: string | null = `${this.apiUrl}${path}${path.includes("?") ? "&" : "?"}per_page=100`;
    while (url !== null) {
      const page: { json: unknown; next: string | null } = await this.send("GET", url);
      if (!Array.isArray(page.json)) throw new GitHubApiError(`GET ${url}: expected a list`, 200);
      items.push(...(page.json as T[]));
      url = page.next;
    }
    return items;
  }

  private async send(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ json: unknown; next: string | null }> {
    const response = await this.fetch(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${this.options.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "s3ap",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new GitHubApiError(
        `GitHub API ${method} ${new URL(url).pathname} failed with HTTP ${response.status}: ${text.slice(0, 300)}${hint(response.status)}`,
        response.status,
      );
    }
    return {
      json: text === "" ? null : JSON.parse(text),
      next: nextLink(response.headers.get("link")),
    };
  }
}

function hint(status: number): string {
  if (status === 401) return " (is github-token set?)";
  if (status === 403 || status === 404) {
    return " (does the job grant the permission? pull-requests: write for PR comments, issues: write for drift issues; pull requests from forks get a read-only token)";
  }
  return "";
}

export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}
