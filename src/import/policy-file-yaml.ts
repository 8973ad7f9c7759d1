// Writes one access point as a policy file in the README example's style, through the yaml
// package's Document API: block style, keys in the documented order, strings quoted only where
// YAML needs it, no line folding.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { AccessPointRef, Mode, PolicyDocument } from "../model.js";
import { STATEMENT_ELEMENTS } from "../policy/structural.js";

export interface PolicyFileContent extends AccessPointRef {
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

/** The file's text. The policy's values are written as they are; only key order changes. */
export function renderPolicyFile(content: PolicyFileContent): string {
  const document = new Document();
  const root = new YAMLMap();
  root.add(new Pair(new Scalar("accountId"), new Scalar(content.accountId)));
  root.add(new Pair(new Scalar("region"), new Scalar(content.region)));
  root.add(new Pair(new Scalar("name"), new Scalar(content.name)));
  if (content.outpostId !== undefined) {
    root.add(new Pair(new Scalar("outpostId"), new Scalar(content.outpostId)));
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
  return document.toString({ lineWidth: 0, indentSeq: true });
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
      map.add(new Pair(new Scalar(key), statementNode(value)));
    } else {
      map.add(new Pair(new Scalar(key), valueNode(value)));
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
    map.add(new Pair(new Scalar(key), valueNode(statement[key])));
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
      map.add(new Pair(new Scalar(key), valueNode(item)));
    }
    return map;
  }
  return new Scalar(value);
}

/** The known keys in the documented order, then every other key in the order it came. */
function ordered(keys: readonly string[], known: readonly string[]): string[] {
  const present = new Set(keys);
  return [...known.filter((key) => present.has(key)), ...keys.filter((k) => !known.includes(k))];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
