// A fake GitHub REST API on loopback: just the issue, comment and label endpoints s3ap uses,
// with real pagination (Link headers) and a token check.
import { createServer, type Server } from "node:http";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string;
  labels: string[];
  pull_request?: object;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
}

export class FakeGitHub {
  readonly issues: FakeIssue[] = [];
  readonly comments: FakeComment[] = [];
  readonly labels = new Set<string>();
  readonly requests: string[] = [];
  pageSize = 2;
  url = "";
  private nextId = 1000;
  private server: Server | undefined;

  constructor(
    readonly repository = "octo/policies",
    readonly token = "test-token",
  ) {}

  addIssue(issue: Omit<FakeIssue, "number">): FakeIssue {
    const created = { ...issue, number: this.issues.length + 1 };
    this.issues.push(created);
    return created;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => {
        raw += chunk.toString();
      });
      req.on("end", () => {
        const url = new URL(req.url ?? "/", this.url);
        this.requests.push(`${req.method} ${url.pathname}`);
        if (req.headers.authorization !== `Bearer ${this.token}`) {
          res.writeHead(401).end(JSON.stringify({ message: "Bad credentials" }));
          return;
        }
        const answer = this.route(
          req.method ?? "GET",
          url,
          raw === "" ? undefined : JSON.parse(raw),
        );
        const headers: Record<string, string> = { "content-type": "application/json" };
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

  private page<T>(url: URL, items: T[]): { status: number; body: unknown; next?: string } {
    const page = Number(url.searchParams.get("page") ?? "1");
    const slice = items.slice((page - 1) * this.pageSize, page * this.pageSize);
    if (page * this.pageSize >= items.length) return { status: 200, body: slice };
    const next = new URL(url.href);
    next.searchParams.set("page", String(page + 1));
    return { status: 200, body: slice, next: next.href };
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
    if (issueComments) {
      const issue = Number(issueComments[1]);
      if (method === "GET")
        return this.page(
          url,
          this.comments.filter((c) => c.issue === issue),
        );
      const created = { id: this.nextId++, issue, body: body.body };
      this.comments.push(created);
      return {
        status: 201,
        body: { ...created, html_url: `https://github.example/c/${created.id}` },
      };
    }
    if (comment && method === "PATCH") {
      const found = this.comments.find((c) => c.id === Number(comment[1]));
      if (!found) return { status: 404, body: {} };
      found.body = body.body;
      return {
        status: 200,
        body: { ...found, html_url: `https://github.example/c/${found.id}` },
      };
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
      return this.page(url, list);
    }
    if (path === "/issues" && method === "POST") {
      const issue = this.addIssue({
        title: body.title,
        body: body.body,
        state: "open",
        labels: body.labels ?? [],
      });
      return { status: 201, body: issue };
    }
    if (issuePath && method === "PATCH") {
      const issue = this.issues.find((i) => i.number === Number(issuePath[1]));
      if (!issue) return { status: 404, body: {} };
      Object.assign(issue, body);
      return { status: 200, body: issue };
    }
    return { status: 404, body: { message: `no route ${method} ${path}` } };
  }
}
