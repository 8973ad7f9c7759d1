// `validate` for any entry: the desired state read and checked, offline, as data.
import type { DesiredAccessPoint, Problem, Refusal, SourceInfo } from "../model.js";
import { problemsFail } from "../validate/severity.js";
import { withDesiredState } from "./desired-state.js";
import type { SourceOptions } from "./options.js";

export type ValidateOutcome =
  | {
      status: "checked";
      source: SourceInfo;
      files: number;
      desired: DesiredAccessPoint[];
      problems: Problem[];
    }
  /** A policies directory with no policy file at all is an error, not a green "0 problems". */
  | { status: "refused"; source: SourceInfo; refusal: Refusal };

/** `now`: the day s3ap.yaml's dates are judged on (ms since the epoch). */
export function runValidate(
  options: SourceOptions,
  cwd: string,
  now: number,
): Promise<ValidateOutcome> {
  return withDesiredState(options, cwd, now, async (source, state) => {
    if (state.files === 0 && state.problems.length === 0) {
      return { status: "refused", source, refusal: { kind: "no-policy-files", dir: options.dir } };
    }
    return {
      status: "checked",
      source,
      files: state.files,
      desired: state.desired,
      problems: state.problems,
    };
  });
}

/** 1 when the problems fail the check (errors; warnings too with strict) or it was refused. */
export function validateExitCode(outcome: ValidateOutcome, strict: boolean): 0 | 1 {
  if (outcome.status === "refused") return 1;
  return problemsFail(outcome.problems, strict) ? 1 : 0;
}
