// The problems of one statement (a flow-style YAML mapping) in an otherwise valid file of the
// access point reports in 111122223333/us-east-1: what the agree-with-AWS tests look at.
import { checkPolicyFile } from "../../../src/validate/check-policy-file.js";

export const ARN = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";

/** `top`: more top-level lines of the file (e.g. "allowPublic: true\n"). */
export function problemsOf(statement: string, top = "") {
  const text = `accountId: "111122223333"\nregion: us-east-1\nname: reports\n${top}policy:\n  Statement:\n    - ${statement}\n`;
  return checkPolicyFile(text, "ap.yaml").problems.map((p) => ({
    severity: p.severity,
    rule: p.rule,
    message: p.message,
  }));
}

/** `severity rule` of each problem. */
export function rulesOf(statement: string, top = ""): string[] {
  return problemsOf(statement, top).map((p) => `${p.severity} ${p.rule}`);
}
