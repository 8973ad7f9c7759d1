#!/usr/bin/env node
// Entry point of the `s3ap` command: parses argv and hands off to one command module.
// Only this file (and action.ts) turns outcomes into process exit codes.
import { Command, CommanderError } from "commander";
import { registerFanOut } from "./commands/fan-out.js";
import { processIO } from "./commands/io.js";
import { registerValidate } from "./commands/validate.js";
import { redactUrl } from "./redact-url.js";
import { errorText } from "./run/error-text.js";
import { replaceSdkNodeWarning } from "./run/node-support.js";
import { cleanUpOnSignals } from "./source/git-interrupt.js";
import { VERSION } from "./version.js";

export async function buildProgram(
  onExit: (code: number) => void,
  argv: readonly string[] = process.argv,
): Promise<Command> {
  const io = processIO();
  const program = new Command()
    .name("s3ap")
    .description(
      "Policy-as-code GitOps reconciler for Amazon S3 access point policies.\n" +
        "Exit codes: 0 in sync / valid / applied, 1 error, 2 changes pending (plan, apply --dry-run).",
    )
    .version(VERSION)
    .showHelpAfterError()
    // Commander quotes a refused argument as given: --endpoint-url may hold a password.
    .configureOutput({ outputError: (text, write) => write(redactUrl(text)) })
    .exitOverride();
  registerValidate(program, io, onExit);
  registerFanOut(program, io, onExit);
  // `validate` is offline: loading plan/apply (the AWS SDK) would be most of its start-up, so they
  // come from a separate chunk, loaded for every other command line (--help lists them).
  if (argv[2] !== "validate") {
    // plan, apply and import create AWS clients: one line of ours instead of the SDK's block.
    const notice = replaceSdkNodeWarning(process.env, process.version);
    if (notice !== undefined && argv[2] !== undefined && !argv[2].startsWith("-")) {
      io.stderr(`s3ap: note: ${notice}\n`);
    }
    const { registerReconcile } = await import("./commands/reconcile.js");
    registerReconcile(program, io, onExit);
    const { registerImport } = await import("./commands/import.js");
    registerImport(program, io, onExit);
  }
  return program;
}

async function main(): Promise<void> {
  cleanUpOnSignals((code) => process.exit(code));
  let exitCode = 0;
  const program = await buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 1.
      process.exitCode = error.exitCode === 0 ? 0 : 1;
      return;
    }
    process.stderr.write(`s3ap: ${errorText(error)}\n`);
    process.exitCode = 1;
    return;
  }
  process.exitCode = exitCode;
}

await main();
