// The words for a refusal (the core returns it as data): each entry names the options its own
// way, the CLI by flag ("--max-changes"), the Action by input ("input max-changes").
import { count } from "../count.js";
import type { Refusal } from "../model.js";
import {
  type AnyOption,
  APPLY_OPTIONS,
  longFlag,
  SELECT_OPTIONS,
  SOURCE_OPTIONS,
} from "./options.js";

export interface OptionNames {
  /** The option as the user gave it: "--max-changes", "input max-changes". */
  name(option: AnyOption): string;
  /** How to turn a switch on: "pass --allow-dirty", "set input allow-dirty to true". */
  enable(option: AnyOption): string;
}

export const CLI_NAMES: OptionNames = {
  name: (option) => longFlag(option),
  enable: (option) => `pass ${longFlag(option)}`,
};

export const ACTION_NAMES: OptionNames = {
  name: (option) => (option.input !== undefined ? `input ${option.input}` : longFlag(option)),
  enable: (option) =>
    option.input !== undefined ? `set input ${option.input} to true` : `pass ${longFlag(option)}`,
};

/** The sentence for a refusal, naming the options the way `names` does. */
export function refusalText(refusal: Refusal, names: OptionNames): string {
  switch (refusal.kind) {
    case "dirty": {
      const allow = names.enable(APPLY_OPTIONS.allowDirty);
      if (refusal.noCommit === "not a git repository") {
        return (
          "the policies directory is not in a git repository, so no commit names what would " +
          `be applied; apply from a git repository or ${allow}`
        );
      }
      if (refusal.noCommit === "no commit yet") {
        return (
          "the repository has no commit yet; commit the policy files (the report names the " +
          `commit it applied) or ${allow}`
        );
      }
      return (
        "the policies directory has uncommitted changes; commit them (the report names the " +
        `commit it applied) or ${allow}`
      );
    }
    case "max-changes":
      return (
        `${count(refusal.writes, "change")} planned, more than ` +
        `${names.name(APPLY_OPTIONS.maxChanges)} ${refusal.limit}; nothing was written`
      );
    case "no-policy-files":
      return (
        `the policies directory ${refusal.dir} has no policy files (*.yaml, *.yml, at any ` +
        `depth); check ${names.name(SOURCE_OPTIONS.dir)}`
      );
    case "only-matches-nothing": {
      const only = `${names.name(SELECT_OPTIONS.only)} ${refusal.only.join(",")}`;
      return refusal.of === "listed"
        ? `${only} matches none of the ${count(refusal.among, "access point")} listed`
        : `${only} matches none of the ${count(refusal.among, "access point")} the policy ` +
            "files declare (it is matched against the name, the file, " +
            "account/region/[outpost/]name and the ARN)";
    }
    case "undeclared-files":
      return (
        "some policy files do not say which access point they declare, so import could " +
        "write a second file for it; fix them first"
      );
    case "accounts-match-nothing":
      return `${names.name(SELECT_OPTIONS.account)} ${refusal.accounts.join(",")} matches no access point of the policy files`;
  }
}

/** One line for logs and the Action's failure-reason: refusals proper say that they are. */
export function refusalLine(refusal: Refusal, names: OptionNames): string {
  const text = refusalText(refusal, names);
  return refusal.kind === "dirty" || refusal.kind === "max-changes" ? `refused: ${text}` : text;
}
