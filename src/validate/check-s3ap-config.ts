// s3ap.yaml, the repository's own settings (roles per account): read through the same YAML path
// and the same kind of generated schema validator as policy files, problems at file:line:col.
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject } from "ajv";
import { externalIdProblem, roleTemplateProblem } from "../access-point/role-arn.js";
import type { Problem, RepositoryConfig, RoleSettings } from "../model.js";
import type { DataPath, Finding } from "./finding.js";
import { validate } from "./generated/s3ap-config-validator.js";
import { parsePolicyYaml } from "./parse-policy-yaml.js";

export const CONFIG_FILE = "s3ap.yaml";
/** A real s3ap.yaml is a few lines; anything near this is not one. */
const MAX_CONFIG_BYTES = 64 * 1024;

export interface CheckedConfig {
  /** null: no s3ap.yaml, an empty one, or one with problems. */
  config: RepositoryConfig | null;
  problems: Problem[];
}

/** Reads and checks `<root>/s3ap.yaml`; a missing file is no configuration, not a problem. */
export function loadS3apConfig(root: string): CheckedConfig {
  const path = join(root, CONFIG_FILE);
  const at = (message: string, rule = "config-file"): CheckedConfig => ({
    config: null,
    problems: [{ file: CONFIG_FILE, line: 1, col: 1, severity: "error", rule, message }],
  });
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return { config: null, problems: [] };
  }
  // It decides which roles are assumed: it must be the repository's own file, not a link.
  if (stat.isSymbolicLink()) return at(`${CONFIG_FILE} is a symbolic link; commit the file itself`);
  if (!stat.isFile()) return at(`${CONFIG_FILE} is not a regular file`);
  if (stat.size > MAX_CONFIG_BYTES) {
    return at(`the file is ${stat.size} bytes; ${CONFIG_FILE} is limited to ${MAX_CONFIG_BYTES}`);
  }
  return checkS3apConfig(readFileSync(path, "utf8"), CONFIG_FILE);
}

/** Parses and checks the text of an s3ap.yaml. */
export function checkS3apConfig(text: string, file: string): CheckedConfig {
  const parsed = parsePolicyYaml(text, file);
  if (!parsed.ok) {
    // An empty file (or comments only) sets nothing.
    const problems = parsed.problems.filter((p) => p.rule !== "empty");
    return { config: null, problems };
  }
  const { data, source } = parsed.parsed;
  const findings = schemaFindings(data);
  if (findings.length === 0) findings.push(...templateFindings(data as RepositoryConfig));
  const problems = findings.map((f): Problem => {
    const { line, col } = source.positionOf(f.path, f.at);
    return { file, line, col, severity: f.severity ?? "error", rule: f.rule, message: f.message };
  });
  if (problems.length > 0) return { config: null, problems };
  return { config: toConfig(data as RepositoryConfig), problems: [] };
}

function schemaFindings(data: unknown): Finding[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).flatMap((error) => translate(error));
}

function pathOf(instancePath: string): string[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function translate(error: ErrorObject): Finding[] {
  const path: DataPath = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const where = path.length === 0 ? CONFIG_FILE : path.join(".");
  switch (error.keyword) {
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      const allowed = path.length === 0 ? "roleArn, externalId, accounts" : "roleArn, externalId";
      return [
        {
          path: [...path, unknown],
          at: "key",
          rule: "unknown-key",
          message: `unknown key "${unknown}" in ${where}; allowed: ${allowed}`,
        },
      ];
    }
    case "propertyNames":
      // The pattern error below names the key.
      return [];
    case "pattern":
      if (error.propertyName !== undefined) {
        return [
          {
            path: [...path, error.propertyName],
            at: "key",
            rule: "account-id",
            message: `accounts keys are 12-digit account ids in quotes, got "${error.propertyName}"`,
          },
        ];
      }
      // roleArn and externalId get the specific messages of templateFindings.
      return [];
    case "type": {
      const key = String(path[path.length - 1] ?? "");
      if (path.length === 0) {
        return [
          {
            path,
            rule: "type",
            message: `${CONFIG_FILE} must be a mapping with roleArn, externalId or accounts`,
          },
        ];
      }
      const wanted = params.type === "object" ? "a mapping" : "a string";
      const hint = typeof error.data === "number" ? `; ${key} was read as a number: quote it` : "";
      return [{ path, rule: "type", message: `${where} must be ${wanted}${hint}` }];
    }
    default:
      return [{ path, rule: "schema", message: `${where} ${error.message ?? "is invalid"}` }];
  }
}

/** roleArn templates and ExternalIds, with the same messages as the flags get. */
function templateFindings(config: RepositoryConfig): Finding[] {
  const findings: Finding[] = [];
  const check = (settings: RoleSettings, path: readonly string[]) => {
    const role = settings.roleArn !== undefined && roleTemplateProblem(settings.roleArn);
    if (role) findings.push({ path: [...path, "roleArn"], rule: "role-arn", message: role });
    const external = settings.externalId !== undefined && externalIdProblem(settings.externalId);
    if (external) {
      findings.push({ path: [...path, "externalId"], rule: "external-id", message: external });
    }
  };
  check(config, []);
  for (const [id, settings] of Object.entries(config.accounts ?? {})) {
    check(settings, ["accounts", id]);
  }
  return findings;
}

/** Plain settings, rebuilt field by field: nothing from the file keeps a prototype it chose. */
function toConfig(data: RepositoryConfig): RepositoryConfig {
  const settings = (from: RoleSettings): RoleSettings => ({
    ...(typeof from.roleArn === "string" ? { roleArn: from.roleArn } : {}),
    ...(typeof from.externalId === "string" ? { externalId: from.externalId } : {}),
  });
  const accounts: Record<string, RoleSettings> = Object.create(null);
  for (const [id, value] of Object.entries(data.accounts ?? {})) accounts[id] = settings(value);
  return { ...settings(data), accounts };
}
