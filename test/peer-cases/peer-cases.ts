// The checks of `npm run test:peer-cases` over ../shared/peer-cases/ (test data from outside the
// project, read in place, never copied into the repository): every real-world access point file
// gets the verdict its `# expect:` line states, and every comparable pair of
// policy-equivalence.json gets its IAM-correct answer from s3ap's equivalence function.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyDocument } from "../../src/model.js";
import { equivalent } from "../../src/policy/equivalent.js";
import { checkPolicyFile } from "../../src/validate/check-policy-file.js";
import { isError } from "../../src/validate/severity.js";

export interface PeerCaseResult {
  name: string;
  passed: boolean;
  /** What s3ap said, for the log: the verdict with its rules, or the equivalence answer. */
  detail: string;
}

/** Each real-world file, validated on its own, against its `# expect: valid|invalid` line. */
export function checkRealWorld(folder: string): PeerCaseResult[] {
  const names = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  return names.map((name) => {
    const text = readFileSync(join(folder, name), "utf8");
    const expect = /^# expect: (valid|invalid)\b/m.exec(text)?.[1];
    const problems = checkPolicyFile(text, name).problems;
    const errors = problems.filter(isError);
    const verdict = errors.length === 0 ? "valid" : "invalid";
    const rules = (list: typeof problems) => [...new Set(list.map((p) => p.rule))].join(", ");
    const warnings = problems.filter((p) => !isError(p));
    const detail =
      `s3ap: ${verdict}` +
      (errors.length > 0 ? ` (errors: ${rules(errors)})` : "") +
      (warnings.length > 0 ? ` (warnings: ${rules(warnings)})` : "") +
      `; expected: ${expect ?? "no # expect: line"}`;
    const lines = problems.map(
      (p) => `\n    ${p.line}:${p.col} ${p.severity} [${p.rule}] ${p.message}`,
    );
    return {
      name: `realworld/${name}`,
      passed: expect === verdict,
      detail: detail + lines.join(""),
    };
  });
}

interface EquivalenceCase {
  id: string;
  a: unknown;
  b: unknown;
  expectEqual?: boolean;
  skip?: string;
  options?: { partition?: string };
}

/** Every pair that is not marked `skip`, against its `expectEqual`. */
export function checkEquivalence(file: string): PeerCaseResult[] {
  const cases = JSON.parse(readFileSync(file, "utf8")) as EquivalenceCase[];
  return cases
    .filter((c) => c.skip === undefined)
    .map((c) => {
      const name = `policy-equivalence.json: ${c.id}`;
      if (typeof c.expectEqual !== "boolean") {
        return { name, passed: false, detail: "the case has neither expectEqual nor skip" };
      }
      const { equal } = equivalent(c.a as PolicyDocument, c.b as PolicyDocument, c.options);
      return {
        name,
        passed: equal === c.expectEqual,
        detail: `s3ap: ${equal ? "equal" : "different"}; expected: ${c.expectEqual ? "equal" : "different"}`,
      };
    });
}
