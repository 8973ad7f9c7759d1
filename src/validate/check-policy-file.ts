import { accessPointArn, partitionOf } from "../access-point/arn.js";
import type {
  AccessPointRef,
  DesiredAccessPoint,
  PolicyDocument,
  Problem,
  SourcePosition,
} from "../model.js";
import { setEntry } from "../untrusted/plain-data.js";
import type { Finding } from "./finding.js";
import { lintAccessPoint } from "./lint-access-point.js";
import { lintPolicy } from "./lint-policy.js";
import { parsePolicyYaml } from "./parse-policy-yaml.js";
import { schemaFindings } from "./schema-validator.js";
import { isError } from "./severity.js";
import { substituteVariables } from "./substitute-variables.js";

export interface CheckedFile {
  problems: Problem[];
  /** The declared access point; present only when the file has no problems. */
  desired?: DesiredAccessPoint;
  /** The access point's identity when it can be read, even with other problems (duplicates). */
  ref?: AccessPointRef;
  /** Where the name is written, to report duplicates there. */
  namePosition?: SourcePosition;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Parses, substitutes, schema-checks and lints one policy file's text. */
export function checkPolicyFile(text: string, file: string): CheckedFile {
  const parsed = parsePolicyYaml(text, file);
  if (!parsed.ok) return { problems: parsed.problems };
  const { data, source } = parsed.parsed;

  const findings: Finding[] = [];
  const substituted: unknown = data;
  let ref: CheckedFile["ref"];
  let arn: string | undefined;
  let lintedTopLevel: Finding[] = [];
  if (isObject(data)) {
    lintedTopLevel = lintAccessPoint(data);
    const { accountId, region, name, outpostId } = data;
    if (typeof accountId === "string" && typeof region === "string" && typeof name === "string") {
      ref = { accountId, region, name, ...(typeof outpostId === "string" ? { outpostId } : {}) };
      arn = accessPointArn(ref);
    }
    const text = (value: unknown) =>
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : "";
    const variables = {
      accessPointArn: arn ?? "",
      accountId: text(accountId),
      region: text(region),
      name: text(name),
      partition: typeof region === "string" ? partitionOf(region) : "",
    };
    // In place: `data` is this file's own fresh copy (null-prototype objects, read-yaml.ts).
    if ("policy" in data) {
      setEntry(data, "policy", substituteVariables(data.policy, variables, ["policy"], findings));
    }
  }
  findings.push(...lintedTopLevel);
  findings.push(...schemaFindings(substituted, (path) => source.sourceTextOf(path)));
  if (isObject(substituted) && isObject(substituted.policy)) {
    findings.push(
      ...lintPolicy(substituted.policy, {
        // A Resource can only be judged against a well-formed ARN.
        arn: lintedTopLevel.length === 0 ? arn : undefined,
        outposts: typeof substituted.outpostId === "string",
        allowPublic: substituted.allowPublic === true,
      }),
    );
  }

  const policy = isObject(substituted) ? substituted.policy : undefined;
  const problems = findings.map((f): Problem => {
    const { line, col } = source.positionOf(f.path, f.at);
    const sid = sidAt(policy, f.path);
    return {
      file,
      line,
      col,
      severity: f.severity ?? "error",
      rule: f.rule,
      message: f.message,
      ...(sid !== undefined ? { sid } : {}),
    };
  });
  const result: CheckedFile = { problems };
  if (ref !== undefined) {
    result.ref = ref;
    result.namePosition = source.positionOf(["name"]);
  }
  // Warnings do not stop a file from declaring its access point (only --strict refuses them).
  if (!problems.some(isError) && ref !== undefined && isObject(substituted) && arn !== undefined) {
    const mode = substituted.mode === "observe" ? "observe" : "enforce";
    result.desired = {
      ...ref,
      file,
      position: source.positionOf(["policy"], "key"),
      arn,
      partition: partitionOf(ref.region),
      mode,
      allowPublic: substituted.allowPublic === true,
      policy: isObject(substituted.policy) ? (substituted.policy as PolicyDocument) : null,
    };
  }
  return result;
}

/** The Sid of the statement a finding's path leads into (exceptions can name it), if it has one. */
function sidAt(policy: unknown, path: Finding["path"]): string | undefined {
  if (path[0] !== "policy" || path[1] !== "Statement" || !isObject(policy)) return undefined;
  const list = policy.Statement;
  const statement = Array.isArray(list) ? list[Number(path[2])] : list;
  const sid = isObject(statement) ? statement.Sid : undefined;
  return typeof sid === "string" && sid !== "" ? sid : undefined;
}
