// One small error hierarchy. Only the entry points (cli, action) turn these into exit codes.

export class S3apError extends Error {
  override name = "S3apError";
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
