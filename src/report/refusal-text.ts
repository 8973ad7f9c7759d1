// The words for a refusal (the core returns it as data). Each entry names the options its own
// way (run/option-names.ts): the CLI by flag ("--max-changes"), the Action by input
// ("input max-changes"); these sentences only say where the name goes.
import { count } from "../count.js";
import type { Refusal } from "../model.js";
import type { RefusedShard } from "../reconcile/types.js";

/** How an entry names an option, by its key in the option tables ("maxChanges", "dir"). */
export interface OptionNames {
  /** The option as the user gave it: "--max-changes", "input max-changes". */
  name(key: string): string;
  /** How to turn a switch on: "pass --allow-dirty", "set input allow-dirty to true". */
  enable(key: string): string;
}

/** The sentence for a refusal, naming the options the way `names` does. */
export function refusalText(refusal: Refusal, names: OptionNames): string {
  switch (refusal.kind) {
    case "dirty": {
      const allow = names.enable("allowDirty");
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
        `${names.name("maxChanges")} ${refusal.limit}; nothing was written`
      );
    case "no-policy-files":
      return (
        `the policies directory ${refusal.dir} has no policy files (*.yaml, *.yml, at any ` +
        `depth); check ${names.name("dir")}`
      );
    case "only-matches-nothing": {
      const only = `${names.name("only")} ${refusal.only.join(",")}`;
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
      return `${names.name("account")} ${refusal.accounts.join(",")} matches no access point of the policy files`;
  }
}

/** One line for logs and the Action's failure-reason: refusals proper say that they are. */
export function refusalLine(refusal: Refusal, names: OptionNames): string {
  const text = refusalText(refusal, names);
  return refusal.kind === "dirty" || refusal.kind === "max-changes" ? `refused: ${text}` : text;
}

/** A shard of a fan-out run whose apply was refused: which plan, which accounts, why. */
export function refusedShardText(shard: RefusedShard, names: OptionNames): string {
  return (
    `the apply of ${shard.plan} (${count(shard.accounts.length, "account")}: ` +
    `${shard.accounts.join(", ")}) was refused: ${refusalText(shard.refusal, names)}`
  );
}
