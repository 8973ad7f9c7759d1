import { accessPointKey } from "../access-point/arn.js";
import { appendAll } from "../append-all.js";
import { count } from "../count.js";
import type { DesiredAccessPoint, Problem, RepositoryConfig } from "../model.js";
import { CONFIG_FILE } from "../source/config-file.js";
import { listPolicyFiles } from "../source/policy-files.js";
import { checkListedFile, type ListedFileResult } from "./check-listed-file.js";
import { loadS3apConfig } from "./check-s3ap-config.js";

export { MAX_FILE_BYTES } from "./check-listed-file.js";

export interface DesiredState {
  desired: DesiredAccessPoint[];
  problems: Problem[];
  /** How many policy files were found. */
  files: number;
  /** s3ap.yaml at the repository root; null when there is none (or it has problems). */
  config: RepositoryConfig | null;
}

/**
 * Loads and validates every policy file under `policiesDir`. Callers must refuse to act when
 * `problems` is not empty. Throws InputError when the policies directory does not exist.
 */
export async function loadDesiredState(source: {
  root: string;
  policiesDir: string;
}): Promise<DesiredState> {
  const listing = listPolicyFiles(source.root, source.policiesDir);
  // With --dir at the repository root, s3ap.yaml sits among the policy files: it is not one.
  listing.files = listing.files.filter((f) => f.file !== CONFIG_FILE);
  performance.mark("s3ap:listed");
  const checkedConfig = loadS3apConfig(source.root);
  const problems: Problem[] = [...listing.problems, ...checkedConfig.problems];
  // One thread, in list order: reading a file with the yaml package costs well under a
  // millisecond, so 10,000 files take seconds at most (BENCHMARKS.md) and threads would not pay.
  const checked = listing.files.map((entry) => checkListedFile(entry));

  const desired: DesiredAccessPoint[] = [];
  const byKey = new Map<string, ListedFileResult[]>();
  for (const result of checked) {
    appendAll(problems, result.problems);
    if (result.desired !== undefined) desired.push(result.desired);
    if (result.ref !== undefined) {
      const key = accessPointKey(result.ref);
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, [result]);
      else group.push(result);
    }
  }
  // One problem per file, naming the first file and counting the others: linear in files
  // (listing every file in every problem grew with the square of their number).
  const duplicated = new Set<string>();
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    const first = group[0] as ListedFileResult;
    const others = group.length - 1;
    for (const [index, result] of group.entries()) {
      duplicated.add(result.file);
      const position = result.namePosition ?? { line: 1, col: 1 };
      problems.push({
        file: result.file,
        line: position.line,
        col: position.col,
        severity: "error",
        rule: "duplicate-access-point",
        message:
          index === 0
            ? `access point ${key} is declared here and in ${count(others, "other file")}${others === 1 ? ` (${(group[1] as ListedFileResult).file})` : ""}; keep one`
            : `access point ${key} is already declared in ${first.file}${others > 1 ? ` (${count(others + 1, "file")} in all)` : ""}; keep one`,
      });
    }
  }
  problems.sort(compareProblems);
  return {
    desired: desired.filter((d) => !duplicated.has(d.file)),
    problems,
    files: listing.files.length,
    config: checkedConfig.config,
  };
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}
