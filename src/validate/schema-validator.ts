import type { ErrorObject } from "ajv";
import { type DataPath, describeValue, type Finding } from "./finding.js";
// ajv's code for schemas/access-point.schema.json, generated at build time (allErrors, verbose):
// compiling the schemas cost about 0.1 s at the start of every run and of every worker.
import { validate } from "./generated/access-point-validator.js";

// The semantic lint reports these top-level strings with more specific messages; the schema's
// patterns exist for editors.
const LINTED_STRINGS = new Set(["accountId", "region", "name", "outpostId"]);
const LINTED_KEYWORDS = new Set(["pattern", "minLength", "maxLength"]);

/**
 * Validates a file's data (after variable substitution) against schemas/access-point.schema.json
 * and turns ajv's errors into findings with messages a user can act on.
 * `sourceText` gives the text a scalar was written as, for "quote it" hints.
 */
export function schemaFindings(
  data: unknown,
  sourceText: (path: DataPath) => string | undefined,
): Finding[] {
  if (validate(data)) return [];
  const findings: Finding[] = [];
  for (const error of validate.errors ?? []) {
    const finding = translate(error, sourceText);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function pathOf(instancePath: string): DataPath {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function translate(
  error: ErrorObject,
  sourceText: (path: DataPath) => string | undefined,
): Finding | undefined {
  const path = pathOf(error.instancePath);
  const key = path.length === 0 ? "the file" : String(path[path.length - 1]);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "if":
      // Its "then"/"else" branch reports the missing key itself.
      return undefined;
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      // The lint says what these are (lint-access-point.ts).
      if (path.length === 0 && unknown === "objectLambdaAccessPoint") return undefined;
      const allowed = Object.keys(
        (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ??
          {},
      );
      const match = allowed.find((k) => k.toLowerCase() === unknown.toLowerCase());
      const hint =
        match !== undefined ? `did you mean "${match}"?` : `allowed: ${allowed.join(", ")}`;
      return {
        path: [...path, unknown],
        at: "key",
        rule: "unknown-key",
        message: `unknown key "${unknown}" in ${describeLocation(path)}; ${hint}`,
      };
    }
    case "required":
      return missingKey(path, String(params.missingProperty));
    case "type":
      return typeFinding(path, key, error, sourceText);
    case "enum": {
      // The lint names the nearest permission (lint-directory.ts).
      if (path[0] === "scope") return undefined;
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return {
        path,
        rule: key === "Effect" ? "effect" : key === "mode" ? "mode" : key.toLowerCase(),
        message: `${key} must be ${allowed.join(" or ")}, got ${describeValue(error.data)}`,
      };
    }
    case "minItems":
      if (key === "Statement") {
        return {
          path,
          rule: "statement",
          message: "Statement is empty; add at least one statement",
        };
      }
      return {
        path,
        rule: "empty-list",
        message: `${key} is an empty list; give at least one value`,
      };
    case "minProperties":
      return { path, rule: "empty-mapping", message: `${key} is empty; give at least one entry` };
    case "pattern":
    case "minLength":
    case "maxLength":
      if (path.length === 1 && LINTED_STRINGS.has(key) && LINTED_KEYWORDS.has(error.keyword)) {
        return undefined;
      }
      if (key === "Principal" || key === "NotPrincipal") {
        return {
          path,
          rule: "principal",
          message: `${key} must be "*" or a mapping such as { AWS: arn:aws:iam::111122223333:role/name }, got ${describeValue(error.data)}`,
        };
      }
      return { path, rule: "schema", message: `${key} ${error.message ?? "is invalid"}` };
    default:
      return { path, rule: "schema", message: `${key} ${error.message ?? "is invalid"}` };
  }
}

function describeLocation(path: DataPath): string {
  if (path.length === 0) return "the access point file";
  if (path.length === 1 && path[0] === "policy") return "the policy";
  const last = path[path.length - 1];
  if (typeof last === "number" || /^\d+$/.test(String(last))) return "a statement";
  if (path[path.length - 1] === "Statement") return "the statement";
  return String(last);
}

function missingKey(path: DataPath, missing: string): Finding {
  if (missing === "Statement") {
    return { path, rule: "statement", message: "the policy has no Statement; add at least one" };
  }
  if (missing === "Effect") {
    return {
      path,
      rule: "effect",
      message: "the statement has no Effect; add Effect: Allow or Effect: Deny",
    };
  }
  const hint =
    missing === "policy"
      ? " (use policy: null to require that the access point has no policy)"
      : "";
  return { path, rule: "missing-key", message: `missing required key "${missing}"${hint}` };
}

function typeFinding(
  path: DataPath,
  key: string,
  error: ErrorObject,
  sourceText: (path: DataPath) => string | undefined,
): Finding {
  const expected = ([] as string[]).concat(error.params.type as string | string[]);
  const rule = path.length === 1 && path[0] === "accountId" ? "account-id" : "type";
  if (typeof error.data === "number" && expected.includes("string")) {
    const written = sourceText(path) ?? String(error.data);
    return {
      path,
      rule,
      message: `${key} was read as the number ${error.data}; quote it: "${written}"`,
    };
  }
  if (path.length === 0) {
    return {
      path,
      rule: "type",
      message: `a policy file must be a mapping with accountId, region, name and policy, got ${describeValue(error.data)}`,
    };
  }
  const names: Record<string, string> = {
    string: "a string",
    array: "a list",
    object: "a mapping",
    null: "null",
    number: "a number",
    boolean: "true or false",
  };
  const wanted = expected.map((t) => names[t] ?? t).join(" or ");
  return { path, rule, message: `${key} must be ${wanted}, got ${describeValue(error.data)}` };
}
