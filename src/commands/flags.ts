// Turns the command table of run/commands.ts into commander commands: one loop, so a flag's name,
// help, parser and default are the ones the Action's input of the same option uses.
import { type Command, InvalidArgumentError, Option } from "commander";
import { InputError } from "../errors.js";
import { COMMANDS, type CommandName, type CommandSpec } from "../run/commands.js";
import { splitList } from "../run/list-value.js";
import type { AnyOption } from "../run/options.js";

/** `s3ap NAME` with its description, arguments and flags; the caller adds the action. */
export function addCommand(program: Command, name: CommandName): Command {
  const spec: CommandSpec = COMMANDS[name];
  const command = program
    .command(name)
    .description(spec.description)
    .showHelpAfterError(`see s3ap ${name} --help`);
  if (spec.arguments !== undefined) {
    command.argument(spec.arguments.syntax, spec.arguments.description);
  }
  return addFlags(command, spec.options);
}

export function addFlags(command: Command, options: Record<string, AnyOption>): Command {
  for (const [key, spec] of Object.entries(options)) {
    const option = new Option(spec.flag, spec.description);
    // The tables' keys are the names the run layer reads; commander derives its own from the flag.
    if (option.attributeName() !== key) {
      throw new Error(`flag ${spec.flag} is read as "${option.attributeName()}", not "${key}"`);
    }
    const label = option.long ?? spec.flag;
    if (spec.kind === "value") {
      option.argParser((value: string) => usage(() => spec.parse(value, label)));
      if (spec.default !== undefined) option.default(spec.default);
    } else if (spec.kind === "list") {
      // Repeated flags add up; each value may itself be a list.
      option.argParser((value: string, previous: unknown[] | undefined) => [
        ...(previous ?? []),
        ...splitList(value, spec.spaces).map((item) => usage(() => spec.parse(item, label))),
      ]);
    }
    command.addOption(option);
  }
  return command;
}

/** A bad value is a usage error: commander prints it as one line and exits 1. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
