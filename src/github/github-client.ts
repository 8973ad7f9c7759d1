// The GitHub REST client: @octokit/core with GitHub's pagination, retry and throttling plugins,
// plus the two rules s3ap adds: the token only ever goes to the API's own origin, and errors say
// what to do (the permission a 403 lacks, the token a 401 refused).
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck/light.js";
import { S3apError } from "../errors.js";
import { VERSION } from "../version.js";

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
  /** Where waits for GitHub's rate limits are reported (the step log). */
  log?: (line: string) => void;
  /**
   * Milliseconds per second of every wait (retry-after, write spacing): 1000 on a runner; tests
   * pass a small number so rate-limit tests take milliseconds.
   */
  msPerSecond?: number;
}

/** Waits for GitHub's secondary rate limit at most this often per request, then fail. */
const SECONDARY_LIMIT_RETRIES = 10;
/** Waits for the primary (hourly) rate limit: only when the reset is this close. */
const PRIMARY_LIMIT_MAX_WAIT_S = 15 * 60;

const GitHubOctokit = Octokit.plugin(paginateRest, retry, throttling);
type RequestParameters = Record<string, unknown>;

export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  private readonly octokit: InstanceType<typeof GitHubOctokit>;
  private readonly apiOrigin: string;

  constructor(options: GitHubClientOptions) {
    const [owner = "", repo = ""] = options.repository.split("/");
    this.owner = owner;
    this.repo = repo;
    const baseUrl = options.apiUrl.replace(/\/+$/, "");
    this.apiOrigin = new URL(baseUrl).origin;
    const ms = options.msPerSecond ?? 1000;
    const log = options.log ?? (() => {});
    this.octokit = new GitHubOctokit({
      auth: options.token,
      baseUrl,
      userAgent: `s3ap/${VERSION}`,
      request: options.fetch !== undefined ? { fetch: options.fetch } : {},
      // 429 is a rate limit: the throttling plugin waits as GitHub's retry-after says; the
      // retry plugin (which would retry it after 1, 4, 9 s) keeps to 5xx and network errors.
      retry: { retryAfterBaseValue: ms, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        retryAfterBaseValue: ms,
        // GitHub's guidance, as the plugin's own groups: writes one at a time, a second apart,
        // and three seconds apart for writes that notify (issues, comments). Ours, to be scaled.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: ms }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * ms }),
        onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
          if (retryCount >= SECONDARY_LIMIT_RETRIES) return false;
          log(
            `GitHub's secondary rate limit: waiting ${retryAfter} s before ${request.method} ${pathOf(request.url)} (retry ${retryCount + 1} of ${SECONDARY_LIMIT_RETRIES}).`,
          );
          return true;
        },
        onRateLimit: (retryAfter, request, _octokit, retryCount) => {
          if (retryCount >= 1 || retryAfter > PRIMARY_LIMIT_MAX_WAIT_S) return false;
          log(
            `GitHub's rate limit for this token is used up: waiting ${retryAfter} s for the reset before ${request.method} ${pathOf(request.url)}.`,
          );
          return true;
        },
      },
    });
    // NOTE: pagination follows the Link header's rel="next" URL as given, and the auth hook puts
    // the token on every request. A page may not send the token to another origin.
    this.octokit.hook.before("request", (request) => {
      const target = new URL(request.url, `${baseUrl}/`);
      if (/^https?:\/\//i.test(request.url) && target.origin !== this.apiOrigin) {
        throw new GitHubApiError(
          `GitHub API answered with a link to ${target.origin}, not ${this.apiOrigin}: s3ap sends its token only to the API (GITHUB_API_URL) and stopped.`,
          0,
        );
      }
    });
  }

  /** One REST call, e.g. `request("POST /repos/{owner}/{repo}/issues", { title })`. */
  async request<T>(route: string, parameters: RequestParameters = {}): Promise<T> {
    try {
      const response = await this.octokit.request(route, this.withRepo(parameters));
      return response.data as T;
    } catch (error) {
      throw described(error, route);
    }
  }

  /** Every page of a list endpoint (100 a page), following only links to the API origin. */
  async paginate<T>(route: string, parameters: RequestParameters = {}): Promise<T[]> {
    try {
      return (await this.octokit.paginate(route, {
        per_page: 100,
        ...this.withRepo(parameters),
      })) as T[];
    } catch (error) {
      throw described(error, route);
    }
  }

  /** The login s3ap posts as (github-actions[bot] with GITHUB_TOKEN), from GraphQL's viewer. */
  async login(): Promise<string> {
    try {
      const answer = await this.octokit.graphql<{ viewer: { login: string } }>(
        "query { viewer { login } }",
      );
      return answer.viewer.login;
    } catch (error) {
      throw described(error, "POST /graphql (viewer)");
    }
  }

  private withRepo(parameters: RequestParameters): RequestParameters {
    return { owner: this.owner, repo: this.repo, ...parameters };
  }
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/i, "");
}

/** Octokit's RequestError (matched by shape: the bundle may hold more than one copy). */
interface RequestError {
  name: "HttpError";
  status: number;
  message: string;
}

function isRequestError(error: unknown): error is RequestError {
  const candidate = error as Partial<RequestError> | null;
  return candidate?.name === "HttpError" && typeof candidate.status === "number";
}

function described(error: unknown, route: string): unknown {
  if (!isRequestError(error)) return error;
  const message = error.message.slice(0, 300);
  return new GitHubApiError(
    `GitHub API ${route} failed with HTTP ${error.status}: ${message}${hint(error)}`,
    error.status,
  );
}

function hint(error: RequestError): string {
  if (error.status === 401) return " (is github-token set?)";
  if (/rate limit/i.test(error.message)) {
    return " (GitHub's rate limit: s3ap waited as GitHub asked and gave up; run the step again later)";
  }
  if (error.status === 403 || error.status === 404) {
    return " (does the job grant the permission? pull-requests: write for PR comments, issues: write for drift issues; pull requests from forks get a read-only token)";
  }
  return "";
}
