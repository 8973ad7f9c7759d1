// A run that selects nothing is an error, not a green "0 changes": a typo in --dir, --only or a
// workflow input must fail the run that carries it.

import { count } from "../count.js";
import { InputError } from "../errors.js";

/** `dir` as the user gave it; thrown when the policies folder holds no policy file at all. */
export function noPolicyFiles(dir: string): InputError {
  return new InputError(
    `the policies directory ${dir} has no policy files (*.yaml, *.yml, at any depth); check --dir`,
  );
}

/** Thrown when `--only` keeps none of the declared access points. */
export function onlyMatchesNothing(only: string, declared: number): InputError {
  return new InputError(
    `--only ${only} matches none of the ${count(declared, "access point")} ` +
      "the policy files declare (it is matched against the name, the file, " +
      "account/region/[outpost/]name and the ARN)",
  );
}
