// How each entry names an option in its messages, from the one command table: the CLI by its
// long flag ("--max-changes"), the Action by its input ("input max-changes").
import type { OptionNames } from "../report/refusal-text.js";
import { COMMANDS } from "./commands.js";
import { type AnyOption, longFlag } from "./options.js";

/** Every option by its key: a key means one option in every command that has it. */
const BY_KEY = new Map<string, AnyOption>(
  Object.values(COMMANDS).flatMap((command) =>
    Object.entries(command.options as Record<string, AnyOption>),
  ),
);

/** A key no table has is shown as it is (a message must never fail to be worded). */
function named(key: string, word: (option: AnyOption) => string): string {
  const option = BY_KEY.get(key);
  return option === undefined ? key : word(option);
}

export const CLI_NAMES: OptionNames = {
  name: (key) => named(key, longFlag),
  enable: (key) => named(key, (option) => `pass ${longFlag(option)}`),
};

/** An option the Action has no input for is named by its flag (the CLI is where it exists). */
export const ACTION_NAMES: OptionNames = {
  name: (key) =>
    named(key, (option) =>
      option.input !== undefined ? `input ${option.input}` : longFlag(option),
    ),
  enable: (key) =>
    named(key, (option) =>
      option.input !== undefined ? `set input ${option.input} to true` : `pass ${longFlag(option)}`,
    ),
};
