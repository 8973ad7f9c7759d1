// How both entries show an error that ended a run: s3ap's own by message, worded with the entry's
// own option names; anything else with its stack.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { InputError, SourceError } from "../../src/errors.js";
import { runAction } from "../../src/github/run-action.js";
import { errorLine, errorText } from "../../src/run/error-text.js";
import { ACTION_NAMES, CLI_NAMES } from "../../src/run/option-names.js";

test("s3ap's own errors show their message only: it says what to do", () => {
  expect(errorText(new InputError("--dir policies does not exist."))).toBe(
    "--dir policies does not exist.",
  );
  expect(errorText(new SourceError("not a git repository"))).toBe("not a git repository");
});

test("any other error is a bug and shows its stack; one-line forms show the message", () => {
  const bug = new TypeError("cannot read properties of undefined");
  expect(errorText(bug)).toBe(bug.stack);
  expect(errorText(bug)).toMatch(/^TypeError: cannot read properties of undefined\n\s+at /);
  expect(errorLine(bug)).toBe("cannot read properties of undefined");
  expect(errorText("thrown string")).toBe("thrown string");
});

test("an error that names options is worded by each entry with its own names", () => {
  const error = new SourceError(
    (name) => `${name("ref")} "-x" is not a valid git revision; or use ${name("repo")}`,
  );
  expect(errorLine(error)).toBe('--ref "-x" is not a valid git revision; or use --repo');
  expect(errorLine(error, CLI_NAMES)).toBe('--ref "-x" is not a valid git revision; or use --repo');
  expect(errorLine(error, ACTION_NAMES)).toBe(
    'input ref "-x" is not a valid git revision; or use input repo',
  );
  expect(
    errorText(new SourceError((name) => `${name("dir")} x: no such directory`), ACTION_NAMES),
  ).toBe("input policies-directory x: no such directory");
});

test("the Action names its inputs when the source cannot be opened", async () => {
  const folder = mkdtempSync(join(tmpdir(), "s3ap-error-words-"));
  try {
    const lines: string[] = [];
    const code = await runAction({
      env: { INPUT_COMMAND: "plan", "INPUT_POLICIES-DIRECTORY": "polices" },
      cwd: folder,
      log: (text) => lines.push(text),
      sleep: async () => {},
      now: () => 0,
    });
    expect(code).toBe(1);
    const log = lines.join("");
    expect(log).toContain(
      "::error title=s3ap plan failed::input policies-directory polices: no such directory",
    );
    expect(log).not.toContain("--dir");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
