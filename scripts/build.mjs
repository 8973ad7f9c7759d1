#!/usr/bin/env node
// Bundles the CLI and the GitHub Action into self-contained ESM files.
// `node scripts/build.mjs [outdir]` — the staleness test builds into a temp dir and compares.
import { existsSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

export const entries = [
  { in: "src/cli.ts", out: "cli" },
  { in: "src/action.ts", out: "action" },
  { in: "src/local-endpoint/main.ts", out: "local-endpoint" },
  // Worker thread of `validate` on large trees; found next to the bundle that starts it.
  { in: "src/validate/validate-worker.ts", out: "validate-worker" },
];

export async function bundle(outdir) {
  const present = entries.filter((e) => existsSync(e.in));
  await build({
    entryPoints: present,
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);",
    },
  });
  for (const e of present) await chmod(join(outdir, `${e.out}.js`), 0o755);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle(process.argv[2] ?? "dist");
}
