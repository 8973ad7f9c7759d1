// Turns the option tables of run/options.ts into commander flags: one loop, so a flag's name,
// help, parser and default are the ones the Action's input of the same option uses.
import { type Command, InvalidArgumentError, Option } from "commander";
import { InputError } from "../errors.js";
import type { AnyOption } from "../run/options.js";

export function addFlags(
  command: Command,
  options: ReadonlyArray<readonly [string, AnyOption]>,
): Command {
  for (const [key, spec] of options) {
    const option = new Option(spec.flag, spec.description);
    // The tables' keys are the names the run layer reads; commander derives its own from the flag.
    if (option.attributeName() !== key) {
      throw new Error(`flag ${spec.flag} is read as "${option.attributeName()}", not "${key}"`);
    }
    if (spec.kind === "value") {
      const label = option.long ?? spec.flag;
      option.argParser((value: string) => {
        try {
          return spec.parse(value, label);
        } catch (error) {
          // A usage error: commander prints it with the usage line and exits 1.
          if (error instanceof InputError) throw new InvalidArgumentError(error.message);
          throw error;
        }
      });
      if (spec.default !== undefined) option.default(spec.default);
    }
    command.addOption(option);
  }
  return command;
}

/** The table entries a command has, in table order. */
export function optionsOf(
  options: ReadonlyArray<readonly [string, AnyOption]>,
  command: string,
): ReadonlyArray<readonly [string, AnyOption]> {
  return options.filter(([, spec]) => (spec.commands as readonly string[]).includes(command));
}
