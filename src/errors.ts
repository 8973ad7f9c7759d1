// One small error hierarchy. Only the entry points (cli, action) turn these into exit codes.

/**
 * How the entry that runs s3ap names an option, by its key in the option tables ("rate",
 * "endpointUrl"): the CLI by its flag ("--rate"), the Action by its input ("input rate")
 * (run/option-names.ts). Code below run/ names options only through one of these.
 */
export type OptionName = (option: string) => string;

/**
 * A message that names options of the run (`dir`, `ref`, ...) through `name`: the core never
 * writes a flag or an input itself, each entry words it with its own names (the CLI's flags,
 * the Action's inputs).
 */
export type Wording = (name: OptionName) => string;

/**
 * An option key as its CLI flag (`requestTimeoutMs` → `--request-timeout-ms`): how a message is
 * worded where no entry said how it names its options (an adapter a test builds on its own).
 */
export const cliFlag: OptionName = (option) =>
  `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export class S3apError extends Error {
  override name = "S3apError";
  private readonly wording: Wording | undefined;

  /** `message`: text, or a wording that names options (then `message` says them as flags). */
  constructor(message: string | Wording) {
    super(typeof message === "string" ? message : message(cliFlag));
    this.wording = typeof message === "string" ? undefined : message;
  }

  /** The message with every option it names called what `name` calls it. */
  wordedFor(name: OptionName): string {
    return this.wording?.(name) ?? this.message;
  }
}

/** Input that cannot be used: invalid files, bad flags. Exit 1, nothing written to AWS. */
export class InputError extends S3apError {
  override name = "InputError";
}

/** Git could not give us the desired state (not a repo, bad ref, clone failed). */
export class SourceError extends S3apError {
  override name = "SourceError";
}

/** The policies directory is not in the revision that was asked for (it came later). */
export class MissingFolderError extends SourceError {
  override name = "MissingFolderError";
}

/** An AWS call failed for one access point; carries the AWS error code when there is one. */
export class AwsError extends S3apError {
  override name = "AwsError";
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}
