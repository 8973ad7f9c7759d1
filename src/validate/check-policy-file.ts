import { accessPointArn, partitionOf } from "../access-point/arn.js";
import type {
  AccessPointRef,
  DesiredAccessPoint,
  PolicyDocument,
  Problem,
  SourcePosition,
} from "../model.js";
import type { Finding } from "./finding.js";
import { lintAccessPoint } from "./lint-access-point.js";
import { lintPolicy } from "./lint-policy.js";
import { parsePolicyYaml } from "./parse-policy-yaml.js";
import { schemaFindings } from "./schema-validator.js";
import { positionOf, sourceTextOf } from "./source-map.js";
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
  let substituted: unknown = data;
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
    const variables = {
      accessPointArn: arn ?? "",
      accountId: String(accountId ?? ""),
      region: String(region ?? ""),
      name: String(name ?? ""),
      partition: typeof region === "string" ? partitionOf(region) : "",
    };
    substituted = {
      ...data,
      policy: substituteVariables(data.policy, variables, ["policy"], findings),
    };
  }
  findings.push(...lintedTopLevel);
  findings.push(...schemaFindings(substituted, (path) => sourceTextOf(source, path)));
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

  const problems = findings.map((f): Problem => {
    const { line, col } = positionOf(source, f.path, f.at);
    return { file, line, col, rule: f.rule, message: f.message };
  });
  const result: CheckedFile = { problems };
  if (ref !== undefined) {
    result.ref = ref;
    result.namePosition = positionOf(source, ["name"]);
  }
  if (problems.length === 0 && ref !== undefined && isObject(substituted) && arn !== undefined) {
    const mode = substituted.mode === "observe" ? "observe" : "enforce";
    result.desired = {
      ...ref,
      file,
      position: positionOf(source, ["policy"], "key"),
      arn,
      partition: partitionOf(ref.region),
      mode,
      allowPublic: substituted.allowPublic === true,
      policy: isObject(substituted.policy) ? (substituted.policy as PolicyDocument) : null,
    };
  }
  return result;
}
