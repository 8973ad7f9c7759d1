// Writes one access point as a policy file in the README example's style, through the yaml
// package's Document API: block style, keys in the documented order, strings quoted only where
// YAML needs it, no line folding. A string or key with a control, a line break or an invisible
// or direction-changing character is double-quoted with that character as a `\u` escape, so a
// reviewer sees it and no editor or diff reorders the text around it ("Trojan Source").
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { kindOf } from "../access-point/kind.js";
import type {
  AccessPointRef,
  AccessPointScope,
  DataSource,
  Mode,
  PolicyDocument,
} from "../model.js";
import { STATEMENT_ELEMENTS } from "../policy/structural.js";

export interface PolicyFileContent extends AccessPointRef {
  /** A directory-bucket access point's live scope (none: not written). */
  scope?: AccessPointScope;
  /** What the access point is attached to when not a bucket (an FSx volume). */
  dataSource?: DataSource;
  mode: Mode;
  /** Written (with `publicComment` above it) only when true. */
  allowPublic: boolean;
  /** Why allowPublic is set: shown as a comment line above it. */
  publicComment?: string;
  /** The policy as it will be declared; null = `policy: null` (the access point has none). */
  policy: PolicyDocument | null;
  /** Comment lines at the top of the file (without `#`). */
  header?: readonly string[];
}

const POLICY_KEYS = ["Version", "Id", "Statement"];
const STATEMENT_KEYS = STATEMENT_ELEMENTS;

/**
 * Characters a reviewer cannot see, or that change how the text around them is shown: controls
 * and line breaks, format characters (bidi embeddings, overrides, isolates and marks, zero-width
 * characters, the byte order mark, tag characters), separators other than the space, private-use
 * and unassigned code points, variation selectors and the Hangul fillers that render as blanks.
 */
const INVISIBLE_CLASS =
  "\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Variation_Selector}" +
  "\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u115f\\u1160\\u3164\\uffa0";
const INVISIBLE = new RegExp(`[\\p{Cc}${INVISIBLE_CLASS}]`, "u");
/**
 * The same characters where they may still stand raw in the rendered document: the yaml package
 * writes C0 controls in double quotes as escapes already, and the document's own line breaks
 * are "\n". Every match is inside a double-quoted scalar (see scalarOf).
 */
const RAW_INVISIBLE = new RegExp(`[\\u007f-\\u009f${INVISIBLE_CLASS}]`, "gu");

/** A YAML double-quoted escape for one code point: `\uXXXX` or `\UXXXXXXXX`. */
function yamlEscape(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code > 0xffff
    ? `\\U${code.toString(16).padStart(8, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** The file's text. The policy's values are written as they are; only key order changes. */
export function renderPolicyFile(content: PolicyFileContent): string {
  const document = new Document();
  const root = new YAMLMap();
  root.add(new Pair(new Scalar("accountId"), new Scalar(content.accountId)));
  if (kindOf(content) === "multi-region") {
    root.add(new Pair(new Scalar("multiRegionAccessPoint"), new Scalar(content.name)));
    root.add(new Pair(new Scalar("alias"), new Scalar(content.alias)));
  } else {
    root.add(new Pair(new Scalar("region"), new Scalar(content.region)));
    root.add(new Pair(new Scalar("name"), new Scalar(content.name)));
  }
  if (content.outpostId !== undefined) {
    root.add(new Pair(new Scalar("outpostId"), new Scalar(content.outpostId)));
  }
  if (content.dataSource !== undefined) {
    root.add(
      new Pair(
        new Scalar("dataSource"),
        valueNode({ type: content.dataSource.type, id: content.dataSource.id }),
      ),
    );
  }
  if (content.scope !== undefined) {
    const scope: Record<string, unknown> = {};
    if (content.scope.prefixes.length > 0) scope.prefixes = content.scope.prefixes;
    if (content.scope.permissions.length > 0) scope.permissions = content.scope.permissions;
    root.add(new Pair(new Scalar("scope"), valueNode(scope)));
  }
  root.add(new Pair(new Scalar("mode"), new Scalar(content.mode)));
  if (content.allowPublic) {
    const key = new Scalar("allowPublic");
    if (content.publicComment !== undefined) key.commentBefore = ` ${content.publicComment}`;
    root.add(new Pair(key, new Scalar(true)));
  }
  root.add(
    new Pair(
      new Scalar("policy"),
      content.policy === null ? new Scalar(null) : policyNode(content.policy),
    ),
  );
  document.contents = root;
  if (content.header !== undefined && content.header.length > 0) {
    document.commentBefore = content.header.map((line) => ` ${line}`).join("\n");
  }
  // lineWidth 0: an ARN or a condition value is never folded onto a second line.
  return document.toString({ lineWidth: 0, indentSeq: true }).replace(RAW_INVISIBLE, yamlEscape);
}

function policyNode(policy: PolicyDocument): YAMLMap {
  const map = new YAMLMap();
  for (const key of ordered(Object.keys(policy), POLICY_KEYS)) {
    const value = policy[key];
    if (key === "Version" && typeof value === "string") {
      // YAML 1.1 readers (PyYAML, yamllint) would read a plain 2012-10-17 as a date.
      const version = new Scalar(value);
      version.type = Scalar.QUOTE_DOUBLE;
      map.add(new Pair(new Scalar(key), version));
    } else if (key === "Statement") {
      map.add(new Pair(scalarOf(key), statementNode(value)));
    } else {
      map.add(new Pair(scalarOf(key), valueNode(value)));
    }
  }
  return map;
}

/** One statement object or a list of them, kept as AWS returned it. */
function statementNode(value: unknown): YAMLMap | YAMLSeq | Scalar {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(isObject(item) ? statementMap(item) : valueNode(item));
    return seq;
  }
  return isObject(value) ? statementMap(value) : valueNode(value);
}

function statementMap(statement: Record<string, unknown>): YAMLMap {
  const map = new YAMLMap();
  for (const key of ordered(Object.keys(statement), STATEMENT_KEYS)) {
    map.add(new Pair(scalarOf(key), valueNode(statement[key])));
  }
  return map;
}

function valueNode(value: unknown): YAMLMap | YAMLSeq | Scalar {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(valueNode(item));
    return seq;
  }
  if (isObject(value)) {
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value)) {
      map.add(new Pair(scalarOf(key), valueNode(item)));
    }
    return map;
  }
  return scalarOf(value);
}

/** A scalar; a string with an INVISIBLE character is double-quoted (see RAW_INVISIBLE). */
function scalarOf(value: unknown): Scalar {
  const scalar = new Scalar(value);
  if (typeof value === "string" && INVISIBLE.test(value)) scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** The known keys in the documented order, then every other key in the order it came. */
function ordered(keys: readonly string[], known: readonly string[]): string[] {
  const present = new Set(keys);
  return [...known.filter((key) => present.has(key)), ...keys.filter((k) => !known.includes(k))];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
