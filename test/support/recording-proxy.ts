// A proxy in front of moto that records who signed what: for every STS AssumeRole the role and
// the access key moto returned for it, for every S3 Control request the account it is for, the
// access key that signed it and where the signature says it goes (service and Region: what AWS
// routes on). It can refuse AssumeRole for chosen roles, as a trust policy that does not trust
// the caller would (moto itself accepts any role), and send each signing service to its own
// upstream (s3express to s3ap's local endpoint, which serves what moto does not).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface AssumedRole {
  roleArn: string;
  sessionName: string;
  externalId: string | null;
  accessKeyId: string | null;
  refused: boolean;
}

export interface SignedRequest {
  accountId: string;
  accessKeyId: string;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** The SigV4 credential scope's service (s3, s3-outposts, s3express) and Region. */
  service: string;
  region: string;
}

export interface RecordingProxy {
  url: string;
  assumed: AssumedRole[];
  s3control: SignedRequest[];
  /** AssumeRole for these role ARNs answers 403 AccessDenied. */
  refuse: Set<string>;
  clear(): void;
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

export async function startRecordingProxy(
  upstream: string,
  /** Upstreams by signing service (e.g. { s3express: localEndpoint.url }); default `upstream`. */
  byService: Record<string, string> = {},
): Promise<RecordingProxy> {
  const proxy: RecordingProxy = {
    url: "",
    assumed: [],
    s3control: [],
    refuse: new Set(),
    clear() {
      proxy.assumed.length = 0;
      proxy.s3control.length = 0;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function forward(
    request: IncomingMessage,
    body: Buffer,
    target = upstream,
  ): Promise<Response> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || name === "host" || name === "connection") continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    return fetch(`${target}${request.url ?? "/"}`, {
      method: request.method ?? "GET",
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("Action") === "AssumeRole") {
      const roleArn = form.get("RoleArn") ?? "";
      const record: AssumedRole = {
        roleArn,
        sessionName: form.get("RoleSessionName") ?? "",
        externalId: form.get("ExternalId"),
        accessKeyId: null,
        refused: proxy.refuse.has(roleArn),
      };
      proxy.assumed.push(record);
      if (record.refused) {
        response.writeHead(403, { "content-type": "text/xml" });
        response.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/hub/x is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>refused</RequestId></ErrorResponse>`,
        );
        return;
      }
      const answer = await forward(request, body);
      const text = await answer.text();
      record.accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1] ?? null;
      response.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "text/xml",
      });
      response.end(text);
      return;
    }
    const accountId = request.headers["x-amz-account-id"];
    const authorization = String(request.headers.authorization ?? "");
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(authorization);
    if (typeof accountId === "string") {
      proxy.s3control.push({
        accountId,
        accessKeyId: scope?.[1] ?? "",
        method: request.method ?? "",
        path: request.url ?? "",
        service: scope?.[3] ?? "",
        region: scope?.[2] ?? "",
      });
    }
    const answer = await forward(request, body, byService[scope?.[3] ?? ""] ?? upstream);
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection")
        headers[name] = value;
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, headers);
    response.end(payload);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("proxy did not listen");
  proxy.url = `http://127.0.0.1:${address.port}`;
  return proxy;
}
