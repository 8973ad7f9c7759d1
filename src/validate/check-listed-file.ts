import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Problem } from "../model.js";
import type { PolicyFile } from "../source/policy-files.js";
import { type CheckedFile, checkPolicyFile } from "./check-policy-file.js";

/** Files above this size are refused unread: a real access point file is a few KiB. */
export const MAX_FILE_BYTES = 256 * 1024;

/** One listed file's check. */
export type ListedFileResult = CheckedFile & { file: string };

/** Reads one listed policy file (refusing oversized ones) and checks it. */
export function checkListedFile(entry: PolicyFile): ListedFileResult {
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
}

// One buffer, one byte larger than the limit: a read that fills it means "too big"
// without a separate fstat, and no buffer is allocated per file.
let buffer: Buffer | undefined;

/** The file's text, or its size when it is over MAX_FILE_BYTES (never read past the limit). */
function readBounded(path: string): string | number {
  buffer ??= Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  const fd = openSync(path, "r");
  try {
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_FILE_BYTES) return fstatSync(fd).size;
    return buffer.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}
