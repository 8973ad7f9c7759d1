// Parsers for numeric flags: a bad value is a usage error that names the flag.
import { InvalidArgumentError } from "commander";
import { InputError } from "../errors.js";

export function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${flag} takes a whole number of at least 1, not "${value}".`);
    }
    return n;
  };
}

export function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${flag} takes a whole number of at least 0, not "${value}".`);
    }
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag} takes a number greater than 0, not "${value}".`);
    }
    return n;
  };
}

export function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${flag} is one of ${choices.join(", ")}, not "${value}".`);
    }
    return value as T;
  };
}

/** --endpoint-url, else AWS_ENDPOINT_URL_S3_CONTROL; must be an http(s) URL. */
export function resolveEndpointUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const value = flag ?? (env.AWS_ENDPOINT_URL_S3_CONTROL || undefined);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `--endpoint-url must be a URL like http://127.0.0.1:5000, not "${value}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`--endpoint-url must use http or https, not "${url.protocol}".`);
  }
  return value.replace(/\/+$/, "");
}
