// Lints probe files with the repository's own biome.json (and its plugins) in a scratch folder,
// so a test can prove that a lint rule of ours refuses what it should and lets the rest through.

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");

export interface Diagnostic {
  category: string;
  message: string;
  path: string;
}

/** Writes `files` (path → content) into a scratch copy of the config and lints them with `args`. */
export function lintProbes(
  files: ReadonlyMap<string, string>,
  args: readonly string[],
): Diagnostic[] {
  const scratch = mkdtempSync(join(tmpdir(), "s3ap-biome-"));
  try {
    const config = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
    delete config.$schema;
    config.vcs = { enabled: false };
    writeFileSync(join(scratch, "biome.json"), JSON.stringify(config));
    cpSync(join(ROOT, "biome-plugins"), join(scratch, "biome-plugins"), { recursive: true });
    for (const [file, content] of files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), content);
    }
    // biome exits non-zero when it finds errors; the JSON report on stdout is what is read.
    let stdout: string;
    try {
      stdout = execFileSync(
        BIOME,
        ["lint", ...args, "--reporter=json", "--max-diagnostics=none", "."],
        { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      );
    } catch (error) {
      stdout = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(stdout) as {
      diagnostics: { category: string; message: string; location: { path: string } }[];
    };
    return report.diagnostics.map((d) => ({
      category: d.category,
      message: d.message,
      path: d.location.path.replaceAll("\\", "/"),
    }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
