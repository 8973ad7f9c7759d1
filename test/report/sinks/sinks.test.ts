import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { JsonList, joinChunks, jsonChunks, jsonDocument } from "../../../src/report/sinks/json.js";
import { markdownCode, markdownFence, markdownText } from "../../../src/report/sinks/markdown.js";
import { sarifMessageText } from "../../../src/report/sinks/sarif.js";
import { showControls, terminalText } from "../../../src/report/sinks/terminal.js";
import { workflowCommand } from "../../../src/report/sinks/workflow-command.js";
import { GITHUB_REFERENCE, renderMarkdown, visibleText } from "./render-markdown.js";
import { sarifEmbeddedLinks } from "./sarif-links.js";

// Text an attacker controls: file names, YAML keys, live policies, AWS and GitHub messages.
const hostile = [
  "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007",
  "\u001b[2J\u001b[1;1Hcleared",
  "\u009b31mC1 CSI",
  "a\rforged line",
  "name\n::add-mask::secret",
  "::stop-commands::token",
  "  ::error file=x::fake",
  "value ##[error]legacy",
  "admin\u202e\u2066txt.yaml\u2069",
  "line\u2028separator",
];

// Characters that must never be written as themselves (JSON: its own line breaks excepted).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a sink must not write
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a sink must not write
const RAW_CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

const unicodeText = fc.string({ unit: "binary", maxLength: 60 });
const syntaxText = fc.string({
  unit: fc.constantFrom(...'\\`*_[]()<>&"|~!#@:$-+=. \n\tw1aG\u001b\u202e'),
  maxLength: 40,
});
const anyText = fc.oneof(unicodeText, syntaxText, fc.constantFrom(...hostile));

describe("terminal sink", () => {
  test("escape sequences, C1 controls and bidi overrides are shown as \\u escapes", () => {
    expect(terminalText("\u001b[31mred\u001b[0m")).toBe("\\u001b[31mred\\u001b[0m");
    expect(terminalText("\u009b2J")).toBe("\\u009b2J");
    expect(terminalText("a\u202eb\u2066c")).toBe("a\\u202eb\\u2066c");
    expect(terminalText("tab\there")).toBe("tab\\u0009here");
  });

  test("outside text can neither break a line nor start or contain a workflow command", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const shown = terminalText(text);
        expect(shown).not.toMatch(RAW_CONTROL);
        expect(shown.trimStart().startsWith("::")).toBe(false);
        expect(shown.trimStart().startsWith(":")).toBe(false);
        expect(shown).not.toContain("##[");
      }),
    );
    expect(terminalText("  ::add-mask::x")).toBe("  \\u003a:add-mask::x");
    expect(terminalText("a ##[error]b")).toBe("a ##\\u005berror]b");
  });

  test("ordinary text, paths and policy text are unchanged", () => {
    for (const text of ["policies/a b/c-d.yaml", "arn:aws:s3:us-east-1:1:accesspoint/x", "ü 🚀"]) {
      expect(terminalText(text)).toBe(text);
    }
  });
});

describe("workflow command sink", () => {
  test("properties escape %, CR, LF, : and , and the message escapes %, CR and LF", () => {
    expect(
      workflowCommand(
        "error",
        { file: "p/a,b.yaml", line: 3, col: undefined, title: "s3ap: schema" },
        "100% bad\nvalue",
      ),
    ).toBe("::error file=p/a%2Cb.yaml,line=3,title=s3ap%3A schema::100%25 bad%0Avalue\n");
  });

  test("no outside text can end the command, add properties or start a second command", () => {
    fc.assert(
      fc.property(anyText, anyText, (file, message) => {
        const line = workflowCommand("error", { file, title: "t" }, message);
        expect(line.endsWith("\n")).toBe(true);
        const body = line.slice(0, -1);
        expect(body).not.toMatch(RAW_CONTROL);
        expect(body).not.toContain("##[");
        // The runner splits properties on "," and ends them at the next "::".
        const props = body.slice("::error ".length, body.indexOf("::", 2));
        const names = props.split(",").map((p) => p.split("=")[0]);
        expect(names).toEqual(file === "" ? ["title"] : ["file", "title"]);
      }),
    );
  });
});

const tags = (html: string) => html.match(/<[a-z0-9]+/g) ?? [];

describe("Markdown sink", () => {
  test("hostile inline text renders as exactly its text, with no link, image, mention or HTML", () => {
    const places = [
      (x: string) => `Reason: ${x}\n`,
      (x: string) => `- ${x}\n`,
      (x: string) => `| a | b |\n|---|---|\n| ${x} | end |\n`,
    ];
    fc.assert(
      fc.property(anyText, (text) => {
        for (const place of places) {
          const html = renderMarkdown(place(markdownText(text)));
          expect(tags(html)).toEqual(tags(renderMarkdown(place("plain"))));
          const seen = visibleText(html).replaceAll("\u200b", "");
          expect(seen).toContain(showControls(text).trim());
          expect(visibleText(html)).not.toMatch(GITHUB_REFERENCE);
        }
        const cell = renderMarkdown(places[2]?.(markdownText(text)) ?? "");
        expect(cell.match(/<td>/g)).toHaveLength(2);
      }),
      { numRuns: 100 },
    );
  });

  test("mentions, references, links, images, HTML and code spans are inert", () => {
    const text =
      "@octocat #12 GH-3 owner/repo#4 [x](https://e.example) ![i](https://e.example/i.png) <img src=x> `code` https://e.example www.e.example a@b.example :tada: $x$";
    const html = renderMarkdown(`${markdownText(text)}\n`);
    expect(html).not.toMatch(/<(a|img|code)\b/);
    expect(visibleText(html).replaceAll("\u200b", "").trim()).toBe(text);
    expect(visibleText(html)).not.toMatch(GITHUB_REFERENCE);
  });

  test("code is <code> around the same encoding: backticks and pipes cannot break out", () => {
    const name = "a`b``|c <b>@x";
    const html = renderMarkdown(`| f |\n|---|\n| ${markdownCode(name)} |\n`);
    expect(html).toContain("<td><code>");
    expect(/<td><code>(.*)<\/code><\/td>/.exec(html)?.[1]).toBeDefined();
    expect(visibleText(/<td>(.*)<\/td>/.exec(html)?.[1] ?? "").replaceAll("\u200b", "")).toBe(name);
    expect(html.match(/<td>/g)).toHaveLength(1);
    expect(html).not.toContain("<b>");
  });

  test("inside a <summary> HTML block the same text stays text", () => {
    const html = renderMarkdown(
      `<details><summary>${markdownText("<script>x</script> @team")}</summary>\n\nbody\n\n</details>\n`,
    );
    expect(html).not.toContain("<script>");
    expect(visibleText(html)).toContain("<script>x</script> @\u200bteam");
  });

  test("a fence is longer than any backtick run inside, so the body cannot close it", () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 5 }), (lines) => {
        const html = renderMarkdown(`${markdownFence(lines, "diff")}\n\nafter\n`);
        expect(html.match(/<pre>/g)).toHaveLength(1);
        expect(html).toMatch(/<\/pre>\n<p>after<\/p>/);
      }),
      { numRuns: 60 },
    );
    expect(markdownFence(["a ```` b", "c\nd"], "diff")).toBe(
      "`````diff\na ```` b\nc\\u000ad\n`````",
    );
  });
});

describe("JSON sink", () => {
  test("line separators, C1 controls and bidi overrides are \\u escapes; the data is unchanged", () => {
    const value = { reason: "a\u2028b\u2029c\u0085d\u202ee\u001bf" };
    const text = jsonDocument(value);
    expect(text).toBe('{\n  "reason": "a\\u2028b\\u2029c\\u0085d\\u202ee\\u001bf"\n}\n');
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (data, s) => {
        const doc = jsonDocument({ data, s });
        expect(JSON.parse(doc)).toEqual(JSON.parse(JSON.stringify({ data, s })));
        expect(doc).not.toMatch(RAW_CONTROL_BUT_LF);
      }),
    );
  });
});

describe("JSON sink in pieces", () => {
  const whole = (fields: Record<string, unknown>) =>
    jsonDocument(
      Object.fromEntries(
        Object.entries(fields).map(([k, v]) =>
          v instanceof JsonList ? [k, [...v.items].map(v.toJson)] : [k, v],
        ),
      ),
    );

  test("a document written list item by list item is the one jsonDocument writes, byte for byte", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), anyText, fc.constant(undefined))),
        fc.array(fc.oneof(fc.jsonValue(), anyText)),
        fc.nat(3),
        (fields, items, at) => {
          const keys = Object.keys(fields);
          const listed = Object.assign(Object.create(null) as Record<string, unknown>, fields, {
            [keys[at] ?? "changes"]: new JsonList(items, (item) => ({ item })),
          });
          expect(joinChunks(jsonChunks(listed))).toBe(whole(listed));
        },
      ),
    );
  });

  test("an empty document, an empty list and items with no JSON form are written as JSON.stringify writes them", () => {
    expect(joinChunks(jsonChunks({}))).toBe("{}\n");
    expect(joinChunks(jsonChunks({ gone: undefined }))).toBe("{}\n");
    const fields = {
      a: 1,
      changes: new JsonList([1, 2], (n) => (n === 1 ? () => n : { n })),
      none: new JsonList([], (n) => n),
      b: { toJSON: () => "b" },
      c: undefined,
      d: "\u2028\u202e",
    };
    expect(joinChunks(jsonChunks(fields))).toBe(
      '{\n  "a": 1,\n  "changes": [\n    null,\n    {\n      "n": 2\n    }\n  ],\n  "none": [],\n  "b": "b",\n  "d": "\\u2028\\u202e"\n}\n',
    );
  });

  test("a long list comes in pieces of about 64 KB, each item made only when its turn comes", () => {
    let made = 0;
    const items = Array.from({ length: 3000 }, (_, i) => i);
    const chunks = jsonChunks({
      changes: new JsonList(items, (i) => {
        made++;
        return { i, text: "x".repeat(100) };
      }),
    });
    const first = chunks.next();
    expect(first.done).toBe(false);
    expect(made).toBeLessThan(1000);
    const rest = [...chunks];
    expect(made).toBe(3000);
    expect(rest.length).toBeGreaterThan(3);
    for (const piece of [first.value as string, ...rest]) expect(piece.length).toBeLessThan(80_000);
  });
});

describe("SARIF sink", () => {
  test("a [text](uri) from a file is no embedded link: brackets and backslashes are escaped", () => {
    const message = 'unknown key "[click here](https://evil.example)" at \\[0]';
    expect(sarifEmbeddedLinks(message)).toEqual([
      { text: "click here", destination: "https://evil.example" },
    ]);
    const text = sarifMessageText(message);
    expect(text).toBe('unknown key "\\[click here\\](https://evil.example)" at \\\\\\[0\\]');
    expect(sarifEmbeddedLinks(text)).toEqual([]);
  });

  test("no text becomes a link, controls are shown, and removing the escapes gives the text back", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const text = sarifMessageText(s);
        expect(sarifEmbeddedLinks(text)).toEqual([]);
        expect(text).not.toMatch(RAW_CONTROL);
        expect(text.replace(/\\([\\[\]])/g, "$1")).toBe(showControls(s));
      }),
    );
  });
});
