// How both entries show an error that ended a run: s3ap's own errors by their message (they say
// what to do); anything else is a bug, shown with its stack so it can be reported and found.
// Credentials in URLs (--repo, --endpoint-url) are redacted here, for both entries.
import { S3apError } from "../errors.js";
import { redactUrl } from "../redact-url.js";
import type { OptionNames } from "../report/refusal-text.js";
import { terminalText } from "../report/sinks/terminal.js";

/**
 * For a terminal or the step log: each line of the message (or stack) through the terminal sink.
 * An s3ap error that names options names them as `names` does (the CLI's flags by default).
 */
export function errorText(error: unknown, names?: OptionNames): string {
  const text =
    error instanceof S3apError
      ? worded(error, names)
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  return redactUrl(text).split("\n").map(terminalText).join("\n");
}

/** One line for annotations and outputs: the message without the stack. */
export function errorLine(error: unknown, names?: OptionNames): string {
  const text =
    error instanceof S3apError
      ? worded(error, names)
      : error instanceof Error
        ? error.message
        : String(error);
  return redactUrl(text);
}

function worded(error: S3apError, names: OptionNames | undefined): string {
  return names === undefined ? error.message : error.wordedFor((option) => names.name(option));
}
