// Where S3 Control requests go: --endpoint-url / input endpoint-url, else AWS_ENDPOINT_URL_S3_CONTROL.
import { InputError } from "../errors.js";
import { redactUserinfo } from "../redact-url.js";

/**
 * An http(s) URL without trailing slashes; `label` names where the value came from. Returned as
 * the URL parser writes it (a space becomes %20), so that messages can find and redact its
 * credentials.
 */
export function parseEndpointUrl(value: string, label: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `${label} must be a URL like http://127.0.0.1:5000, not "${redactUserinfo(value)}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`${label} must use http or https, not "${url.protocol}".`);
  }
  return url.href.replace(/\/+$/, "");
}

/** The option wins over the SDK's standard environment variable. */
export function resolveEndpointUrl(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (option !== undefined) return option;
  const fromEnv = env.AWS_ENDPOINT_URL_S3_CONTROL;
  return fromEnv ? parseEndpointUrl(fromEnv, "AWS_ENDPOINT_URL_S3_CONTROL") : undefined;
}
