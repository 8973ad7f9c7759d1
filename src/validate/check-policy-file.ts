import { accessPointArn, partitionOf } from "../access-point/arn.js";
import { type AccessPointKind, kindOf, MULTI_REGION } from "../access-point/kind.js";
import { appendAll } from "../append-all.js";
import type {
  AccessPointRef,
  AccessPointScope,
  DataSource,
  DesiredAccessPoint,
  PolicyDocument,
  Problem,
  SourcePosition,
} from "../model.js";
import { setEntry } from "../untrusted/plain-data.js";
import type { Finding } from "./finding.js";
import { lintAccessPoint } from "./lint-access-point.js";
import type { ActionService } from "./lint-actions.js";
import { lintDirectoryAccessPoint } from "./lint-directory.js";
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
  /**
   * The `policy` value as declared, variables substituted, whenever the file parses as a mapping
   * with a policy, problems or not: import compares it with the live policy it wrote.
   */
  policy?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const SERVICE: Record<AccessPointKind, ActionService> = {
  general: "s3",
  outposts: "s3-outposts",
  directory: "s3express",
  "multi-region": "s3",
};

/** The access point a file declares, when the keys that identify it are strings. */
function refOf(data: Json): AccessPointRef | undefined {
  const { accountId, region, name, outpostId, multiRegionAccessPoint, alias } = data;
  if (typeof accountId !== "string") return undefined;
  if (multiRegionAccessPoint !== undefined) {
    if (typeof multiRegionAccessPoint !== "string") return undefined;
    return {
      accountId,
      region: MULTI_REGION,
      name: multiRegionAccessPoint,
      ...(typeof alias === "string" ? { alias } : {}),
    };
  }
  if (typeof region !== "string" || typeof name !== "string") return undefined;
  return { accountId, region, name, ...(typeof outpostId === "string" ? { outpostId } : {}) };
}

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
    const { accountId, region, name } = data;
    ref = refOf(data);
    // A Multi-Region Access Point's ARN is named by its alias: without one, there is none.
    if (ref !== undefined && (kindOf(ref) !== "multi-region" || ref.alias !== undefined)) {
      arn = accessPointArn(ref);
    }
    const multiRegion = ref !== undefined && kindOf(ref) === "multi-region";
    const text = (value: unknown) =>
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : "";
    const variables = {
      accessPointArn: arn ?? "",
      accountId: text(accountId),
      // A Multi-Region Access Point has no Region: ${region} has no value in its file.
      region: multiRegion ? undefined : text(region),
      name: multiRegion ? (ref?.name ?? "") : text(name),
      partition: multiRegion ? "aws" : typeof region === "string" ? partitionOf(region) : "",
    };
    // In place: `data` is this file's own fresh copy (null-prototype objects, read-yaml.ts).
    if ("policy" in data) {
      setEntry(data, "policy", substituteVariables(data.policy, variables, ["policy"], findings));
    }
  }
  appendAll(findings, lintedTopLevel);
  appendAll(
    findings,
    schemaFindings(substituted, (path) => source.sourceTextOf(path)),
  );
  const kind = ref !== undefined ? kindOf(ref) : "general";
  if (isObject(substituted) && kind === "directory") {
    appendAll(findings, lintDirectoryAccessPoint(substituted));
  }
  if (isObject(substituted) && isObject(substituted.policy)) {
    appendAll(
      findings,
      lintPolicy(substituted.policy, {
        // A Resource can only be judged against a well-formed ARN.
        arn: lintedTopLevel.length === 0 ? arn : undefined,
        service: SERVICE[kind],
        allowPublic: substituted.allowPublic === true,
        publicImpossible: publicImpossible(kind, substituted),
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
  if (isObject(substituted) && "policy" in substituted) result.policy = substituted.policy;
  if (ref !== undefined) {
    result.ref = ref;
    result.namePosition = source.positionOf(["name"]);
  }
  // Warnings do not stop a file from declaring its access point (only --strict refuses them).
  if (!problems.some(isError) && ref !== undefined && isObject(substituted) && arn !== undefined) {
    const mode = substituted.mode === "observe" ? "observe" : "enforce";
    // One literal, not `{ ...ref, file, … }`: V8 gives every object built by a spread followed
    // by more properties a hidden class of its own (10,000 files held 10,000 maps).
    result.desired = {
      accountId: ref.accountId,
      region: ref.region,
      name: ref.name,
      ...(ref.outpostId !== undefined ? { outpostId: ref.outpostId } : {}),
      ...(ref.alias !== undefined
        ? { alias: ref.alias, aliasPosition: source.positionOf(["alias"]) }
        : {}),
      file,
      position: source.positionOf(["policy"], "key"),
      arn,
      // A Multi-Region Access Point has no Region; it exists in the aws partition only.
      partition: kind === "multi-region" ? "aws" : partitionOf(ref.region),
      mode,
      allowPublic: substituted.allowPublic === true,
      policy: isObject(substituted.policy) ? (substituted.policy as PolicyDocument) : null,
      ...(kind === "directory" ? { scope: scopeOf(substituted.scope) } : {}),
      ...(isObject(substituted.dataSource)
        ? { dataSource: substituted.dataSource as unknown as DataSource }
        : {}),
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

/** A validated file's scope: absent, null and empty all mean "no scope" (it limits nothing). */
function scopeOf(value: unknown): AccessPointScope | null {
  if (!isObject(value)) return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
  const scope = { prefixes: list(value.prefixes), permissions: list(value.permissions) };
  return scope.prefixes.length === 0 && scope.permissions.length === 0 ? null : scope;
}

/** Why Block Public Access cannot be turned off for this access point, if it cannot. */
function publicImpossible(kind: string, file: Json): string | undefined {
  if (isObject(file.dataSource)) {
    return "The access point is attached to an FSx volume, whose Block Public Access cannot be turned off";
  }
  // NOTE: "S3 on Outposts always has S3 Block Public Access enabled" (S3 on Outposts User Guide,
  // "Setting up IAM with S3 on Outposts":
  // https://docs.aws.amazon.com/AmazonS3/latest/s3-outposts/S3OutpostsIAM.html).
  if (kind === "outposts") return "S3 on Outposts always has Block Public Access on";
  return undefined;
}
