import { readFile } from "node:fs/promises";
import { accessPointKey } from "../access-point/arn.js";
import type { DesiredAccessPoint, Problem } from "../model.js";
import { listPolicyFiles } from "../source/policy-files.js";
import { type CheckedFile, checkPolicyFile } from "./check-policy-file.js";

/** Files above this size are refused unread: a real access point file is a few KiB. */
export const MAX_FILE_BYTES = 256 * 1024;

// Reads overlap with parsing; more than this buys nothing and costs file descriptors.
const READ_CONCURRENCY = 32;

export interface DesiredState {
  desired: DesiredAccessPoint[];
  problems: Problem[];
  /** How many policy files were found. */
  files: number;
}

/**
 * Loads and validates every policy file under `policiesDir`. Callers must refuse to act when
 * `problems` is not empty. Throws InputError when the policies directory does not exist.
 */
export async function loadDesiredState(source: {
  root: string;
  policiesDir: string;
}): Promise<DesiredState> {
  const listing = await listPolicyFiles(source.root, source.policiesDir);
  const problems: Problem[] = [...listing.problems];
  const checked: (CheckedFile & { file: string })[] = new Array(listing.files.length);

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listing.files.length) {
      const index = next++;
      const entry = listing.files[index];
      if (entry === undefined) break;
      if (entry.size > MAX_FILE_BYTES) {
        checked[index] = {
          file: entry.file,
          problems: [
            {
              file: entry.file,
              line: 1,
              col: 1,
              rule: "file-size",
              message: `the file is ${entry.size} bytes; policy files are limited to ${MAX_FILE_BYTES} bytes`,
            },
          ],
        };
        continue;
      }
      const text = await readFile(entry.absolute, "utf8");
      checked[index] = { file: entry.file, ...checkPolicyFile(text, entry.file) };
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));

  const desired: DesiredAccessPoint[] = [];
  const byKey = new Map<string, (CheckedFile & { file: string })[]>();
  for (const result of checked) {
    problems.push(...result.problems);
    if (result.desired !== undefined) desired.push(result.desired);
    if (result.ref !== undefined) {
      const key = accessPointKey(result.ref);
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, [result]);
      else group.push(result);
    }
  }
  const duplicated = new Set<string>();
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    const names = group.map((g) => g.file);
    for (const result of group) {
      duplicated.add(result.file);
      const position = result.namePosition ?? { line: 1, col: 1 };
      problems.push({
        file: result.file,
        line: position.line,
        col: position.col,
        rule: "duplicate-access-point",
        message: `access point ${key} is declared in ${names.length} files: ${names.join(", ")}; keep one`,
      });
    }
  }
  problems.sort(compareProblems);
  return {
    desired: desired.filter((d) => !duplicated.has(d.file)),
    problems,
    files: listing.files.length,
  };
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}
