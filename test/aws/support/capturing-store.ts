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
  headers: Record<string, string>;
}

export function capturingStore(endpointUrl?: string) {
  const requests: CapturedRequest[] = [];
  const requestHandler = {
    handle: async (request: CapturedRequest) => {
      requests.push(request);
      const body = "<GetAccessPointPolicyResult><Policy>{}</Policy></GetAccessPointPolicyResult>";
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
  return { store, requests, hosts };
}
