// How both entries show an error that ended a run: s3ap's own errors by their message (they say
// what to do); anything else is a bug, shown with its stack so it can be reported and found.
import { S3apError } from "../errors.js";

export function errorText(error: unknown): string {
  if (error instanceof S3apError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/** One line for annotations and outputs: the message without the stack. */
export function errorLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
