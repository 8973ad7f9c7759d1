import type { Problem } from "../model.js";
import { readYaml } from "../untrusted/read-yaml.js";
import type { YamlSource } from "../untrusted/yaml-source.js";
import { hintUnquotedVariables } from "./unquoted-variable-hint.js";

export interface ParsedPolicyYaml {
  /** The plain data (mappings → null-prototype objects, sequences → arrays). */
  data: unknown;
  /** Where each value was written, looked up only for problems. */
  source: YamlSource;
}

export type ParseResult =
  | { ok: true; parsed: ParsedPolicyYaml }
  | { ok: false; problems: Problem[] };

/**
 * Parses one policy file: exactly one YAML 1.2 document, no duplicate keys, no aliases, no
 * nesting beyond MAX_DEPTH, no prototype keys, no number that JSON would alter.
 */
export function parsePolicyYaml(text: string, file: string): ParseResult {
  const read = readYaml(text);
  if (read.ok) return { ok: true, parsed: { data: read.data, source: read.source } };
  return {
    ok: false,
    problems: hintUnquotedVariables(read.problems, text).map(({ offset, rule, message }) => {
      const { line, col } = read.source.at(offset);
      return { file, line, col, severity: "error", rule, message };
    }),
  };
}
