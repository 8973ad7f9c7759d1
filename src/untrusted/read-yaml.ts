// Reads one YAML document from untrusted text (a policy file, s3ap.yaml) with the yaml package:
// the token tree is checked for depth and aliases before anything recursive runs over it, and
// the data is built here, with null-prototype objects, instead of by Document.toJS.
import {
  Composer,
  type CST,
  type Document,
  isMap,
  isScalar,
  isSeq,
  Parser,
  type Scalar,
  type YAMLError,
} from "yaml";
import {
  exactNumber,
  forbiddenKeyProblem,
  MAX_DEPTH,
  newObject,
  type PlainObject,
  setEntry,
} from "./plain-data.js";
import { YamlSource } from "./yaml-source.js";

/** A problem located by its offset in the text (positions are computed only for problems). */
export interface OffsetProblem {
  offset: number;
  rule: string;
  message: string;
}

export type YamlRead =
  | { ok: true; data: unknown; source: YamlSource }
  | { ok: false; problems: OffsetProblem[]; source: YamlSource };

const COMPOSE_OPTIONS = { strict: true, uniqueKeys: true, stringKeys: true } as const;

/**
 * Parses `text` as exactly one YAML 1.2 document with unique string keys and no aliases, and
 * builds its plain data. Aliases are refused rather than bounded: a problem inside an aliased
 * node would point at the anchor, not where the user wrote it, and refusing them before any
 * data is built makes alias bombs cost nothing.
 */
export function readYaml(text: string): YamlRead {
  const parser = new Parser();
  const composer = new Composer(COMPOSE_OPTIONS);
  const documents: Document.Parsed[] = [];
  const problems: OffsetProblem[] = [];
  const source = (contents: unknown) => new YamlSource(text, contents);
  for (const token of parser.parse(text)) {
    // The composer recurses over the token tree: check it first.
    if (!checkToken(token, problems)) return { ok: false, problems, source: source(null) };
    for (const document of composer.next(token)) documents.push(document);
  }
  for (const document of composer.end()) documents.push(document);

  const first = documents[0];
  if (first === undefined) {
    return { ok: false, problems: [emptyFile()], source: source(null) };
  }
  for (const document of documents) {
    for (const error of document.errors) problems.push(yamlProblem(error, text));
    for (const warning of document.warnings) problems.push(yamlProblem(warning, text));
  }
  const second = documents[1];
  if (second !== undefined) {
    problems.push({
      offset: second.range[0],
      rule: "multi-document",
      message: `the file holds ${documents.length} YAML documents; declare exactly one access point per file`,
    });
  }
  if (problems.length > 0) return { ok: false, problems, source: source(first.contents) };
  const contents = first.contents;
  if (
    contents === null ||
    (isScalar(contents) && contents.value === null && contents.source === "")
  ) {
    return { ok: false, problems: [emptyFile()], source: source(null) };
  }
  const data = plainData(contents, problems);
  if (problems.length > 0) return { ok: false, problems, source: source(contents) };
  return { ok: true, data, source: source(contents) };
}

function emptyFile(): OffsetProblem {
  return { offset: 0, rule: "empty", message: "the file is empty; declare one access point" };
}

/**
 * Walks one top-level token without recursion: false (with a problem) when collections nest
 * deeper than MAX_DEPTH; aliases are reported and the walk goes on.
 */
function checkToken(root: CST.Token, problems: OffsetProblem[]): boolean {
  const stack: Array<[CST.Token, number]> = [[root, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [token, depth] = entry;
    switch (token.type) {
      case "document":
        if (token.value !== undefined) stack.push([token.value, depth]);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        if (depth >= MAX_DEPTH) {
          problems.push({
            offset: token.offset,
            rule: "nesting",
            message: `collections are nested more than ${MAX_DEPTH} levels deep here; a policy file needs fewer than 10`,
          });
          return false;
        }
        for (const item of token.items) {
          if (item.key) stack.push([item.key, depth + 1]);
          if (item.value) stack.push([item.value, depth + 1]);
        }
        break;
      case "alias":
        problems.push({
          offset: token.offset,
          rule: "yaml-alias",
          message: `YAML aliases (${token.source}) are not allowed in policy files; write the value out`,
        });
        break;
      default:
        break;
    }
  }
  return true;
}

/** The node's data with null-prototype mappings; problems for what cannot be sent unchanged. */
function plainData(node: unknown, problems: OffsetProblem[]): unknown {
  if (isScalar(node)) return scalarValue(node, problems);
  if (isMap(node)) {
    const out: PlainObject = newObject();
    for (const pair of node.items) {
      // stringKeys: the composer has already reported every key that is not a string scalar.
      const keyNode = pair.key as Scalar | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : "";
      const refused = forbiddenKeyProblem(key);
      if (refused !== undefined) {
        problems.push({
          offset: keyNode?.range?.[0] ?? 0,
          rule: "forbidden-key",
          message: refused,
        });
        continue;
      }
      setEntry(out, key, plainData(pair.value, problems));
    }
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = new Array(node.items.length);
    for (let i = 0; i < node.items.length; i++) out[i] = plainData(node.items[i], problems);
    return out;
  }
  // A pair with no value (`key:` or `? key`).
  return null;
}

function scalarValue(node: Scalar, problems: OffsetProblem[]): unknown {
  const value = node.value;
  if (typeof value !== "number") return value;
  const text = node.source ?? String(value);
  if (!exactYamlNumber(text, value)) {
    problems.push({
      offset: node.range?.[0] ?? 0,
      rule: "number",
      message:
        `the number ${text} cannot be sent to AWS as written (JSON numbers in s3ap are exact up to ` +
        `2^53 and 15 significant digits, and finite); quote it to send it as text`,
    });
  }
  return value;
}

function exactYamlNumber(text: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (/^0x[0-9a-fA-F]+$|^0o[0-7]+$/.test(text)) {
    return Number.isSafeInteger(value) || BigInt(text) === BigInt(value);
  }
  return exactNumber(text);
}

function yamlProblem(error: YAMLError, text: string): OffsetProblem {
  // yaml's message ends in " at line L, column C:" and an excerpt only with prettyErrors.
  const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  if (error.code === "DUPLICATE_KEY") {
    return {
      offset: error.pos[0],
      rule: "duplicate-key",
      message: `duplicate key ${duplicateKeyText(text, error.pos[0])}: each key may appear only once in a mapping`,
    };
  }
  return { offset: error.pos[0], rule: "yaml-syntax", message: `YAML: ${message}` };
}

function duplicateKeyText(text: string, offset: number): string {
  const key = /^[^:\n]*/.exec(text.slice(offset, offset + 200))?.[0]?.trim() ?? "";
  return JSON.stringify(key.replace(/^["']|["']$/g, ""));
}
