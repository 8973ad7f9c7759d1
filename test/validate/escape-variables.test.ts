// escapeVariables is substituteVariables' inverse on any text: what import writes reads back as
// exactly what AWS returned, however many `${`, `!`, `:` and `}` it holds.
import fc from "fast-check";
import { expect, test } from "vitest";
import type { Finding } from "../../src/validate/finding.js";
import { escapeVariables, substituteVariables } from "../../src/validate/substitute-variables.js";

const VARIABLES = {
  accessPointArn: "arn:aws:s3:us-east-1:111122223333:accesspoint/ap",
  accountId: "111122223333",
  region: "us-east-1",
  name: "ap",
  partition: "aws",
};

function readBack(text: string): { text: unknown; findings: Finding[] } {
  const findings: Finding[] = [];
  return { text: substituteVariables(text, VARIABLES, [], findings), findings };
}

test.each([
  ["${accountId}-${region}", "${!accountId}-${!region}"],
  ["${bucket}", "${!bucket}"],
  ["${!x}", "${!!x}"],
  ["${!aws:username}", "${!!aws:username}"],
  ["home/${aws:username}/${*}${?}${$}", "home/${aws:username}/${*}${?}${$}"],
  ["no variables", "no variables"],
  ["${unclosed", "${unclosed"],
])("%s is written as %s", (live, written) => {
  expect(escapeVariables(live)).toBe(written);
  expect(readBack(written)).toEqual({ text: live, findings: [] });
});

test("any text comes back from the file exactly, with no unknown-variable problem", () => {
  const text = fc.string({ unit: fc.constantFrom("$", "{", "}", "!", ":", "*", "?", "a", " ") });
  fc.assert(
    fc.property(text, (live) => {
      expect(readBack(escapeVariables(live))).toEqual({ text: live, findings: [] });
    }),
    { numRuns: 2000 },
  );
});
