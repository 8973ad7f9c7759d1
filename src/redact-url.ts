// The one place that keeps credentials embedded in URLs (`--repo https://user:token@host`,
// `--endpoint-url http://user:password@host`) out of every message, report and log line.
//
// Why our own code: the URLs sit inside free text (git's and the SDK's messages quote them), so
// something must find where each URL's credentials begin and end before a parser can be asked;
// no package redacts URLs inside text by the URL Standard's rules. The boundaries are the WHATWG
// URL Standard's (what Node's URL parser implements): the authority runs from `//` to the first
// `/`, `?` or `#`, and the userinfo is everything before the LAST `@` in it, so a password may
// hold `'`, spaces, `:` or `@`. The parser then says whether there is a password.

const SCHEME_AND_SLASHES = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;
const AUTHORITY_END = /[/?#\r\n]/;

/**
 * Hides credentials in every URL inside `text`: `https://user:token@host` → `https://user:***@host`,
 * and a bare token as the user of an http(s) URL (`https://ghp_x@host`) → `https://***@host`.
 * A user name alone in another scheme (`ssh://git@host`) is not a secret and stays.
 */
export function redactUrl(text: string): string {
  let result = "";
  let copied = 0;
  for (const match of text.matchAll(SCHEME_AND_SLASHES)) {
    const start = match.index + match[0].length;
    if (start <= copied) continue;
    const rest = text.slice(start);
    const end = rest.search(AUTHORITY_END);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const at = authority.lastIndexOf("@");
    if (at === -1) continue;
    const userinfo = authority.slice(0, at);
    const shown = redactedUserinfo(match[0], userinfo, authority.slice(at + 1));
    if (shown === userinfo) continue;
    result += text.slice(copied, start) + shown;
    copied = start + userinfo.length;
  }
  return result + text.slice(copied);
}

/** The userinfo as it may be shown: `user:***`, `***`, or unchanged when it holds no secret. */
function redactedUserinfo(schemeAndSlashes: string, userinfo: string, host: string): string {
  const colon = userinfo.indexOf(":");
  const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const web = /^https?:/i.test(schemeAndSlashes);
  let parsed: URL | undefined;
  try {
    parsed = new URL(`${schemeAndSlashes}${userinfo}@${host}`);
  } catch {
    // Not a URL the parser accepts (a host with spaces after it in a sentence, a bad port):
    // whatever sits where credentials would is hidden all the same.
    parsed = undefined;
  }
  const hasPassword = parsed === undefined ? colon !== -1 : parsed.password !== "";
  if (hasPassword) return `${user}:***`;
  const hasUser = parsed === undefined ? user !== "" : parsed.username !== "";
  return web && hasUser ? "***" : userinfo;
}

/**
 * For a value that failed to parse as a URL: everything between the scheme and the last `@` may
 * be a secret (a `/` in a password is one reason a value fails to parse).
 */
export function redactUserinfo(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:?\/\/)?[^\n]*@/, "$1***@");
}
