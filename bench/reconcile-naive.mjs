// The naive ways to read N access point policies, for comparison with s3ap plan: a sequential
// SDK loop, and a shell loop of `aws s3control get-access-point-policy`. Both are timed on a
// sample and scaled to N.
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { ACCOUNT, generatedName } from "./reconcile-repo.mjs";

export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** One GetAccessPointPolicy at a time with the SDK (s3ap's client factory, its endpoint pin). */
export async function sdkLoop(root, url, sample) {
  const outdir = join(root, ".build", "bench-reconcile");
  await build({
    entryPoints: { "sdk-client": join(root, "src/aws/client.ts") },
    outdir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
  });
  const { createS3ControlClient } = await import(pathToFileURL(join(outdir, "sdk-client.js")).href);
  const { GetAccessPointPolicyCommand } = await import("@aws-sdk/client-s3-control");
  Object.assign(process.env, AWS_ENV);
  const client = createS3ControlClient({
    region: "us-east-1",
    endpointUrl: url,
    requestTimeoutMs: 10_000,
  });
  const started = performance.now();
  for (let i = 0; i < sample; i++) {
    await client.send(
      new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: generatedName(i) }),
    );
  }
  const perCallMs = (performance.now() - started) / sample;
  client.destroy();
  return perCallMs;
}

/**
 * NOTE: the AWS CLI prepends the account id to the endpoint host (`111122223333.127.0.0.1`,
 * `111122223333.localhost`), and neither resolves here (glibc does not map *.localhost).
 * Instead of touching the hosts file, the CLI is pointed at a loopback HTTP proxy
 * (HTTP_PROXY): it sends the absolute URL to the proxy, which forwards the path to the
 * endpoint. One extra loopback hop, far below the CLI's own start-up time.
 */
export async function awsCliLoop(endpointPort, sample) {
  const probe = spawnSync("aws", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    return { skipped: "aws CLI not installed (pip install awscli)" };
  const proxy = http.createServer((req, res) => {
    const path = (req.url ?? "/").replace(/^[a-z]+:\/\/[^/]+/i, "");
    const upstream = http.request(
      { host: "127.0.0.1", port: endpointPort, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = proxy.address().port;
  const names = Array.from({ length: sample }, (_, i) => generatedName(i)).join(" ");
  const script =
    `for n in ${names}; do aws s3control get-access-point-policy --account-id ${ACCOUNT} ` +
    `--name "$n" --endpoint-url http://127.0.0.1:${endpointPort} --output json > /dev/null || exit 1; done`;
  const started = performance.now();
  // spawnSync would block the proxy in this very process: run the loop asynchronously.
  const code = await new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      env: {
        ...process.env,
        ...AWS_ENV,
        HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
        http_proxy: `http://127.0.0.1:${proxyPort}`,
        NO_PROXY: "",
        no_proxy: "",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("close", resolve);
  });
  const perCallMs = (performance.now() - started) / sample;
  await new Promise((resolve) => proxy.close(resolve));
  if (code !== 0) return { skipped: `the aws CLI loop failed (exit ${code})` };
  return { perCallMs, version: probe.stdout.trim().split(" ")[0] };
}
