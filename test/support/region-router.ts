// One S3 Control URL in front of one moto server per region. moto keeps a single S3 Control
// store per account and partition (its ARNs always say us-east-1), so a test that needs two
// regions with different access points sends each request to its region's server, read from
// the SigV4 credential scope (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`).
import { createServer, request, type Server } from "node:http";
import { freePort } from "./free-port.js";

export interface RegionRouter {
  url: string;
  stop(): Promise<void>;
}

export async function startRegionRouter(targets: Record<string, string>): Promise<RegionRouter> {
  const server: Server = createServer((incoming, outgoing) => {
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(
      incoming.headers.authorization ?? "",
    )?.[1];
    const target = region === undefined ? undefined : targets[region];
    if (target === undefined) {
      outgoing.writeHead(400, { "content-type": "text/plain" });
      outgoing.end(`region-router: no server for region ${region ?? "(unsigned request)"}`);
      return;
    }
    const url = new URL(incoming.url ?? "/", target);
    const forwarded = request(
      url,
      { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", (error) => {
      outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`region-router: ${error.message}`);
    });
    incoming.pipe(forwarded);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
