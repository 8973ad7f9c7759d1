// The import report quotes live data (access point names, the dry run's file text with the live
// policy): none of it may reach the terminal or a CI log as control sequences or a command.
import { expect, test } from "vitest";
import type { ImportOutcome } from "../../src/import/types.js";
import { renderImportText } from "../../src/report/import-text.js";

const HOSTILE = "\u001b]8;;https://evil.example\u0007click\u001b[2J\u202e";

function dryRun(text: string): ImportOutcome {
  return {
    status: "imported",
    dryRun: true,
    root: "/repo",
    listed: 1,
    written: [
      {
        ref: { accountId: "111122223333", region: "us-east-1", name: "reports" },
        arn: "arn:aws:s3:us-east-1:111122223333:accesspoint/reports",
        file: "policies/111122223333/us-east-1/reports.yaml",
        text,
        hasPolicy: true,
        public: false,
      },
    ],
    skipped: [],
    failures: [],
    problems: [],
    notes: [],
  };
}

test("a dry run's file text from a live policy is shown without control or bidi characters", () => {
  const text = `policy:\n  Statement:\n    - Sid: "${HOSTILE}"\n::add-mask::secret\n`;
  const out = renderImportText(dryRun(text), { cwd: "/repo", word: () => "" });
  expect(out).toContain("Sid:");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
  expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(out.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
});
