// `s3ap init` for any entry (the CLI has it): the files a repository of policies needs, written
// into the root of the git repository around the current folder, never over an existing file.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { detectActionPin, parseActionPin } from "../init/action-pin.js";
import { initFiles, policiesDirProblem } from "../init/init-files.js";
import type { InitFileResult, InitOutcome } from "../init/types.js";
import type { ActionPin } from "../init/workflow-files.js";
import { findRepository } from "../source/git-repository.js";
import { cleanHead, gitHubOrigin } from "../source/self-checkout.js";
import { type FileWriter, fileSystemWriter } from "../source/write-new-file.js";
import type { InitOptions } from "./commands.js";

export interface InitDeps {
  cwd: string;
  /** Files are created atomically and never over an existing one (tests pass another). */
  writer?: FileWriter;
  /** The script that runs: dist/cli.js of an install or of a clone of s3ap. */
  scriptPath: string;
}

/** The pin of the s3ap that runs: from its npm lockfile entry, or its own clean clone. */
function pinOfThisS3ap(scriptPath: string): Promise<ActionPin> {
  const packageRoot = dirname(dirname(scriptPath));
  const fromDist = dirname(scriptPath) === join(packageRoot, "dist");
  return detectActionPin({
    packageRoot,
    // A clone counts only when what runs is its committed dist/ (and action.yml).
    cleanCheckoutHead: async () =>
      fromDist ? cleanHead(packageRoot, ["dist", "action.yml"]) : undefined,
    checkoutRepository: () => gitHubOrigin(packageRoot),
  });
}

export async function runInit(options: InitOptions, deps: InitDeps): Promise<InitOutcome> {
  const problem = policiesDirProblem(options.dir);
  if (problem !== undefined) throw new InputError(`--dir ${options.dir}: ${problem}`);
  const pin =
    options.action !== undefined
      ? parseActionPin(options.action, "--action")
      : await pinOfThisS3ap(deps.scriptPath);
  const repository = await findRepository(resolve(deps.cwd));
  if (repository?.bare === true) {
    throw new InputError(
      `${deps.cwd} is inside a bare repository: run s3ap init in a working tree`,
    );
  }
  const root = repository?.root ?? resolve(deps.cwd);
  const files: InitFileResult[] = [];
  for (const file of initFiles(pin, options.dir)) {
    const path = join(root, file.path);
    const result = options.dryRun
      ? existsSync(path)
        ? "exists"
        : "would write"
      : await (deps.writer ?? fileSystemWriter).writeNew(path, file.content);
    files.push({ path: file.path, what: file.what, result });
  }
  return { root, inGit: repository !== null, pin, dir: options.dir, files };
}
