import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { accessPointKey } from "../access-point/arn.js";
import type { DesiredAccessPoint, Problem } from "../model.js";
import { listPolicyFiles } from "../source/policy-files.js";
import { type CheckedFile, checkPolicyFile } from "./check-policy-file.js";

/** Files above this size are refused unread: a real access point file is a few KiB. */
export const MAX_FILE_BYTES = 256 * 1024;

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
  const listing = listPolicyFiles(source.root, source.policiesDir);
  const problems: Problem[] = [...listing.problems];
  const checked = listing.files.map((entry) => {
    const text = readBounded(entry.absolute);
    if (typeof text === "number") {
      const tooBig: Problem = {
        file: entry.file,
        line: 1,
        col: 1,
        rule: "file-size",
        message: `the file is ${text} bytes; policy files are limited to ${MAX_FILE_BYTES} bytes`,
      };
      return { file: entry.file, problems: [tooBig] };
    }
    return { file: entry.file, ...checkPolicyFile(text, entry.file) };
  });

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

/** The file's text, or its size when it is over MAX_FILE_BYTES (checked before reading it). */
function readBounded(path: string): string | number {
  const fd = openSync(path, "r");
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_FILE_BYTES) return size;
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}
