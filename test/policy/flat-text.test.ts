import { describe, expect, test } from "vitest";
import { flatText } from "../../src/policy/flat-text.js";

describe("flatText", () => {
  test("gives exactly the text it is given, built up or not, odd characters included", () => {
    const who = "arn:aws:iam::111122223333:role/r";
    const built = `statement "Read" allows ${who} to do s3:GetObject on ${"x".repeat(40)}`;
    expect(flatText(built)).toBe(built);
    for (const odd of ["", "é\u0301", "\ud800 lone", '"quoted" \\ \n\t\u0000', "\u2028\u2029"]) {
      expect(flatText(`${odd}${who}`)).toBe(`${odd}${who}`);
    }
  });
});
