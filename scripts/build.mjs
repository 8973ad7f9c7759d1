#!/usr/bin/env node
// Bundles each entry (CLI, GitHub Action, local endpoint) into one self-contained ESM file:
// no shared or hashed chunks, so a rebuild changes only the files whose code changed.
// `node scripts/build.mjs [outdir]` — the staleness test builds into a temp dir and compares.
import { existsSync } from "node:fs";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

export const entries = [
  { in: "src/cli.ts", out: "cli" },
  { in: "src/action.ts", out: "action" },
  { in: "src/local-endpoint/main.ts", out: "local-endpoint" },
  { in: "src/store-worker.ts", out: "store-worker" },
];

// NOTE: the yaml parser reads `process.env.LOG_TOKENS` (a debugging switch) once per token, and
// every read of process.env is a call into the C++ environment (~0.5 µs here): about a tenth
// of `validate`'s CPU on 10,000 files. The bundle replaces that read with `false`. If a yaml
// upgrade changes the line, the build fails so the patch is looked at again, not lost silently.
const yamlTokenLog = {
  name: "yaml-no-per-token-env-read",
  setup(esbuild) {
    esbuild.onLoad(
      { filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ },
      async (args) => {
        const source = await readFile(args.path, "utf8");
        const read = "node_process.env.LOG_TOKENS";
        if (!source.includes(read)) {
          throw new Error(
            `${args.path} no longer reads ${read}: review the yamlTokenLog patch in scripts/build.mjs`,
          );
        }
        return { contents: source.replaceAll(read, "false"), loader: "js" };
      },
    );
  },
};

/** Bundles `list` (default: the shipped entries) into `outdir`; benchmarks bundle their own. */
export async function bundle(outdir, list = entries) {
  const present = list.filter((e) => existsSync(e.in));
  await build({
    entryPoints: present,
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    legalComments: "none",
    logLevel: "warning",
    plugins: [yamlTokenLog],
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);",
    },
  });
  for (const e of present) {
    const file = join(outdir, `${e.out}.js`);
    await asciiOnly(file);
    await chmod(file, 0o755);
  }
}

// NOTE: esbuild escapes every non-ASCII character of code (its default `charset: "ascii"`) but
// keeps comments as written, and one arrow in one comment made V8 hold all of cli.js (3.3 MB) as
// a two-byte string: 6.4 MB of heap for as long as the process runs. What is left outside ASCII
// can only be in a comment, so it is spelled out there (U+2192) and the bundle stays one byte a
// character.
async function asciiOnly(file) {
  const text = await readFile(file, "utf8");
  if (!/[\u0080-\u{10ffff}]/u.test(text)) return;
  const spelled = text.replace(
    /[\u0080-\u{10ffff}]/gu,
    (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
  await writeFile(file, spelled);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = process.argv[2] ?? "dist";
  // Start empty, so a file the build no longer makes does not linger in dist/.
  await rm(outdir, { recursive: true, force: true });
  await bundle(outdir);
}
