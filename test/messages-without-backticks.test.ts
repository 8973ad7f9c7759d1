// Messages from these folders reach a terminal, Markdown, SARIF and JSON alike (option
// descriptions: the terminal's help), so none of their strings marks code with backticks: a
// terminal would show them literally, and Markdown would show them escaped. Code spans belong in text written for Markdown only (report/*-markdown.ts,
// github/ bodies), where they render as code.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect, test } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");
const FOLDERS = [
  "access-point",
  "aws",
  "commands",
  "import",
  "policy",
  "reconcile",
  "run",
  "source",
  "untrusted",
  "validate",
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : files(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** `file:line: text` for every string or template part in `path` that holds a backtick. */
function stringsWithBackticks(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (node.text.includes("`")) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${relative(SRC, path)}:${line + 1}: ${node.text}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test("the check finds a backtick in a string, a template part and none in a comment", () => {
  const source =
    'const a = "use `policy: null`";\nconst b = `x ${a} \\`y\\``;\n// `a comment`\nconst c = "plain";\n';
  expect(stringsWithBackticks(join(SRC, "probe.ts"), source)).toEqual([
    "probe.ts:1: use `policy: null`",
    "probe.ts:2:  `y`",
  ]);
});

test("no message of the shared folders or the base modules marks code with backticks", () => {
  const paths = [
    ...FOLDERS.flatMap((folder) => files(join(SRC, folder))),
    ...readdirSync(SRC)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(SRC, name)),
  ];
  expect(paths.length).toBeGreaterThan(50);
  expect(paths.flatMap((path) => stringsWithBackticks(path, readFileSync(path, "utf8")))).toEqual(
    [],
  );
});
