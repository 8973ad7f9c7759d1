import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { InputError } from "../errors.js";
import type { Problem } from "../model.js";

/** One policy file found under the policies directory. */
export interface PolicyFile {
  /** Absolute path (through any symlinks, as found). */
  absolute: string;
  /** Path relative to the repository root, POSIX separators: the name used in reports. */
  file: string;
  /** Size in bytes of the file the path resolves to. */
  size: number;
}

const POLICY_FILE = /\.ya?ml$/;

const toPosix = (path: string): string => (sep === "/" ? path : path.split(sep).join("/"));

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
};

/**
 * Every *.yaml / *.yml file under `policiesDir`, any depth, sorted by their POSIX path relative to
 * `root` (code-unit order, so the order does not depend on the locale). Symlinks are followed
 * only while they stay inside `root`; one that leaves it is reported, not read.
 */
export async function listPolicyFiles(
  root: string,
  policiesDir: string,
): Promise<{ files: PolicyFile[]; problems: Problem[] }> {
  const realRoot = await realpath(root);
  let realDir: string;
  try {
    realDir = await realpath(policiesDir);
    if (!(await stat(realDir)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(
      `policies directory ${toPosix(relative(root, policiesDir)) || "."} not found in ${root}`,
    );
  }
  const files: PolicyFile[] = [];
  const problems: Problem[] = [];
  const visited = new Set<string>([realDir]);
  if (!isInside(realRoot, realDir)) {
    throw new InputError(
      `policies directory ${policiesDir} resolves outside the repository ${root}`,
    );
  }

  async function walk(dir: string): Promise<void> {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        // Hidden folders (.git, .github) are never policies, even when --dir is the repo root.
        if (entry.name.startsWith(".") && !entry.isFile()) return;
        const absolute = join(dir, entry.name);
        const file = toPosix(relative(root, absolute));
        if (entry.isSymbolicLink()) {
          let target: string;
          try {
            target = await realpath(absolute);
          } catch {
            if (POLICY_FILE.test(entry.name)) {
              problems.push(problem(file, "symlink", "broken symlink: its target does not exist"));
            }
            return;
          }
          if (!isInside(realRoot, target)) {
            problems.push(
              problem(
                file,
                "symlink",
                "symlink points outside the repository; s3ap reads only files inside it",
              ),
            );
            return;
          }
          const info = await stat(target);
          if (info.isDirectory()) {
            if (visited.has(target)) return;
            visited.add(target);
            await walk(absolute);
          } else if (info.isFile() && POLICY_FILE.test(entry.name)) {
            files.push({ absolute, file, size: info.size });
          }
          return;
        }
        if (entry.isDirectory()) {
          const real = await realpath(absolute);
          if (visited.has(real)) return;
          visited.add(real);
          await walk(absolute);
        } else if (entry.isFile() && POLICY_FILE.test(entry.name)) {
          files.push({ absolute, file, size: (await stat(absolute)).size });
        }
      }),
    );
  }

  await walk(policiesDir);
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}

function problem(file: string, rule: string, message: string): Problem {
  return { file, line: 1, col: 1, rule, message };
}
