// The real S3 Control store over an SDK client whose HTTP handler records every request and
// answers an empty policy: what goes on the wire (host, path, headers), with no server.
import { createS3ControlClient } from "../../../src/aws/client.js";
import { createS3ControlStore } from "../../../src/aws/s3control-store.js";

/** The parts of the SDK's HttpRequest the tests look at. */
export interface CapturedRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  method?: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

/** A body each operation's deserializer reads as "nothing special" (and MRAP writes succeed). */
function answerFor(request: CapturedRequest): string {
  if (request.path.endsWith("/async-requests/mrap/put-policy")) {
    return "<PutMultiRegionAccessPointPolicyResult><RequestTokenARN>arn:aws:s3:us-west-2:111122223333:async-request/mrap/put-policy/1</RequestTokenARN></PutMultiRegionAccessPointPolicyResult>";
  }
  if (request.path.includes("/async-requests/mrap/")) {
    return "<DescribeMultiRegionAccessPointOperationResult><AsyncOperation><RequestStatus>SUCCEEDED</RequestStatus></AsyncOperation></DescribeMultiRegionAccessPointOperationResult>";
  }
  return "<GetAccessPointPolicyResult><Policy>{}</Policy></GetAccessPointPolicyResult>";
}

export function capturingStore(endpointUrl?: string) {
  const requests: CapturedRequest[] = [];
  const requestHandler = {
    handle: async (request: CapturedRequest) => {
      requests.push(request);
      const body = answerFor(request);
      return { response: { statusCode: 200, headers: {}, body: Buffer.from(body) } };
    },
  };
  const store = createS3ControlStore({
    ratePerSecond: 1000,
    clientFactory: (region) =>
      createS3ControlClient({
        region,
        requestTimeoutMs: 1000,
        ...(endpointUrl !== undefined ? { endpointUrl } : {}),
        requestHandler: requestHandler as never,
      }),
  });
  /** `host[:port] <x-amz-outpost-id or ->` of every request, in order. */
  const hosts = () =>
    requests.map(
      (r) => `${r.hostname}${r.port ? `:${r.port}` : ""} ${r.headers["x-amz-outpost-id"] ?? "-"}`,
    );
  /** `host[:port] METHOD path service/region` (the SigV4 scope: where AWS would check it). */
  const signed = () =>
    requests.map((r) => {
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(
        r.headers.authorization ?? "",
      );
      return `${r.hostname}${r.port ? `:${r.port}` : ""} ${r.method ?? ""} ${r.path} ${scope?.[2] ?? "?"}/${scope?.[1] ?? "?"}`;
    });
  return { store, requests, hosts, signed };
}
