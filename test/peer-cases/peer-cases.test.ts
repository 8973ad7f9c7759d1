// The checks behind `npm run test:peer-cases`, on small cases made here: they must notice a
// verdict or an equivalence answer that disagrees with the expectation.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checkEquivalence, checkRealWorld } from "./peer-cases.js";

let dir: string;
const VALID = 'accountId: "111122223333"\nregion: us-east-1\nname: reports\npolicy: null\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "s3ap-peer-cases-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("a real-world file passes when s3ap's verdict is its # expect: line, and fails otherwise", async () => {
  await writeFile(join(dir, "a-valid.yaml"), `# expect: valid\n${VALID}`);
  await writeFile(join(dir, "b-wrong.yaml"), `# expect: invalid\n${VALID}`);
  await writeFile(join(dir, "c-none.yaml"), VALID);
  await writeFile(
    join(dir, "d-invalid.yaml"),
    `# expect: invalid\n${VALID.replace('"111122223333"', "111122223333")}`,
  );
  const results = checkRealWorld(dir);
  expect(results.map((r) => [r.name, r.passed])).toEqual([
    ["realworld/a-valid.yaml", true],
    ["realworld/b-wrong.yaml", false],
    ["realworld/c-none.yaml", false],
    ["realworld/d-invalid.yaml", true],
  ]);
  expect(results[3]?.detail).toMatch(/^s3ap: invalid \(errors: account-id\); expected: invalid/);
});

test("equivalence pairs are compared with s3ap's function; skip is honoured", async () => {
  const statement = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "x" };
  const file = join(dir, "pairs.json");
  await writeFile(
    file,
    JSON.stringify([
      { id: "same", a: { Statement: [statement] }, b: { Statement: statement }, expectEqual: true },
      {
        id: "wrong",
        a: { Statement: [statement] },
        b: { Statement: [{ ...statement, Principal: { AWS: "111122223333" } }] },
        expectEqual: true,
      },
      { id: "skipped", a: "{", b: "{", skip: "not JSON" },
      {
        id: "partition",
        a: { Statement: [{ ...statement, Principal: { AWS: "111122223333" } }] },
        b: { Statement: [{ ...statement, Principal: { AWS: "arn:X:iam::111122223333:root" } }] },
        options: { partition: "X" },
        expectEqual: true,
      },
    ]),
  );
  expect(checkEquivalence(file).map((r) => [r.name, r.passed])).toEqual([
    ["policy-equivalence.json: same", true],
    ["policy-equivalence.json: wrong", false],
    ["policy-equivalence.json: partition", true],
  ]);
});
