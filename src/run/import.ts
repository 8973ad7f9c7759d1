// `import` for any entry: AWS reached as plan reaches it (roles per account from the flags, the
// environment and s3ap.yaml of the repository around the policies directory), then the import
// engine with a ready reader, and a file writer only when it writes.
import { existsSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ImportTarget } from "../import/run-import.js";
import { runImport } from "../import/run-import.js";
import type { ImportOutcome } from "../import/types.js";
import type { Problem } from "../model.js";
import type { OptionNames } from "../report/refusal-text.js";
import { findRepository } from "../source/git-repository.js";
import { fileSystemWriter } from "../source/write-new-file.js";
import { loadS3apConfig } from "../validate/check-s3ap-config.js";
import { problemsFail } from "../validate/severity.js";
import { type AwsFactories, openAwsAccess } from "./aws-access.js";
import type { ImportOptions } from "./commands.js";

export type ImportRun =
  | { status: "done"; outcome: ImportOutcome }
  /** s3ap.yaml has problems: nothing was listed or written. */
  | { status: "invalid-config"; problems: Problem[]; root: string };

export interface ImportDeps extends AwsFactories {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** How the entry names its options in messages (run/option-names.ts). */
  names: OptionNames;
}

export async function runImportCommand(
  options: ImportOptions,
  deps: ImportDeps,
): Promise<ImportRun> {
  // Roles per account as for plan and apply: the flags, the environment, s3ap.yaml at the root
  // of the repository the files go into.
  const root = await configRoot(resolve(deps.cwd, options.dir), deps.cwd);
  const checked = loadS3apConfig(root);
  if (checked.problems.length > 0) {
    return { status: "invalid-config", problems: checked.problems, root };
  }
  const aws = openAwsAccess({
    options,
    env: deps.env,
    now: deps.now,
    config: checked.config,
    command: "import",
    commit: null,
    accessAnalyzer: false,
    optionName: deps.names.name,
    ...(deps.createStore !== undefined ? { createStore: deps.createStore } : {}),
    ...(deps.assumeRole !== undefined ? { assumeRole: deps.assumeRole } : {}),
    ...(deps.resolveCredentials !== undefined
      ? { resolveCredentials: deps.resolveCredentials }
      : {}),
  });
  try {
    await aws.requireCredentials();
    const outcome = await runImport(
      {
        cwd: deps.cwd,
        dir: options.dir,
        targets: importTargets(options),
        ...(options.only !== undefined ? { only: options.only } : {}),
        mode: options.mode,
        dryRun: options.dryRun,
        concurrency: options.concurrency,
      },
      { reader: aws.store, ...(options.dryRun ? {} : { writer: fileSystemWriter }) },
    );
    return { status: "done", outcome };
  } finally {
    aws.destroy();
  }
}

/** The repository around the policies directory (or the nearest folder that exists), else cwd. */
async function configRoot(policiesDir: string, cwd: string): Promise<string> {
  let folder = policiesDir;
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  const repository = await findRepository(realpathSync(folder));
  return repository !== null && !repository.bare ? repository.root : cwd;
}

/** Every account in every region, and with Outposts, every Outpost of each. */
export function importTargets(
  options: Pick<ImportOptions, "account" | "region" | "outpostId">,
): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const accountId of options.account ?? []) {
    for (const region of options.region ?? []) {
      targets.push({ accountId, region });
      for (const outpostId of options.outpostId ?? [])
        targets.push({ accountId, region, outpostId });
    }
  }
  return targets;
}

/**
 * 0: everything listed was imported or skipped and no error needs deciding; 1 otherwise. Warnings
 * in the written files are listed but fail only with --strict, as in validate, plan and apply.
 */
export function importExitCode(run: ImportRun, strict: boolean): 0 | 1 {
  if (run.status === "invalid-config") return 1;
  const { outcome } = run;
  if (outcome.status === "refused") return 1;
  return outcome.failures.length > 0 || problemsFail(outcome.problems, strict) ? 1 : 0;
}
