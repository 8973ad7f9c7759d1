// Bundles what the peer loops (bench/peer-loop.mjs) borrow from s3ap: the endpoint pin that lets
// the SDK reach 127.0.0.1 and the endpoint cache. Everything else in a peer is the plain SDK.
import { join } from "node:path";
import { build } from "esbuild";

/** Builds into .build/bench-peers under `root`; returns the folder to pass as `--client`. */
export async function buildPeerClient(root) {
  const outdir = join(root, ".build", "bench-peers");
  await build({
    entryPoints: ["src/aws/endpoint-override.ts", "src/aws/endpoint-cache.ts"].map((f) =>
      join(root, f),
    ),
    outdir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return outdir;
}
