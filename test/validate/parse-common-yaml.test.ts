import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommonYaml, resolvePlain } from "../../src/validate/parse-common-yaml.js";
import { parseWithYamlPackage } from "../../src/validate/parse-policy-yaml.js";
import type { SourceMap, SourceNode } from "../../src/validate/source-map.js";

// The common-subset parser must read a file exactly as the yaml package does — same data, same
// key order, same number types, same positions — or hand it over (undefined). These tests compare
// the two on hand-picked edge cases, on every YAML file in the repository, on generated documents
// in many styles and on random mutations of all of them.

type Outcome = "accepted" | "handed over";

/** Compares the two parsers on one text; throws (with the text) when they disagree. */
function compare(text: string): Outcome {
  const common = parseCommonYaml(text);
  if (common === undefined) return "handed over";
  const reference = parseWithYamlPackage(text, "f.yaml");
  if (!reference.ok) {
    throw new Error(
      `accepted a file the yaml package refuses: ${JSON.stringify(text)}\n${JSON.stringify(reference.problems)}`,
    );
  }
  const context = `for ${JSON.stringify(text)}`;
  expectSameData(common.data, reference.parsed.data, context);
  expect(tree(common.source), context).toEqual(tree(reference.parsed.source));
  return "accepted";
}

/** Deep equality that also checks key order, own-property-ness, -0 and NaN. */
function expectSameData(actual: unknown, expected: unknown, context: string): void {
  if (typeof expected !== "object" || expected === null) {
    if (!Object.is(actual, expected)) {
      throw new Error(`${context}: ${String(actual)} is not ${String(expected)}`);
    }
    return;
  }
  expect(Array.isArray(actual), context).toBe(Array.isArray(expected));
  expect(Object.getPrototypeOf(actual), context).toBe(Object.getPrototypeOf(expected));
  const actualKeys = Object.getOwnPropertyNames(actual);
  expect(actualKeys, context).toEqual(Object.getOwnPropertyNames(expected));
  for (const key of actualKeys) {
    expectSameData(
      (actual as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${context} at ${key}`,
    );
  }
}

/** The source map as plain data, with every offset also as the line and column it maps to. */
function tree(source: SourceMap): unknown {
  const at = (offset: number) => ({ offset, ...source.linePos(offset) });
  const walk = (node: SourceNode | null): unknown => {
    if (node === null) return null;
    if (node.kind === "scalar") return { scalar: at(node.start), source: node.source };
    if (node.kind === "seq") return { seq: at(node.start), items: node.items.map(walk) };
    return {
      map: at(node.start),
      keys: node.keys.map(walk),
      keyTexts: node.keyTexts,
      values: node.values.map(walk),
    };
  };
  return walk(source.root);
}

const POLICY = `# yaml-language-server: $schema=../../schemas/access-point.schema.json
accountId: "111122223333"
region: us-east-1
name: ap-1
mode: observe
policy:
  Version: "2012-10-17"
  Statement:
    - Sid: ReadOnly
      Effect: Allow
      Principal:
        AWS: arn:aws:iam::111122223333:role/reader   # who reads
      Action: [s3:GetObject, 's3:ListBucket', "s3:GetObjectTagging"]
      Resource:
        - \${accessPointArn}
        - \${accessPointArn}/object/data/*
    - Sid: VpcOnly
      Effect: Deny
      Principal: "*"
      Action: s3:*
      Resource: \${accessPointArn}/object/*
      Condition:
        StringNotEqualsIfExists:
          aws:SourceVpc: vpc-0a1b2c3d4e5f60001
        Bool:
          aws:SecureTransport: false
        NumericLessThan:
          s3:max-keys: 10
`;

describe("parseCommonYaml", () => {
  it("reads a typical policy file itself, exactly as the yaml package does", () => {
    expect(compare(POLICY)).toBe("accepted");
    const parsed = parseCommonYaml(POLICY);
    expect(parsed?.data).toMatchObject({ accountId: "111122223333", mode: "observe" });
  });

  // Each case names what the common parser must do; either way the data must match.
  const cases: [string, Outcome][] = [
    ["a: 1\n", "accepted"],
    ["a: b\nc: d", "accepted"],
    ["---\na: 1\n", "accepted"],
    ["--- # header\na: 1\n", "accepted"],
    ["# c\n\n  # c\na: 1\n", "accepted"],
    ["  a: 1\n  b: 2\n", "accepted"],
    ["a:\n", "accepted"],
    ["a:\nb: 1\n", "accepted"],
    ["a:   # c\nb: 1\n", "accepted"],
    ["a: ~\nb: null\nc: Null\nd: NULL\n", "accepted"],
    ["a: true\nb: True\nc: TRUE\nd: false\ne: tRUE\n", "accepted"],
    ["a: 0o17\nb: 017\nc: 0x1F\nd: -12\ne: +12\nf: -0\n", "accepted"],
    ["a: 1.5\nb: .5\nc: 1e3\nd: -.inf\ne: .NaN\nf: 1.\ng: 1.50\nh: 1_000\n", "accepted"],
    ["a: 2012-10-17\nb: 12:30\nc: 0b101\n", "accepted"],
    ["a: 12345678901234567890\n", "accepted"],
    ["a: b#c\nd: e # f\n", "accepted"],
    ["a: ${x}/y\nb: x, y\nc: b]c\nd: b{a}\n", "accepted"],
    ["a: {a}b\n", "handed over"],
    ["a: [b]c\n", "handed over"],
    ['a: it\'s\nb: say "hi"\n', "accepted"],
    ["a: 'it''s'\nb: \"x\"\nc: ''\nd: \"\"\n", "accepted"],
    ["\"a\": 1\n'b c': 2\n", "accepted"],
    ["a:\n- x\n- y\nb: 1\n", "accepted"],
    ["a:\n  - x\n  -   y\n", "accepted"],
    ["a:\n  - b: 1\n    c: 2\n  -   d: 3\n      e: 4\n", "accepted"],
    ["a:\n  - b:\n    - x\n", "accepted"],
    ["a:\n  -\n  - x\n  -\n    b: 1\n", "accepted"],
    ["a:\n  - - x\n", "handed over"],
    ["a: []\nb: [ ]\nc: [x]\nd: [ x , 'y', \"z\" ]\n", "accepted"],
    ["a: [1, true, null, ~, -1, 0x10]\n", "accepted"],
    ["a: [s3:GetObject, arn:aws:s3:::b/*]\n", "accepted"],
    ["a: [b, c,]\n", "handed over"],
    ["a: [${x}/y]\n", "handed over"],
    ["a: [b,\n  c]\n", "handed over"],
    ["a: {b: 1}\n", "accepted"],
    [
      "a: {}\nb: { }\nc: { AWS: arn:aws:iam::1:root, 'x': \"y\", d: [e, f], g: {h: i} }\n",
      "accepted",
    ],
    ["a: [{b: c}, {d: e}]\n", "accepted"],
    ["a: {aws:SourceVpc: vpc-1}\n", "accepted"],
    ["a: {b: 1, b: 2}\n", "handed over"],
    ["a: {b: 1,}\n", "handed over"],
    ["a: {b}\n", "handed over"],
    ["a: {b: }\n", "handed over"],
    ["a: {b:c}\n", "handed over"],
    ['a: {"b":c}\n', "handed over"],
    ["a: {b: 1\n  , c: 2}\n", "handed over"],
    ["a: {b: 1]\n", "handed over"],
    ["a: [b}\n", "handed over"],
    ["a: |\n  text\n", "handed over"],
    ["a: >\n  text\n", "handed over"],
    ["a: &x 1\nb: *x\n", "handed over"],
    ["a: !!str 1\n", "handed over"],
    ['a: "x\\ny"\n', "handed over"],
    ["a: b\n  c\n", "handed over"],
    ["a: b\n\n  c\n", "handed over"],
    ["a: b: c\n", "handed over"],
    ["a: 1\na: 2\n", "handed over"],
    ['a: 1\n"a": 2\n', "handed over"],
    ["a\t: 1\n", "handed over"],
    ["a: 1\r\nb: 2\r\n", "accepted"],
    ["a: b # c\r\nd:\r\n  - e\r\n", "accepted"],
    ["a: 1\rb: 2\n", "handed over"],
    ["\ufeffa: 1\n", "handed over"],
    ["a: é — 😀\n# für\nb: \u00a0x\u00a0\n", "accepted"],
    ["a: b\u2028c\n", "handed over"],
    ["a: b\u0085c\n", "handed over"],
    ["a: b\u007fc\n", "handed over"],
    ["a: b\u0001c\n", "handed over"],
    ["a: 1\n---\nb: 2\n", "handed over"],
    ["a: 1\n...\n", "handed over"],
    ["%YAML 1.2\n---\na: 1\n", "handed over"],
    ["1: a\n", "handed over"],
    ["true: a\n", "handed over"],
    ["<<: a\n", "handed over"],
    ["a : 1\n", "handed over"],
    ["? a\n: 1\n", "handed over"],
    ["- a\n", "handed over"],
    ["just text\n", "handed over"],
    ["", "handed over"],
    ["# only a comment\n", "handed over"],
    ["a: 1\n b: 2\n", "handed over"],
    ["  a: 1\nb: 2\n", "handed over"],
    ["a:\n  b: 1\n c: 2\n", "handed over"],
    ["a: -\n", "handed over"],
    ["a: - b\n", "handed over"],
    ['a: "b"c\n', "handed over"],
    ['a: "b"#c\n', "handed over"],
    ["a: @b\n", "handed over"],
    ["__proto__: 1\nconstructor: 2\ntoString: 3\n", "accepted"],
    [`${"k".repeat(1100)}: 1\n`, "handed over"],
    // Past 16 keys duplicates are found through a set.
    [`${keys(40)}`, "accepted"],
    [`${keys(40)}k3: again\n`, "handed over"],
    [`${keys(16)}k15: again\n`, "handed over"],
  ];
  it.each(cases)("%j is %s", (text, outcome) => {
    expect(compare(text)).toBe(outcome);
  });

  it("resolves plain scalars as the yaml package's core schema does", () => {
    for (const source of [
      "~",
      "null",
      "True",
      "0o7",
      "-0",
      "0x1f",
      ".inf",
      "-.Inf",
      "1e-3",
      "1.",
    ]) {
      const yaml = parseWithYamlPackage(`a: ${source}\n`, "f.yaml");
      expect(yaml.ok).toBe(true);
      if (yaml.ok)
        expect(Object.is(resolvePlain(source), (yaml.parsed.data as { a: unknown }).a)).toBe(true);
    }
  });

  it("reads every YAML file in the repository as the yaml package does", () => {
    const files = yamlFilesUnder("policies").concat(yamlFilesUnder("test/fixtures"));
    expect(files.length).toBeGreaterThan(40);
    let accepted = 0;
    for (const file of files) {
      if (compare(readFileSync(file, "utf8")) === "accepted") accepted++;
    }
    // Most real files are in the subset (the invalid fixtures are mostly not).
    expect(accepted).toBeGreaterThan(files.length / 3);
  });

  it("agrees with the yaml package on characters across the Basic Multilingual Plane", () => {
    // Every character was checked once in these places; the suite keeps a sample and the ones
    // YAML treats specially.
    const special = [0x7f, 0x85, 0xa0, 0xad, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xfffe, 0xffff];
    let accepted = 0;
    for (let c = 0x80; c <= 0xffff; c += c < 0x800 ? 7 : 97) {
      for (const code of [c, ...(c === 0x80 ? special : [])]) {
        if (code >= 0xd800 && code <= 0xdfff) continue;
        const ch = String.fromCharCode(code);
        for (const text of [
          `a: x${ch}y\n`,
          `a: ${ch}\n`,
          `${ch}: 1\n`,
          `a: [${ch}, b]\n`,
          `a: '${ch}'\n`,
          `a: x${ch}\n`,
          `a: {k${ch}: v}\n`,
          `# ${ch}\na: 1\n`,
        ]) {
          if (compare(text) === "accepted") accepted++;
        }
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });

  it("agrees with the yaml package on generated documents in many styles", () => {
    const counts = { accepted: 0, "handed over": 0 };
    fc.assert(
      fc.property(documentArbitrary(), (text) => {
        counts[compare(text)]++;
      }),
      { numRuns: 3000 },
    );
    // Many generated documents must be inside the subset, or this test would prove little.
    expect(counts.accepted).toBeGreaterThan(3000 / 4);
  });

  it("agrees with the yaml package on random mutations of real and generated documents", () => {
    const seeds = [POLICY, ...yamlFilesUnder("policies").map((f) => readFileSync(f, "utf8"))];
    const counts = { accepted: 0, "handed over": 0 };
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...seeds), documentArbitrary()),
        fc.array(mutationArbitrary(), { minLength: 1, maxLength: 4 }),
        (text, mutations) => {
          let mutated = text;
          for (const mutate of mutations) mutated = mutate(mutated);
          counts[compare(mutated)]++;
        },
      ),
      { numRuns: 6000 },
    );
    expect(counts.accepted).toBeGreaterThan(500);
    expect(counts["handed over"]).toBeGreaterThan(500);
  });
});

function keys(count: number): string {
  return Array.from({ length: count }, (_, i) => `k${i}: ${i}\n`).join("");
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

// Scalars that are easy to get wrong: every core-schema tag, indicators, things that look like
// structure, and the shapes policies use.
const TRICKY_SCALARS = [
  "",
  "a",
  "s3:GetObject",
  "arn:aws:iam::111122223333:role/r",
  "${accessPointArn}/object/*",
  "${aws:username}",
  "*",
  "true",
  "True",
  "false",
  "FALSE",
  "yes",
  "null",
  "Null",
  "~",
  "0",
  "-0",
  "+1",
  "017",
  "0o17",
  "0x1A",
  "1_000",
  "1.5",
  ".5",
  "1e3",
  "1E-3",
  ".inf",
  "-.INF",
  ".nan",
  "2012-10-17",
  "12:30",
  "a b",
  "a  b",
  "a#b",
  "a #b",
  "a: b",
  "a:b",
  "a:",
  ":a",
  "-a",
  "- a",
  "-",
  "?a",
  "[a]",
  "{a}",
  "a]",
  "a,b",
  "'q'",
  '"q"',
  "it's",
  'say "x"',
  "&a",
  "*a",
  "!a",
  "|",
  ">",
  "%a",
  "@a",
  "`a",
  "a\\b",
  " a",
  "a ",
  "<<",
  "__proto__",
  "constructor",
  "---",
  "...",
  "é",
  "für alle",
  "—",
  "😀",
  "\u00a0",
  "a\u00a0",
];

const KEYS = ["a", "b", "Sid", "Effect", "aws:SourceVpc", "s3:prefix", "1", "true", "a b", "a:b"];

type Data = string | Data[] | { [key: string]: Data };

function dataArbitrary(): fc.Arbitrary<Data> {
  const { data } = fc.letrec<{ data: Data; map: Data; seq: Data; scalar: Data }>((tie) => ({
    scalar: fc.constantFrom(...TRICKY_SCALARS),
    data: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("scalar"),
      tie("map"),
      tie("seq"),
    ),
    map: fc
      .uniqueArray(fc.tuple(fc.constantFrom(...KEYS, ...TRICKY_SCALARS), tie("data")), {
        minLength: 1,
        maxLength: 4,
        selector: ([key]) => key,
      })
      .map((pairs) => Object.fromEntries(pairs)),
    seq: fc.array(tie("data"), { minLength: 1, maxLength: 3 }),
  }));
  return data;
}

interface Style {
  indent: number;
  indentless: boolean;
  flow: boolean;
  quote: "plain" | "single" | "double" | "mixed";
  comments: boolean;
  blankLines: boolean;
  header: boolean;
  itemSpaces: number;
  trailingNewline: boolean;
  crlf: boolean;
}

const styleArbitrary: fc.Arbitrary<Style> = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  indentless: fc.boolean(),
  flow: fc.boolean(),
  quote: fc.constantFrom("plain", "single", "double", "mixed"),
  comments: fc.boolean(),
  blankLines: fc.boolean(),
  header: fc.boolean(),
  itemSpaces: fc.integer({ min: 1, max: 3 }),
  trailingNewline: fc.boolean(),
  crlf: fc.boolean(),
});

/** A document: a top-level mapping rendered in a random style (not always valid YAML). */
function documentArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), dataArbitrary()), {
        minLength: 1,
        maxLength: 4,
        selector: ([key]) => key,
      }),
      styleArbitrary,
      fc.integer({ min: 0, max: 1 << 30 }),
    )
    .map(([pairs, style, seed]) => render(Object.fromEntries(pairs), style, seed));
}

function render(root: { [key: string]: Data }, style: Style, seed: number): string {
  let random = seed;
  const coin = () => {
    random = (random * 1103515245 + 12345) & 0x7fffffff;
    return (random >> 16) & 1;
  };
  const scalar = (s: string): string => {
    const quote =
      style.quote === "mixed" ? (["plain", "single", "double"] as const)[random % 3] : style.quote;
    coin();
    if (quote === "single") return `'${s.replaceAll("'", "''")}'`;
    if (quote === "double") return `"${s}"`;
    return s;
  };
  const comment = () => (style.comments && coin() ? "  # note" : "");
  const lines: string[] = style.header ? ["---"] : [];
  const pad = (n: number) => " ".repeat(n);
  const flowScalars = (map: Data) =>
    typeof map === "object" &&
    !Array.isArray(map) &&
    Object.values(map).every((v) => typeof v === "string");
  const flowable = (items: Data[]) => items.every((i) => typeof i === "string" || flowScalars(i));
  const flow = (value: Data): string => {
    if (typeof value === "string") return scalar(value);
    if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
    return `{${Object.entries(value)
      .map(([k, v]) => `${scalar(k)}: ${flow(v)}`)
      .join(", ")}}`;
  };
  const write = (value: Data, indent: number, prefix: string): void => {
    if (typeof value === "string") {
      lines.push(`${prefix}${scalar(value)}${comment()}`);
    } else if (Array.isArray(value)) {
      if (style.flow && flowable(value)) {
        lines.push(`${prefix}${flow(value)}${comment()}`);
        return;
      }
      lines.push(`${prefix.trimEnd()}${comment()}`);
      const at = style.indentless ? indent : indent + style.indent;
      for (const item of value) writeItem(item, at);
    } else if (style.flow && flowScalars(value)) {
      lines.push(`${prefix}${flow(value)}${comment()}`);
    } else {
      lines.push(`${prefix.trimEnd()}${comment()}`);
      writeMap(value, indent + style.indent);
    }
  };
  const writeItem = (item: Data, indent: number): void => {
    const dash = `${pad(indent)}-${pad(style.itemSpaces)}`;
    if (typeof item === "string" || Array.isArray(item)) {
      if (Array.isArray(item) && !(style.flow && flowable(item))) {
        lines.push(`${pad(indent)}-`);
        for (const inner of item) writeItem(inner, indent + style.indent);
        return;
      }
      write(item, indent, dash);
      return;
    }
    // A compact mapping: the first key on the dash's line, the rest under it.
    const entries = Object.entries(item);
    const column = indent + 1 + style.itemSpaces;
    entries.forEach(([key, value], i) => {
      write(value, column, `${i === 0 ? dash : pad(column)}${scalar(key)}: `);
    });
  };
  const writeMap = (map: { [key: string]: Data }, indent: number): void => {
    for (const [key, value] of Object.entries(map)) {
      if (style.blankLines && coin()) lines.push("");
      if (style.comments && coin()) lines.push(`${pad(coin() ? indent : 0)}# comment`);
      write(value, indent, `${pad(indent)}${scalar(key)}: `);
    }
  };
  writeMap(root, 0);
  const newline = style.crlf ? "\r\n" : "\n";
  return lines.join(newline) + (style.trailingNewline ? newline : "");
}

const MUTATION_TEXTS = [
  "\r\n",
  "😀",
  "\u00a0",
  "\u2028",
  "\u0085",
  "\u007f",
  "\ufeff",
  " ",
  "  ",
  "\n",
  ":",
  ": ",
  "-",
  "- ",
  "#",
  " #",
  "'",
  '"',
  "[",
  "]",
  ",",
  "{",
  "}",
  "a",
  "1",
  "&",
  "*",
  "!",
  "|",
  ">",
  "\t",
  "\r",
  "\\",
  "?",
  "---\n",
  "...",
  "%",
  "é",
  "~",
];

/** Inserts, deletes or replaces a little text at a random place. */
function mutationArbitrary(): fc.Arbitrary<(text: string) => string> {
  return fc
    .tuple(
      fc.constantFrom("insert", "delete", "replace"),
      fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      fc.constantFrom(...MUTATION_TEXTS),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([kind, where, insert, length]) => (text: string) => {
      const at = Math.floor(where * (text.length + 1));
      if (kind === "insert") return text.slice(0, at) + insert + text.slice(at);
      if (kind === "delete") return text.slice(0, at) + text.slice(at + length);
      return text.slice(0, at) + insert + text.slice(at + length);
    });
}
