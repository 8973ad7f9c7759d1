// Where a path into a policy file's data was written: for findings that arrive after validation
// (IAM Access Analyzer's), whose file was valid and is read again only to place them.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DesiredAccessPoint, SourcePosition } from "../model.js";
import { parsePolicyYaml } from "./parse-policy-yaml.js";

/**
 * The line and column of `path` in the file that declares `ap` (under `root`); the `policy:`
 * key's position when the file cannot be read again or the path is not in it.
 */
export async function locatePath(
  root: string,
  ap: DesiredAccessPoint,
  path: readonly (string | number)[],
): Promise<SourcePosition> {
  let text: string;
  try {
    text = await readFile(join(root, ap.file), "utf8");
  } catch {
    return ap.position;
  }
  const parsed = parsePolicyYaml(text, ap.file);
  if (!parsed.ok) return ap.position;
  return parsed.parsed.source.positionOf(path);
}
