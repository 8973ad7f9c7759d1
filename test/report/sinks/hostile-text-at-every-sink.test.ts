// Text from outside, at every sink that shows it: CLI text, the Action log and annotations, the
// job summary, the PR comment, drift issues and JSON.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { renderErrorAnnotations } from "../../../src/github/annotations.js";
import { renderDriftIssue } from "../../../src/github/drift-issues.js";
import { runAction } from "../../../src/github/run-action.js";
import { renderPlanComment } from "../../../src/github/sticky-comment.js";
import type { ApplyResult } from "../../../src/reconcile/types.js";
import { renderApplyMarkdown, renderApplyText } from "../../../src/report/apply-text.js";
import { gitHubLinks } from "../../../src/report/file-links.js";
import { renderPlanJson } from "../../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../../src/report/plan-markdown.js";
import { renderPlanText } from "../../../src/report/plan-text.js";
import { renderProblemsText } from "../../../src/report/problems-text.js";
import { change, planOf } from "../../github/plan-fixture.js";
import { GITHUB_REFERENCE, renderMarkdown, visibleText } from "./render-markdown.js";

const ESC = "\u001b";
// What an attacker puts in a file name, a YAML key or an AWS / GitHub error message.
const HOSTILE =
  "x\u001b]8;;https://evil.example\u0007y\u001b[2J\u202e\n::add-mask::secret\n::stop-commands::t ##[error]z " +
  "@octocat #12 [link](https://evil.example) ![img](https://evil.example/i.png) <img src=x> ` `` ";

function hostileChange() {
  return { ...change("a-ap", "update"), file: `policies/${HOSTILE}.yaml`, reason: HOSTILE };
}

/** A CI log line the runner would run as a command (V2 after leading space, or legacy ##[). */
function commandLines(log: string): string[] {
  return log.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes("##["));
}

describe("terminal and CI log", () => {
  test("the text plan, apply table and problems show outside text on one line, inert", () => {
    const plan = planOf([hostileChange()]);
    const result: ApplyResult = {
      change: hostileChange(),
      status: "failed",
      verified: false,
      message: HOSTILE,
      durationMs: 1,
    };
    const texts = [
      renderPlanText(plan, { color: false }),
      renderApplyText(plan, [result], { retries: 0 }, { color: false }),
      renderProblemsText(
        [{ file: HOSTILE, line: 1, col: 1, severity: "error", message: HOSTILE, rule: "schema" }],
        { root: "/repo", policiesDir: "/repo", commit: null, dirty: true },
        "/elsewhere",
      ),
    ];
    for (const text of texts) {
      expect(text).not.toContain(ESC);
      expect(text).not.toContain("\u202e");
      expect(commandLines(text)).toEqual([]);
      expect(text).toContain("\\u001b]8;;https://evil.example\\u0007y");
    }
  });

  test("annotations carry the text in their message, not as commands of their own", () => {
    const out = renderErrorAnnotations([
      { file: `policies/${HOSTILE}`, line: 2, title: HOSTILE, message: HOSTILE },
    ]);
    expect(out).not.toContain(ESC);
    expect(out.split("\n").filter((l) => l !== "")).toHaveLength(1);
    expect(commandLines(out)).toHaveLength(1);
    expect(out.startsWith("::error file=policies/x\\u001b]8;;https%3A//evil.example")).toBe(true);
  });

  describe("the Action's log", () => {
    const folder = mkdtempSync(join(tmpdir(), "s3ap-hostile-"));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    test("file names and YAML keys cannot start workflow commands or reach the log as escapes", async () => {
      const policies = join(folder, "policies");
      mkdirSync(policies);
      writeFileSync(join(policies, "::add-mask::forged.yaml"), "accountId: '1'\n");
      writeFileSync(
        join(policies, "b.yaml"),
        `accountId: "111122223333"\nregion: us-east-1\nname: b-ap\npolicy: null\n"\\e[2J\\n::stop-commands::tok": 1\n`,
      );
      const lines: string[] = [];
      const code = await runAction({
        env: { INPUT_COMMAND: "plan", "INPUT_POLICIES-DIRECTORY": "." },
        cwd: policies,
        log: (text) => lines.push(text),
        createStore: () => {
          throw new Error("an invalid run opens no store");
        },
        sleep: async () => {},
        now: () => 0,
      });
      const log = lines.join("");
      expect(code).toBe(1);
      expect(log).toContain("add-mask");
      expect(log).toContain("stop-commands");
      expect(log).not.toContain(ESC);
      const commands = commandLines(log);
      expect(commands.length).toBeGreaterThan(0);
      for (const line of commands) expect(line).toMatch(/^::(error|notice) [^:]*title=s3ap/);
      expect(log).toContain("::error file=%3A%3Aadd-mask%3A%3Aforged.yaml,");
    });
  });
});

describe("Markdown: job summary, PR comment, drift issues", () => {
  function expectInert(markdown: string) {
    const html = renderMarkdown(markdown);
    expect(html).not.toMatch(/<(a|img)\b/);
    expect(html).not.toContain(ESC);
    // What GitHub would turn into mentions and issue links, outside code and links.
    const outsideCode = html.replace(/<(code|pre)>[\s\S]*?<\/\1>/g, "");
    expect(visibleText(outsideCode)).not.toMatch(GITHUB_REFERENCE);
  }

  test("the plan and apply Markdown keep outside text inert", () => {
    const plan = planOf([hostileChange()]);
    expectInert(renderPlanMarkdown(plan));
    const failed: ApplyResult = {
      change: hostileChange(),
      status: "failed",
      verified: false,
      message: HOSTILE,
      durationMs: 1,
    };
    expectInert(renderApplyMarkdown([failed], { retries: 0 }));
  });

  test("the PR comment keeps outside text inert", () => {
    expectInert(renderPlanComment(planOf([hostileChange()])));
  });

  test("the drift issue's File and Reason lines keep outside text inert", () => {
    const { body } = renderDriftIssue(hostileChange(), planOf([hostileChange()]));
    expect(body).toMatch(/^- File: /m);
    expect(body).toMatch(/^- Reason: /m);
    expectInert(body);
    expect(body.match(/<!-- s3ap-drift: /g)).toHaveLength(1);
  });

  test("a link to a hostile file name stays one link into the repository, its text inert", () => {
    const hostile = hostileChange();
    const { body } = renderDriftIssue(hostile, planOf([hostile]), {
      links: gitHubLinks({
        serverUrl: "https://github.example",
        repository: "octo/policies",
        commit: "a".repeat(40),
      }),
    });
    const html = renderMarkdown(body);
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(
      /^https:\/\/github\.example\/octo\/policies\/blob\/a{40}\/policies\/x/,
    );
    expect(html).not.toMatch(/<img\b/);
    expectInert(html.replace(/<a href="[^"]*">([\s\S]*?)<\/a>/g, "$1"));
  });
});

describe("JSON", () => {
  test("the plan JSON writes line separators, C1 controls and bidi overrides as \\u escapes", () => {
    const plan = planOf([{ ...change("a-ap", "update"), reason: "a\u2028b\u0085c\u202ed" }]);
    const json = renderPlanJson(plan);
    expect(json).toContain('"reason": "a\\u2028b\\u0085c\\u202ed"');
    expect(JSON.parse(json).changes[0].reason).toBe("a\u2028b\u0085c\u202ed");
  });
});
