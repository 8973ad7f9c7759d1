// A fake GitHub REST API on loopback: the issue, comment and label endpoints s3ap uses and
// GraphQL's viewer, with real pagination (Link headers), a token check, comment authors, and
// GitHub's answers for secondary rate limits and missing permissions.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll } from "vitest";
import { GitHubClient } from "../../src/github/github-client.js";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string;
  labels: string[];
  pull_request?: object;
  /** Who opened it; s3ap's own issues are by `login` of the token (the default). */
  author?: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  /** Who wrote it; s3ap's own comments are by `login` of the token. */
  author: string;
}

/** How GitHub answers a write when a secondary rate limit is hit (REST docs, "rate limits"). */
export interface SecondaryLimit {
  /** Every nth write (POST/PATCH/PUT/DELETE, retries included) is refused. */
  every: number;
  /**
   * The refusals, taken in turn: 403 or 429, with the seconds of a retry-after header or none
   * (then the client must wait "at least one minute").
   */
  answers: Array<{ status: 403 | 429; retryAfter?: number }>;
}

export const SECONDARY_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222.";

export class FakeGitHub {
  readonly issues: FakeIssue[] = [];
  readonly comments: FakeComment[] = [];
  readonly labels = new Set<string>();
  /** Pull requests by number: their current head commit (GET /pulls/{n}). */
  readonly pulls = new Map<number, string>();
  readonly requests: string[] = [];
  /** The login GraphQL's viewer answers for the token: what GITHUB_TOKEN posts as. */
  readonly login = "github-actions[bot]";
  pageSize = 2;
  /** Origin written into Link headers (a hostile API answer can point anywhere). */
  linkOrigin: string | undefined;
  secondaryLimit: SecondaryLimit | undefined;
  /** Writes answered like a token without the permission (403, "Resource not accessible…"). */
  forbidWrites = false;
  /** How many writes were refused for the secondary rate limit. */
  rateLimited = 0;
  url = "";
  private writeCount = 0;
  private nextId = 1000;

  /** s3ap's client of this server (`token` by default), its pauses a thousand times shorter. */
  client(token = this.token): GitHubClient {
    return new GitHubClient({
      apiUrl: this.url,
      token,
      repository: this.repository,
      msPerSecond: 1,
    });
  }
  private server: Server | undefined;

  constructor(
    readonly repository = "octo/policies",
    readonly token = "test-token",
  ) {}

  /** Back to an empty repository with no fault settings (between tests). */
  reset(): void {
    this.issues.length = 0;
    this.comments.length = 0;
    this.labels.clear();
    this.pulls.clear();
    this.requests.length = 0;
    this.pageSize = 2;
    this.linkOrigin = undefined;
    this.secondaryLimit = undefined;
    this.forbidWrites = false;
    this.rateLimited = 0;
    this.writeCount = 0;
  }

  addIssue(issue: Omit<FakeIssue, "number">): FakeIssue {
    const created = { author: this.login, ...issue, number: this.issues.length + 1 };
    this.issues.push(created);
    return created;
  }

  /** Requests that change something, in order: all but GET, HEAD and the GraphQL viewer query. */
  writeRequests(): string[] {
    return this.requests.filter(
      (r) => !r.startsWith("GET ") && !r.startsWith("HEAD ") && r !== "POST /graphql",
    );
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => {
        raw += chunk.toString();
      });
      req.on("end", () => {
        const url = new URL(req.url ?? "/", this.url);
        const method = req.method ?? "GET";
        this.requests.push(`${method} ${url.pathname}`);
        const json = { "content-type": "application/json; charset=utf-8" };
        // Octokit sends "token X"; GitHub takes "Bearer X" as well.
        const auth = req.headers.authorization ?? "";
        if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
          res.writeHead(401, json).end(JSON.stringify({ message: "Bad credentials" }));
          return;
        }
        if (method === "POST" && url.pathname === "/graphql") {
          res.writeHead(200, json).end(JSON.stringify({ data: { viewer: { login: this.login } } }));
          return;
        }
        if (method !== "GET" && method !== "HEAD") {
          const refusal = this.refuseWrite();
          if (refusal !== undefined) {
            res.writeHead(refusal.status, { ...json, ...refusal.headers });
            res.end(JSON.stringify(refusal.body));
            return;
          }
        }
        const answer = this.route(method, url, raw === "" ? undefined : JSON.parse(raw));
        const headers: Record<string, string> = { ...json };
        if (answer.next) headers.link = `<${answer.next}>; rel="next"`;
        res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    this.url = `http://127.0.0.1:${address.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private refuseWrite():
    | { status: number; headers: Record<string, string>; body: unknown }
    | undefined {
    if (this.forbidWrites) {
      return {
        status: 403,
        headers: {},
        body: {
          message: "Resource not accessible by integration",
          documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
          status: "403",
        },
      };
    }
    const limit = this.secondaryLimit;
    this.writeCount += 1;
    if (limit === undefined || this.writeCount % limit.every !== 0) return undefined;
    const answer = limit.answers[this.rateLimited % limit.answers.length] ?? { status: 403 };
    this.rateLimited += 1;
    return {
      status: answer.status,
      headers: answer.retryAfter !== undefined ? { "retry-after": String(answer.retryAfter) } : {},
      body: {
        message: SECONDARY_LIMIT_MESSAGE,
        documentation_url:
          "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        status: String(answer.status),
      },
    };
  }

  private page<T>(url: URL, items: T[]): { status: number; body: unknown; next?: string } {
    const page = Number(url.searchParams.get("page") ?? "1");
    const slice = items.slice((page - 1) * this.pageSize, page * this.pageSize);
    if (page * this.pageSize >= items.length) return { status: 200, body: slice };
    const next = new URL(`${url.pathname}${url.search}`, this.linkOrigin ?? this.url);
    next.searchParams.set("page", String(page + 1));
    return { status: 200, body: slice, next: next.href };
  }

  private issueJson(issue: FakeIssue) {
    const { author, ...rest } = issue;
    const login = author ?? this.login;
    return { ...rest, user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" } };
  }

  private commentJson(comment: FakeComment) {
    return {
      id: comment.id,
      body: comment.body,
      user: { login: comment.author, type: comment.author.endsWith("[bot]") ? "Bot" : "User" },
      html_url: `https://github.example/c/${comment.id}`,
    };
  }

  private route(
    method: string,
    url: URL,
    // biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the client sent
    body: any,
  ): { status: number; body: unknown; next?: string } {
    const prefix = `/repos/${this.repository}`;
    if (!url.pathname.startsWith(prefix)) return { status: 404, body: { message: "Not Found" } };
    const path = url.pathname.slice(prefix.length);
    const issueComments = /^\/issues\/(\d+)\/comments$/.exec(path);
    const comment = /^\/issues\/comments\/(\d+)$/.exec(path);
    const label = /^\/labels\/(.+)$/.exec(path);
    const issuePath = /^\/issues\/(\d+)$/.exec(path);
    const pullPath = /^\/pulls\/(\d+)$/.exec(path);
    if (pullPath && method === "GET") {
      const number = Number(pullPath[1]);
      const head = this.pulls.get(number);
      if (head === undefined) return { status: 404, body: { message: "Not Found" } };
      return { status: 200, body: { number, head: { sha: head } } };
    }
    if (issueComments) {
      const issue = Number(issueComments[1]);
      if (method === "GET")
        return this.page(
          url,
          this.comments.filter((c) => c.issue === issue).map((c) => this.commentJson(c)),
        );
      const created = { id: this.nextId++, issue, body: body.body, author: this.login };
      this.comments.push(created);
      return { status: 201, body: this.commentJson(created) };
    }
    if (comment && method === "PATCH") {
      const found = this.comments.find((c) => c.id === Number(comment[1]));
      if (!found) return { status: 404, body: {} };
      found.body = body.body;
      return { status: 200, body: this.commentJson(found) };
    }
    if (label && method === "GET") {
      const name = decodeURIComponent(label[1] ?? "");
      return this.labels.has(name) ? { status: 200, body: { name } } : { status: 404, body: {} };
    }
    if (path === "/labels" && method === "POST") {
      this.labels.add(body.name);
      return { status: 201, body: { name: body.name } };
    }
    if (path === "/issues" && method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const wanted = url.searchParams.get("labels");
      const list = this.issues.filter(
        (i) => i.state === state && (!wanted || i.labels.includes(wanted)),
      );
      return this.page(
        url,
        list.map((i) => this.issueJson(i)),
      );
    }
    if (path === "/issues" && method === "POST") {
      const issue = this.addIssue({
        title: body.title,
        body: body.body,
        state: "open",
        labels: body.labels ?? [],
      });
      return { status: 201, body: this.issueJson(issue) };
    }
    if (issuePath && method === "PATCH") {
      const issue = this.issues.find((i) => i.number === Number(issuePath[1]));
      if (!issue) return { status: 404, body: {} };
      Object.assign(issue, body);
      return { status: 200, body: this.issueJson(issue) };
    }
    return { status: 404, body: { message: `no route ${method} ${path}` } };
  }
}

/** One fake GitHub for the test file: started before its tests and stopped after them. */
export function useFakeGitHub(): FakeGitHub {
  const github = new FakeGitHub();
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  return github;
}
