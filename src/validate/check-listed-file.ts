import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { PolicyFile } from "../source/policy-files.js";
import { YamlSource } from "../untrusted/yaml-source.js";
import { type CheckedFile, checkPolicyFile } from "./check-policy-file.js";

/** Files above this size are refused unread: a real access point file is a few KiB. */
export const MAX_FILE_BYTES = 256 * 1024;

/** One listed file's check. */
export type ListedFileResult = CheckedFile & { file: string };

/** A file's bytes (a view valid until the next read), or its size when over MAX_FILE_BYTES. */
export type ReadFile = (path: string) => Buffer | number;

// Characters YAML does not allow in a stream (outside its escapes), which the yaml package
// nevertheless keeps in plain scalars: C0 controls but tab, LF and CR; DEL; C1 controls but NEL;
// U+FFFE and U+FFFF. A byte-order mark is fine.
const NOT_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what it finds
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

/**
 * Reads one listed policy file and checks it. Nothing is altered on the way in: a file that is
 * not valid UTF-8, holds a character YAML forbids (NUL, other controls), is oversized or cannot
 * be read is refused with a problem at its position, never decoded with replacement characters
 * or skipped.
 */
export function checkListedFile(entry: PolicyFile, read: ReadFile = readBounded): ListedFileResult {
  const at = (line: number, col: number, rule: string, message: string): ListedFileResult => ({
    file: entry.file,
    problems: [{ file: entry.file, line, col, severity: "error", rule, message }],
  });
  let bytes: Buffer | number;
  try {
    bytes = read(entry.absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return at(1, 1, "unreadable", `the file cannot be read (${code}); ${readAdvice(code)}`);
  }
  if (typeof bytes === "number") {
    return at(
      1,
      1,
      "file-size",
      `the file is ${bytes} bytes; policy files are limited to ${MAX_FILE_BYTES} bytes`,
    );
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    const before = bytes.toString("utf8", 0, bad);
    const { line, col } = new YamlSource(before, null).at(before.length);
    const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    return at(
      line,
      col,
      "encoding",
      `the file is not valid UTF-8 (byte 0x${byte}); save it as UTF-8`,
    );
  }
  const text = bytes.toString("utf8");
  const control = NOT_PRINTABLE.exec(text);
  if (control !== null) {
    const { line, col } = new YamlSource(text, null).at(control.index);
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return at(
      line,
      col,
      "control-character",
      `the file holds the character U+${code}, which YAML does not allow unescaped; remove it or write it as an escape in a double-quoted string`,
    );
  }
  return { file: entry.file, ...checkPolicyFile(text, entry.file) };
}

function readAdvice(code: string): string {
  if (code === "EACCES" || code === "EPERM") return "give the user running s3ap read access";
  return "check that it is a readable regular file";
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const follow =
      b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (follow === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= follow; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += follow + 1;
  }
  return bytes.length;
}

// One buffer, one byte larger than the limit: a read that fills it means "too big"
// without a separate fstat, and no buffer is allocated per file.
let buffer: Buffer | undefined;

// The top-level `accountId` of a block-style file: at the start of a line (so never inside a
// block scalar or a flow collection, whose lines YAML requires to be indented), the value
// quoted as s3ap's files write it.
const ACCOUNT_LINE = /^accountId:[ \t]*(?:"(\d{12})"|'(\d{12})')[ \t]*(?:#[^\n]*)?\r?$/gm;

/**
 * The account a file declares, read from its one top-level `accountId: "<12 digits>"` line
 * without the YAML parser: a shard skips the files of other accounts by it. Undefined when that is
 * not certain (no such line, two of them, another spelling): such a file is checked in full. A
 * file that names an account here and is invalid is still checked in full by that account's run.
 */
export function declaredAccount(text: string): string | undefined {
  let account: string | undefined;
  ACCOUNT_LINE.lastIndex = 0;
  for (let match = ACCOUNT_LINE.exec(text); match !== null; match = ACCOUNT_LINE.exec(text)) {
    if (account !== undefined) return undefined;
    account = match[1] ?? match[2];
  }
  return account;
}

/** The file's bytes, or its size when it is over MAX_FILE_BYTES (never read past the limit). */
export function readBounded(path: string): Buffer | number {
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
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
