// GitHub's own workflow and action.yml parser (@actions/workflow-parser). It imports its JSON
// schemas without import attributes, which Node refuses; esbuild bundles it into one ESM file.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

type Parsed = { context: { errors: { getErrors(): { message: string }[] } }; value: unknown };
type Parse = (file: { name: string; content: string }, trace: unknown) => Parsed;

export interface GitHubParser {
  parseWorkflow: Parse;
  parseAction: Parse;
  NoOperationTraceWriter: new () => unknown;
}

const OUT = join(import.meta.dirname, "..", "..", ".build", "workflow-parser", "parser.mjs");

export async function loadGitHubParser(): Promise<GitHubParser> {
  await mkdir(join(OUT, ".."), { recursive: true });
  await build({
    stdin: {
      contents: [
        'export { parseWorkflow, NoOperationTraceWriter } from "@actions/workflow-parser";',
        'export { parseAction } from "@actions/workflow-parser/actions/action-parser";',
      ].join("\n"),
      resolveDir: join(import.meta.dirname, "..", ".."),
      loader: "js",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: OUT,
    logLevel: "warning",
  });
  return (await import(`${pathToFileURL(OUT).href}?t=${Date.now()}`)) as GitHubParser;
}

export function parseErrors(parsed: Parsed): string[] {
  return parsed.context.errors.getErrors().map((e) => e.message);
}
