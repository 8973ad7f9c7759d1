// The import report quotes live data (access point names, the dry run's file text with the live
// policy): none of it may reach the terminal or a CI log as control sequences or a command.
import { describe, expect, test } from "vitest";
import type { ImportOutcome } from "../../src/import/types.js";
import type { Mode, Problem } from "../../src/model.js";
import { renderImportText } from "../../src/report/import-text.js";

const HOSTILE = "\u001b]8;;https://evil.example\u0007click\u001b[2J\u202e";

function dryRun(text: string): ImportOutcome & { status: "imported" } {
  return {
    status: "imported",
    dryRun: true,
    mode: "enforce",
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

describe("the Next: line says only what is true of the written files", () => {
  const written = (mode: Mode, problems: Problem[] = []) => ({
    ...dryRun("policy: null\n"),
    dryRun: false,
    mode,
    problems,
  });
  const nextLine = (text: string) => text.split("\n").find((line) => line.startsWith("Next:"));
  const error: Problem = {
    file: "policies/111122223333/us-east-1/reports.yaml",
    line: 10,
    col: 14,
    severity: "error",
    rule: "principal",
    message: "AROAEXAMPLE is the unique id of a deleted IAM role",
  };

  test("in sync, enforce: review, commit, plan; no word of observe mode", () => {
    expect(nextLine(renderImportText(written("enforce"), { cwd: "/repo", word: () => "" }))).toBe(
      "Next: review the files, commit them and run s3ap plan (every imported access point is in sync).",
    );
  });

  test("observe: then switch to enforce where s3ap should write", () => {
    expect(nextLine(renderImportText(written("observe"), { cwd: "/repo", word: () => "" }))).toBe(
      "Next: review the files, commit them and run s3ap plan (every imported access point is in sync), then change mode: observe to mode: enforce where s3ap should write.",
    );
  });

  test("with an error to decide, plan would not be in sync: decide first", () => {
    expect(
      nextLine(renderImportText(written("observe", [error]), { cwd: "/repo", word: () => "" })),
    ).toBe(
      "Next: decide each error above in its file until s3ap validate passes, then commit the files and run s3ap plan.",
    );
  });

  test("a dry run, or nothing written, has no Next: line", () => {
    expect(
      nextLine(renderImportText(dryRun("policy: null\n"), { cwd: "/repo", word: () => "" })),
    ).toBeUndefined();
    expect(
      nextLine(
        renderImportText({ ...written("enforce"), written: [] }, { cwd: "/repo", word: () => "" }),
      ),
    ).toBeUndefined();
  });
});
