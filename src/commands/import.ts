// `s3ap import`: writes a policy file for every live access point that no file declares yet.
import { type Command, InvalidArgumentError } from "commander";
import { runCredentials } from "../aws/run-credentials.js";
import { createS3ControlStore } from "../aws/s3control-store.js";
import { type ImportOutcome, type ImportTarget, runImport } from "../import/run-import.js";
import { fileSystemWriter } from "../import/write-new-file.js";
import type { Mode } from "../model.js";
import { renderImportText } from "../report/import-text.js";
import { renderProblemsText } from "../report/problems-text.js";
import { resolveEndpointUrl } from "../run/endpoint-url.js";
import { type AnyOption, oneOf, RECONCILE_OPTIONS } from "../run/options.js";
import { loadS3apConfig } from "../validate/check-s3ap-config.js";
import { problemsFail } from "../validate/severity.js";
import { addFlags } from "./flags.js";
import type { CommandIO } from "./io.js";

interface ImportFlags {
  account?: string[];
  region?: string[];
  outpostId?: string[];
  dir: string;
  only?: string;
  mode: Mode;
  dryRun?: boolean;
  endpointUrl?: string;
  roleArn?: string;
  externalId?: string;
  concurrency: number;
  rate?: number;
  verbose?: boolean;
  strict?: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const OUTPOST_ID = /^op-[0-9a-f]{17}$/;

/** A repeatable flag that also takes comma-separated lists; each value checked by `valid`. */
function list(flag: string, valid: RegExp, example: string) {
  return (value: string, previous: string[] = []): string[] => {
    const values = value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    for (const v of values) {
      if (!valid.test(v))
        throw new InvalidArgumentError(`${flag} takes values like ${example}, not "${v}".`);
    }
    return [...previous, ...values];
  };
}

// Flags that mean what plan's do come from the shared table (run/options.ts); import is CLI-only
// (it writes files into the repository, which a workflow step would not commit).
const IMPORT_OPTIONS: ReadonlyArray<readonly [string, AnyOption]> = [
  [
    "dir",
    {
      ...RECONCILE_OPTIONS.dir,
      description: "policies directory (files go to <dir>/<account>/<region>/<name>.yaml)",
    },
  ],
  [
    "only",
    {
      ...RECONCILE_OPTIONS.only,
      description: "only access points whose name, account/region/name or ARN match",
    },
  ],
  [
    "mode",
    {
      kind: "value",
      flag: "--mode <mode>",
      description: "mode written into every file: enforce | observe",
      commands: [],
      parse: oneOf(["enforce", "observe"] as const),
      default: "enforce",
    },
  ],
  [
    "dryRun",
    { ...RECONCILE_OPTIONS.dryRun, description: "print what would be written; write nothing" },
  ],
  ["endpointUrl", RECONCILE_OPTIONS.endpointUrl],
  ["roleArn", RECONCILE_OPTIONS.roleArn],
  ["externalId", RECONCILE_OPTIONS.externalId],
  ["concurrency", RECONCILE_OPTIONS.concurrency],
  ["rate", RECONCILE_OPTIONS.rate],
  [
    "verbose",
    {
      ...RECONCILE_OPTIONS.verbose,
      description: "also list the access points skipped because a file declares them",
    },
  ],
  [
    "strict",
    {
      ...RECONCILE_OPTIONS.strict,
      description: "exit 1 for warnings in the written files too, not only for errors",
    },
  ],
];

export function registerImport(
  program: Command,
  io: CommandIO,
  onExit: (code: number) => void,
): void {
  const command = program
    .command("import")
    .description(
      "write a policy file for every live access point that no file declares yet (exit 1: something to decide; warnings only with --strict)",
    )
    .option(
      "--account <ids>",
      "account id(s): repeat or separate with commas",
      list("--account", ACCOUNT_ID, "111122223333"),
    )
    .option(
      "--region <regions>",
      "region(s): repeat or separate with commas",
      list("--region", REGION, "eu-west-1"),
    )
    .option(
      "--outpost-id <ids>",
      "also import the access points of these Outposts",
      list("--outpost-id", OUTPOST_ID, "op-0123456789abcdef0"),
    );
  addFlags(command, IMPORT_OPTIONS).action(async (flags: ImportFlags) =>
    onExit(await runImportCommand(flags, io)),
  );
}

export function importTargets(
  flags: Pick<ImportFlags, "account" | "region" | "outpostId">,
): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const accountId of flags.account ?? []) {
    for (const region of flags.region ?? []) {
      targets.push({ accountId, region });
      for (const outpostId of flags.outpostId ?? []) targets.push({ accountId, region, outpostId });
    }
  }
  return targets;
}

async function runImportCommand(flags: ImportFlags, io: CommandIO): Promise<number> {
  if (flags.account === undefined || flags.region === undefined) {
    io.stderr(
      "s3ap import: give at least one --account and one --region (repeat them or separate with commas).\n",
    );
    return 1;
  }
  const endpointUrl = resolveEndpointUrl(flags.endpointUrl, io.env);
  // Roles per account as for plan and apply: the flags, the environment, s3ap.yaml here.
  const checkedConfig = loadS3apConfig(io.cwd);
  if (checkedConfig.problems.length > 0) {
    const here = { root: io.cwd, policiesDir: io.cwd, commit: null, dirty: true };
    io.stderr(renderProblemsText(checkedConfig.problems, here, io.cwd));
    return 1;
  }
  const accountCredentials = runCredentials({
    flags: {
      ...(flags.roleArn !== undefined ? { roleArn: flags.roleArn } : {}),
      ...(flags.externalId !== undefined ? { externalId: flags.externalId } : {}),
    },
    env: io.env,
    config: checkedConfig.config,
    command: "import",
    commit: null,
    now: Date.now,
  });
  let store: ReturnType<typeof createS3ControlStore> | undefined;
  const outcome = await runImport(
    {
      cwd: io.cwd,
      dir: flags.dir,
      targets: importTargets(flags),
      ...(flags.only !== undefined ? { only: flags.only } : {}),
      mode: flags.mode,
      dryRun: flags.dryRun === true,
      concurrency: flags.concurrency,
    },
    {
      openReader: () => {
        store ??= createS3ControlStore({
          ...(accountCredentials !== undefined ? { accountCredentials } : {}),
          ...(endpointUrl !== undefined ? { endpointUrl } : {}),
          ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
        });
        return store;
      },
      openWriter: () => fileSystemWriter,
    },
  ).finally(() => store?.destroy());
  const text = renderImportText(outcome, { cwd: io.cwd, verbose: flags.verbose === true });
  if (outcome.status === "refused") io.stderr(text);
  else io.stdout(text);
  return importExitCode(outcome, flags.strict === true);
}

/**
 * 0: everything listed was imported or skipped and no error needs deciding; 1 otherwise. Warnings
 * in the written files are listed but fail only with --strict, as in validate, plan and apply.
 */
export function importExitCode(outcome: ImportOutcome, strict: boolean): 0 | 1 {
  if (outcome.status === "refused") return 1;
  return outcome.failures.length > 0 || problemsFail(outcome.problems, strict) ? 1 : 0;
}
