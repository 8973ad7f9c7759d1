import { expect, test } from "vitest";
import { InputError, SourceError } from "../../src/errors.js";
import { errorLine, errorText } from "../../src/run/error-text.js";

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
