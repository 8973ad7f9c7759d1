import { type Document, LineCounter, parseAllDocuments, visit, type YAMLError } from "yaml";
import type { Problem } from "../model.js";
import { parseCommonYaml } from "./parse-common-yaml.js";
import { type SourceMap, yamlSourceMap } from "./source-map.js";

export interface ParsedPolicyYaml {
  /** The plain data (mappings → objects, sequences → arrays). */
  data: unknown;
  /** Where each value was written. */
  source: SourceMap;
}

export type ParseResult =
  | { ok: true; parsed: ParsedPolicyYaml }
  | { ok: false; problems: Problem[] };

/**
 * Parses one policy file: exactly one YAML 1.2 document, no duplicate keys, no aliases.
 *
 * Aliases are refused outright rather than bounded: a problem inside an aliased node would point
 * at the anchor, not at the place the user wrote, and a one-access-point file has no real use
 * for them. Refusing them before `toJS` also makes alias bombs ("billion laughs") cost nothing,
 * because the yaml parser itself never expands aliases.
 */
export function parsePolicyYaml(text: string, file: string): ParseResult {
  // The common subset first: same data and positions, a fifth of the time. Anything else —
  // including every file with an error — is read by the yaml package.
  const common = parseCommonYaml(text);
  if (common !== undefined) return { ok: true, parsed: common };
  return parseWithYamlPackage(text, file);
}

/** parsePolicyYaml without the common-subset parser: the reference it is tested against. */
export function parseWithYamlPackage(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    strict: true,
  });
  const at = (offset: number, rule: string, message: string): Problem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, rule, message };
  };
  if (!Array.isArray(documents) || documents.length === 0) {
    return { ok: false, problems: [at(0, "empty", "the file is empty; declare one access point")] };
  }
  const problems: Problem[] = [];
  for (const document of documents) {
    for (const error of [...document.errors, ...document.warnings]) {
      problems.push(yamlProblem(error, text, file, lineCounter));
    }
  }
  const second = documents[1];
  if (second !== undefined) {
    problems.push(
      at(
        second.range[0],
        "multi-document",
        `the file holds ${documents.length} YAML documents; declare exactly one access point per file`,
      ),
    );
  }
  const document = documents[0] as Document.Parsed;
  if (problems.length > 0) return { ok: false, problems };
  if (document.contents === null || isNullScalar(document.contents)) {
    return { ok: false, problems: [at(0, "empty", "the file is empty; declare one access point")] };
  }
  // Every alias needs an anchor (`&name`; a dangling alias is a parse error above), so a file
  // without "&" has none: skip the tree walk, which costs a tenth of the time on large trees.
  if (text.includes("&")) findAliases(document, at, problems);
  if (problems.length > 0) return { ok: false, problems };
  // maxAliasCount is belt and braces: aliases were refused above.
  const data = document.toJS({ maxAliasCount: 0 });
  return { ok: true, parsed: { data, source: yamlSourceMap(document.contents, lineCounter) } };
}

function findAliases(
  document: Document.Parsed,
  at: (offset: number, rule: string, message: string) => Problem,
  problems: Problem[],
): void {
  visit(document, {
    Alias(_, node) {
      problems.push(
        at(
          node.range?.[0] ?? 0,
          "yaml-alias",
          `YAML aliases (*${node.source}) are not allowed in policy files; write the value out`,
        ),
      );
    },
  });
}

function isNullScalar(node: unknown): boolean {
  return (
    node !== null &&
    typeof node === "object" &&
    "value" in node &&
    (node as { value: unknown }).value === null &&
    (node as { source?: string }).source === ""
  );
}

function yamlProblem(
  error: YAMLError,
  text: string,
  file: string,
  lineCounter: LineCounter,
): Problem {
  const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  // yaml appends " at line L, column C:" and a code excerpt; we print the position ourselves.
  const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  if (error.code === "DUPLICATE_KEY") {
    return {
      file,
      line: position.line,
      col: position.col,
      rule: "duplicate-key",
      message: `duplicate key ${duplicateKeyText(text, error.pos[0])}: each key may appear only once in a mapping`,
    };
  }
  return {
    file,
    line: position.line,
    col: position.col,
    rule: "yaml-syntax",
    message: `YAML: ${message}`,
  };
}

function duplicateKeyText(text: string, offset: number): string {
  const key = /^[^:\n]*/.exec(text.slice(offset, offset + 200))?.[0]?.trim() ?? "";
  return JSON.stringify(key.replace(/^["']|["']$/g, ""));
}
