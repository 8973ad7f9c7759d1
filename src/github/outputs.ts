// Step outputs through the GITHUB_OUTPUT file, in the heredoc form that is safe for any value.
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";

export type Outputs = Record<string, string>;

export function formatOutputs(
  outputs: Outputs,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`output ${name} contains the delimiter ${delimiter}`);
      }
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
}

/**
 * Appends the outputs when running on a runner (GITHUB_OUTPUT set) and reports whether it did.
 * NOTE: outside a runner there is no place for outputs; the legacy `::set-output` command is
 * disabled on GitHub, so nothing is printed instead.
 */
export function writeOutputs(env: NodeJS.ProcessEnv, outputs: Outputs): boolean {
  const path = env.GITHUB_OUTPUT;
  if (path === undefined || path === "") return false;
  appendFileSync(path, formatOutputs(outputs));
  return true;
}
