// `s3ap init`: the run layer's init, reported on the terminal.
import { fileURLToPath } from "node:url";
import { renderInitText } from "../report/init-text.js";
import type { InitOptions } from "../run/commands.js";
import { runInit } from "../run/init.js";
import type { CommandIO } from "./io.js";

export async function cliInit(options: InitOptions, io: CommandIO): Promise<number> {
  const outcome = await runInit(options, {
    cwd: io.cwd,
    scriptPath: process.argv[1] ?? fileURLToPath(import.meta.url),
  });
  io.stdout(renderInitText(outcome));
  return 0;
}
