// The opt-in IAM Access Analyzer checks (--access-analyzer): ValidatePolicy for every desired
// policy (ERROR findings become error problems at their YAML lines, the other findings warnings),
// CheckNoPublicAccess for every policy a create or update would write, CheckNoNewAccess (live as
// the existing policy) for every update. A failed call marks its own access point as an error;
// the others carry on.

import { accessPointKey } from "../access-point/arn.js";
import { AwsError } from "../errors.js";
import type { DesiredAccessPoint, Problem, Severity, SourcePosition } from "../model.js";
import { summarize } from "./plan.js";
import type { AnalyzerFinding, AnalyzerPathElement, PolicyChecker } from "./ports.js";
import { scopedLimit } from "./scoped-limit.js";
import type { AccessAnalyzerResult, Plan, PlannedChange } from "./types.js";
import { partsOf } from "./types.js";

/** Finds the line and column of a path into an access point's file (e.g. ["policy", ...]). */
export type Locate = (
  ap: DesiredAccessPoint,
  path: readonly (string | number)[],
) => Promise<SourcePosition>;

export interface ValidationByAnalyzer {
  /**
   * Every finding at its YAML line: ERROR ones are errors (the desired state must not be used);
   * SECURITY_WARNING, WARNING and SUGGESTION ones are warnings (they fail only with --strict).
   */
  problems: Problem[];
  findings: Map<string, AnalyzerFinding[]>;
  /** Access points whose ValidatePolicy failed, with what to do. */
  failures: Map<string, string>;
}

/** The finding's path as a path into the policy file; a substring ends it (same value). */
export function dataPathOf(path: readonly AnalyzerPathElement[]): (string | number)[] {
  const out: (string | number)[] = ["policy"];
  for (const element of path) {
    if ("index" in element) out.push(element.index);
    else if ("key" in element) out.push(element.key);
    else if ("value" in element) out.push(element.value);
    else break;
  }
  return out;
}

/** An ERROR finding means a part of the policy does nothing or AWS refuses it; the rest advise. */
export function severityOf(finding: AnalyzerFinding): Severity {
  return finding.findingType === "ERROR" ? "error" : "warning";
}

function findingMessage(finding: AnalyzerFinding): string {
  const link = finding.learnMoreLink === "" ? "" : ` (${finding.learnMoreLink})`;
  return (
    `IAM Access Analyzer ${finding.findingType} ${finding.issueCode}: ` +
    `${finding.details}${link}`
  );
}

function failureText(error: unknown): string {
  if (error instanceof AwsError) return error.message;
  throw error;
}

export async function validateWithAnalyzer(
  desired: readonly DesiredAccessPoint[],
  checker: PolicyChecker,
  options: { concurrency: number; locate: Locate },
): Promise<ValidationByAnalyzer> {
  const limit = scopedLimit(options.concurrency);
  const result: ValidationByAnalyzer = { problems: [], findings: new Map(), failures: new Map() };
  await Promise.all(
    desired.map((ap) =>
      limit(ap, async () => {
        if (ap.policy === null) return;
        const key = accessPointKey(ap);
        let findings: AnalyzerFinding[];
        try {
          findings = await checker.validatePolicy(ap, JSON.stringify(ap.policy));
        } catch (error) {
          result.failures.set(key, failureText(error));
          return;
        }
        result.findings.set(key, findings);
        for (const finding of findings) {
          const at = await options.locate(ap, dataPathOf(finding.path));
          result.problems.push({
            file: ap.file,
            line: at.line,
            col: at.col,
            severity: severityOf(finding),
            rule: "access-analyzer",
            message: findingMessage(finding),
          });
        }
      }),
    ),
  );
  return result;
}

function withError(change: PlannedChange, message: string): PlannedChange {
  return { ...change, action: "error", reason: message };
}

/**
 * Adds Access Analyzer's answers to every create and update (and the ValidatePolicy findings to
 * every change); an access point whose check failed becomes an error of the plan.
 */
export async function checkPlanWithAnalyzer(
  plan: Plan,
  validation: ValidationByAnalyzer,
  checker: PolicyChecker,
  options: { concurrency: number },
): Promise<Plan> {
  const limit = scopedLimit(options.concurrency);
  const changes = await Promise.all(
    plan.changes.map((change) =>
      limit(change, async (): Promise<PlannedChange> => {
        const key = accessPointKey(change);
        const failed = validation.failures.get(key);
        if (failed !== undefined && change.action !== "error") return withError(change, failed);
        const result: AccessAnalyzerResult = { findings: validation.findings.get(key) ?? [] };
        if ((change.action === "create" || change.action === "update") && change.after !== null) {
          const desiredJson = JSON.stringify(change.after);
          try {
            result.noPublicAccess = await checker.checkNoPublicAccess(change, desiredJson);
            const { before } = change.action === "update" ? partsOf(change) : { before: null };
            if (before !== null) {
              result.noNewAccess = await checker.checkNoNewAccess(
                change,
                JSON.stringify(before),
                desiredJson,
              );
            }
          } catch (error) {
            return withError(change, failureText(error));
          }
        }
        return { ...change, accessAnalyzer: result };
      }),
    ),
  );
  return {
    ...plan,
    summary: { ...summarize(changes), unmanaged: plan.summary.unmanaged },
    changes,
  };
}
