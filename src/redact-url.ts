// The one place that keeps credentials embedded in URLs (`--repo https://user:token@host`,
// `--endpoint-url http://user:password@host`) out of every message, report and log line.

/**
 * Hides credentials in every URL inside `text`: `https://user:token@host` → `https://user:***@host`,
 * and a bare token as the user of an http(s) URL (`https://ghp_x@host`) → `https://***@host`.
 */
export function redactUrl(text: string): string {
  return text
    .replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:\s']*):[^/@\s']*@/g, "$1:***@")
    .replace(/(https?:\/\/)[^/@:\s']+@/gi, "$1***@");
}

/** For a value that failed to parse as a URL: everything before an `@` may be a secret. */
export function redactUserinfo(value: string): string {
  return value.replace(/^([^@/]*\/\/)?[^@/]*@/, "$1***@");
}
