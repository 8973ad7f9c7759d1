// Which commit of s3ap the workflows `s3ap init` writes should pin: the one this s3ap was
// installed from, so the action in CI is the s3ap on the laptop. A build cannot know the commit it
// will be committed in (dist/ is built, then committed), so it is read where the install left it:
// npm's lockfile (`resolved`: a GitHub tarball or git URL with the commit), or, run from a clone of
// s3ap, that clone's HEAD when its dist/ is committed as it is. `--action` names it by hand.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { VERSION } from "../version.js";
import type { ActionPin } from "./workflow-files.js";

const PIN = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)@([0-9a-f]{40})$/;

/** `--action owner/name@<40-hex commit>`. */
export function parseActionPin(text: string, label: string): ActionPin {
  const match = PIN.exec(text.trim());
  if (match === null) {
    throw new InputError(
      `${label} takes OWNER/REPO@COMMIT with the full 40-character commit SHA (e.g. s3ap/s3ap@${"0".repeat(40)}), not "${text}".`,
    );
  }
  return { repository: match[1] as string, commit: match[2] as string, version: VERSION };
}

/**
 * owner/name and commit from a lockfile's `resolved`: `https://github.com/O/R/archive/SHA.tar.gz`,
 * `https://codeload.github.com/O/R/tar.gz/SHA`, `git+ssh://git@github.com/O/R.git#SHA` (what npm
 * writes for `github:O/R#ref`), `git+https://github.com/O/R.git#SHA`. Anything else (a tag, a
 * registry tarball): undefined.
 */
export function pinFromResolved(resolved: string): ActionPin | undefined {
  const patterns = [
    /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/archive\/([0-9a-f]{40})\.tar\.gz$/,
    /^https:\/\/codeload\.github\.com\/([\w.-]+\/[\w.-]+)\/tar\.gz\/([0-9a-f]{40})$/,
    /^git\+(?:ssh:\/\/git@|https:\/\/)github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?#([0-9a-f]{40})$/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(resolved);
    if (match !== null) {
      return { repository: match[1] as string, commit: match[2] as string, version: VERSION };
    }
  }
  return undefined;
}

export interface InstallFacts {
  /** The folder of the s3ap package that runs (holding dist/, package.json). */
  packageRoot: string;
  /** HEAD of the git repository at packageRoot when dist/ and action.yml are committed as they are. */
  cleanCheckoutHead?: () => Promise<string | undefined>;
  /** The GitHub owner/name of that checkout (its origin), when it has one. */
  checkoutRepository?: () => Promise<string | undefined>;
}

/** What the lockfiles beside an installed s3ap say it was resolved from. */
function lockfileResolved(packageRoot: string): string | undefined {
  const modules = dirname(packageRoot);
  if (basename(modules) !== "node_modules") return undefined;
  const key = `node_modules/${basename(packageRoot)}`;
  for (const lockfile of [
    join(modules, ".package-lock.json"),
    join(dirname(modules), "package-lock.json"),
  ]) {
    if (!existsSync(lockfile)) continue;
    try {
      const lock = JSON.parse(readFileSync(lockfile, "utf8")) as {
        packages?: Record<string, { resolved?: unknown }>;
      };
      const resolved = lock.packages?.[key]?.resolved;
      if (typeof resolved === "string") return resolved;
    } catch {
      // An unreadable lockfile says nothing; the next one may.
    }
  }
  return undefined;
}

/** The pin of the s3ap that runs, or an error that says how to name it. */
export async function detectActionPin(facts: InstallFacts): Promise<ActionPin> {
  const resolved = lockfileResolved(facts.packageRoot);
  if (resolved !== undefined) {
    const pin = pinFromResolved(resolved);
    if (pin !== undefined) return pin;
    throw new InputError(
      `s3ap was installed from ${resolved}, which names no commit; pass --action OWNER/REPO@COMMIT ` +
        "(the full commit SHA of the s3ap whose action the workflows should run), or install s3ap " +
        "from a commit (https://github.com/OWNER/REPO/archive/COMMIT.tar.gz).",
    );
  }
  const head = await facts.cleanCheckoutHead?.();
  const repository = await facts.checkoutRepository?.();
  if (head !== undefined && repository !== undefined) {
    return { repository, commit: head, version: VERSION };
  }
  throw new InputError(
    "cannot tell which commit of s3ap this is (neither an npm lockfile entry nor a " +
      "clean clone of s3ap); pass --action OWNER/REPO@COMMIT with the full commit SHA of the s3ap " +
      "whose action the workflows should run.",
  );
}
