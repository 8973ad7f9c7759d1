// A shard skips another account's files by their accountId line, read without the YAML parser:
// only a line that can be nothing but the file's one top-level accountId counts.
import { expect, test } from "vitest";
import { declaredAccount } from "../../src/validate/check-listed-file.js";

const rest = "region: us-east-1\nname: a-ap\npolicy: null\n";

test("the one top-level accountId line, quoted as s3ap writes it, names the file's account", () => {
  expect(declaredAccount(`accountId: "111122223333"\n${rest}`)).toBe("111122223333");
  expect(declaredAccount(`${rest}accountId: '444455556666' # prod\n`)).toBe("444455556666");
  expect(declaredAccount(`accountId:   "111122223333"  \r\n${rest}`)).toBe("111122223333");
});

test("anything less certain names no account, so the file is checked in full", () => {
  // Unquoted: a number to YAML, an error the file's check must report.
  expect(declaredAccount(`accountId: 111122223333\n${rest}`)).toBeUndefined();
  // Twice: a duplicate key, an error.
  expect(
    declaredAccount(`accountId: "111122223333"\naccountId: "444455556666"\n${rest}`),
  ).toBeUndefined();
  // Not at the start of a line: inside a block scalar or a mapping, not the file's own.
  expect(declaredAccount(`notes: |\n  accountId: "111122223333"\n${rest}`)).toBeUndefined();
  // Flow style, a quoted key, an alias, a tag, a short id: only the parser can tell.
  expect(declaredAccount(`{ accountId: "111122223333", region: us-east-1 }\n`)).toBeUndefined();
  expect(declaredAccount(`"accountId": "111122223333"\n${rest}`)).toBeUndefined();
  expect(declaredAccount(`accountId: *id\n${rest}`)).toBeUndefined();
  expect(declaredAccount(`accountId: !!str "111122223333"\n${rest}`)).toBeUndefined();
  expect(declaredAccount(`accountId: "11112222333"\n${rest}`)).toBeUndefined();
  expect(declaredAccount(rest)).toBeUndefined();
});
