#!/usr/bin/env node
// Entry point of the `s3ap` command: builds the commands of run/commands.ts and hands each to its
// module, loaded when it runs. Only this file (and action.ts) turns outcomes into exit codes.
import { Command, CommanderError } from "commander";
import { addCommand } from "./commands/flags.js";
import { type CommandIO, processIO } from "./commands/io.js";
import { redactUrl } from "./redact-url.js";
import type { CommandName } from "./run/commands.js";
import { errorText } from "./run/error-text.js";
import { replaceSdkNodeWarning } from "./run/node-support.js";
import { registerWorkerEntry } from "./run/worker-entry.js";
import { cleanUpOnSignals } from "./source/git-interrupt.js";
import { VERSION } from "./version.js";

type Handler = (options: never, io: CommandIO, args: string[]) => Promise<number>;

// Each command's module is loaded when it runs: `validate` is offline, and loading the AWS SDK
// that plan, apply and import need would be most of its start-up.
const HANDLERS: Record<CommandName, () => Promise<Handler>> = {
  validate: async () => (await import("./commands/validate.js")).cliValidate,
  plan: async () => {
    const { cliReconcile } = await import("./commands/reconcile.js");
    return (options, io) => cliReconcile({ command: "plan", options }, io);
  },
  apply: async () => {
    const { cliReconcile } = await import("./commands/reconcile.js");
    return (options, io) => cliReconcile({ command: "apply", options }, io);
  },
  import: async () => (await import("./commands/import.js")).cliImport,
  accounts: async () => (await import("./commands/fan-out.js")).cliAccounts,
  init: async () => (await import("./commands/init.js")).cliInit,
  "merge-plans": async () => {
    const { cliMergePlans } = await import("./commands/fan-out.js");
    return (options, io, args) => cliMergePlans(args, options, io);
  },
};

/** The commands that create AWS clients: they print one line of ours instead of the SDK's block. */
const TALKS_TO_AWS: readonly string[] = ["plan", "apply", "import"];

export function buildProgram(onExit: (code: number) => void): Command {
  const io = processIO();
  const program = new Command()
    .name("s3ap")
    .description(
      "Policy-as-code GitOps reconciler for Amazon S3 access point policies.\n" +
        "Exit codes: 0 in sync / valid / applied, 1 error, 2 changes pending (plan, apply --dry-run).",
    )
    .version(VERSION)
    // A usage error is one line and where to look, not the whole help (addCommand names the
    // command's own help).
    .showHelpAfterError("see s3ap --help")
    // Commander quotes a refused argument as given: --endpoint-url may hold a password.
    .configureOutput({ outputError: (text, write) => write(redactUrl(text)) })
    .exitOverride();
  for (const command of Object.keys(HANDLERS) as CommandName[]) {
    addCommand(program, command).action(async (...given: unknown[]) => {
      // commander passes the positional arguments first, then the options and the command.
      const args = given.slice(0, -2).flat() as string[];
      const options = given.at(-2) as never;
      // Before the module (and the AWS SDK with it) is loaded, and only once the flags parsed.
      if (TALKS_TO_AWS.includes(command)) {
        const notice = replaceSdkNodeWarning(process.env, process.version);
        if (notice !== undefined) io.stderr(`s3ap: note: ${notice}\n`);
      }
      const handler = await HANDLERS[command]();
      onExit(await handler(options, io, args));
    });
  }
  return program;
}

async function main(): Promise<void> {
  // Phase marks (s3ap:*) say where the time before the first request goes; they cost a few
  // microseconds and are read only by a profiler or bench/reconcile-usage-probe.mjs.
  performance.mark("s3ap:main");
  cleanUpOnSignals((code) => process.exit(code));
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  performance.mark("s3ap:commands-loaded");
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

// The worker threads that spread S3 Control calls over the cores start from the bundle beside.
registerWorkerEntry(new URL("./store-worker.js", import.meta.url).href);
await main();
