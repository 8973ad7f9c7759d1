// s3ap.yaml, the repository's own settings (roles per account, trust, exceptions, remediation):
// read through the same YAML path and the same kind of generated schema validator as policy
// files, problems at file:line:col, in one pass (the content of every part the schema passed is
// checked too). Dates are judged against the clock separately (config-dates.ts), on every
// exception and pause that is valid itself, even in a file with other problems: this file's
// answer depends on the text alone.
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject } from "ajv";
import { compileOnly } from "../access-point/only-pattern.js";
import { externalIdProblem, roleTemplateProblem } from "../access-point/role-arn.js";
import { appendAll } from "../append-all.js";
import { InputError } from "../errors.js";
import type {
  Pause,
  PolicyException,
  Problem,
  RemediatePolicy,
  RepositoryConfig,
  RoleSettings,
  TrustSettings,
} from "../model.js";
import { CONFIG_FILE } from "../source/config-file.js";
import type { YamlSource } from "../untrusted/yaml-source.js";
import type { DatedSettings } from "./config-dates.js";
import type { DataPath, Finding } from "./finding.js";
import { validate } from "./generated/s3ap-config-validator.js";
import { nearestName } from "./nearest-name.js";
import { parsePolicyYaml } from "./parse-policy-yaml.js";
import { WARNING_RULES } from "./warning-rules.js";

/** A real s3ap.yaml is a few lines; anything near this is not one. */
const MAX_CONFIG_BYTES = 64 * 1024;

export interface CheckedConfig {
  /** null: no s3ap.yaml, an empty one, or one with problems. */
  config: RepositoryConfig | null;
  problems: Problem[];
  /**
   * The exceptions and the pause whose dates can be judged against the clock: those of `config`,
   * or, in a file with problems, every entry without a problem of its own, so that a typo in one
   * place and an expired exception in another are reported in the same run.
   */
  dated: DatedSettings;
}

/** Reads and checks `<root>/s3ap.yaml`; a missing file is no configuration, not a problem. */
export function loadS3apConfig(root: string): CheckedConfig {
  const path = join(root, CONFIG_FILE);
  const at = (message: string, rule = "config-file"): CheckedConfig => ({
    config: null,
    problems: [{ file: CONFIG_FILE, line: 1, col: 1, severity: "error", rule, message }],
    dated: {},
  });
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return { config: null, problems: [], dated: {} };
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
    return { config: null, problems, dated: {} };
  }
  const { data, source } = parsed.parsed;
  const findings = schemaFindings(data);
  // One pass: the parts of the file the schema passed are checked for content too, so a file
  // with a typo in one key and a bad date in another says both at once.
  const clean = schemaCleanParts(data, findings);
  if (clean !== undefined) appendAll(findings, contentFindings(clean.data, clean.skipExceptions));
  const problems = findings.map((f): Problem => {
    const { line, col } = source.positionOf(f.path, f.at);
    return { file, line, col, severity: f.severity ?? "error", rule: f.rule, message: f.message };
  });
  // In the order of the file, as one reads it top to bottom.
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  if (problems.length > 0) {
    const dated = clean === undefined ? {} : datedParts(clean.data, findings, source);
    return { config: null, problems, dated };
  }
  const config = toConfig(data as ConfigData, source);
  return { config, problems: [], dated: config };
}

/**
 * The exceptions and the pause of a file with problems that have none of their own (the schema
 * passed them and so did their content: a real date, a glob that compiles, an id of their own).
 */
function datedParts(
  data: ConfigData,
  findings: readonly Finding[],
  source: YamlSource,
): DatedSettings {
  const invalid = new Set(findings.filter((f) => f.path[0] === "exceptions").map((f) => f.path[1]));
  const dated: DatedSettings = {};
  const exceptions = (data.exceptions ?? []).flatMap((entry, index) =>
    invalid.has(index) ? [] : [toException(entry, index, source)],
  );
  if (exceptions.length > 0) dated.exceptions = exceptions;
  if (data.paused !== undefined && !findings.some((f) => f.path[0] === "paused")) {
    dated.paused = toPause(data.paused, source);
  }
  return dated;
}

/** The file's data once the schema has passed: the shape of the config without positions. */
interface ConfigData extends RoleSettings {
  accounts?: Record<string, RoleSettings>;
  trust?: Partial<TrustSettings>;
  exceptions?: Array<Omit<PolicyException, "position" | "expiresPosition">>;
  remediate?: Partial<RemediatePolicy>;
  paused?: Omit<Pause, "untilPosition">;
}

function schemaFindings(data: unknown): Finding[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).flatMap((error) => translate(error));
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((s, i, all) => {
      // List indexes (exceptions, trust.accounts) read as [0]; accounts keys stay names.
      const list = all[i - 1] === "exceptions" || (all[0] === "trust" && i === 2);
      return list && /^\d+$/.test(s) ? Number(s) : s;
    });
}

/** `exceptions[0].owner`: how a place in the file is named in messages. */
function placeOf(path: DataPath): string {
  if (path.length === 0) return CONFIG_FILE;
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

const ALLOWED_AT_ROOT = "roleArn, externalId, accounts, trust, exceptions, remediate, paused";

function translate(error: ErrorObject): Finding[] {
  const path: DataPath = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const where = placeOf(path);
  const key = String(path[path.length - 1] ?? "");
  const quoted = JSON.stringify(error.data);
  switch (error.keyword) {
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      const properties = (error.parentSchema as { properties?: object } | undefined)?.properties;
      const keys = Object.keys(properties ?? {});
      return [
        {
          path: [...path, unknown],
          at: "key",
          rule: "unknown-key",
          message: `unknown key "${unknown}" in ${where}; ${meantKey(unknown, keys)}allowed: ${keys.join(", ")}`,
        },
      ];
    }
    case "required": {
      const missing = String(params.missingProperty);
      const needs =
        path[0] === "exceptions"
          ? "an exception needs id, accessPoints, owner, reason and expires (YYYY-MM-DD)"
          : "a pause needs a reason and the date it ends (until: YYYY-MM-DD)";
      return [{ path, rule: "missing-key", message: `${where} has no ${missing}; ${needs}` }];
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
      return patternFinding(path, key, quoted);
    case "enum":
      return [
        {
          path,
          rule: "remediate",
          message: `${where} must be revert or report, got ${quoted}`,
        },
      ];
    case "minLength":
      return [{ path, rule: "schema", message: `${where} is empty; write what it is` }];
    case "uniqueItems":
      return [
        {
          path,
          rule: "schema",
          message: `${where} lists an account twice; list each account once`,
        },
      ];
    case "type": {
      if (path.length === 0) {
        return [
          {
            path,
            rule: "type",
            message: `${CONFIG_FILE} must be a mapping with ${ALLOWED_AT_ROOT.replace(/, (?=[^,]*$)/, " or ")}`,
          },
        ];
      }
      const wanted =
        params.type === "object" ? "a mapping" : params.type === "array" ? "a list" : "a string";
      const what = typeof path[path.length - 1] === "number" ? String(error.data) : key;
      const hint = typeof error.data === "number" ? `; ${what} was read as a number: quote it` : "";
      return [{ path, rule: "type", message: `${where} must be ${wanted}${hint}` }];
    }
    default:
      return [{ path, rule: "schema", message: `${where} ${error.message ?? "is invalid"}` }];
  }
}

/**
 * `did you mean "owner"? ` for a key one or two edits from an allowed one ("onwer", "trsut",
 * "expries"), as long as those edits are less than half of it; "" when none is that near.
 */
function meantKey(unknown: string, keys: readonly string[]): string {
  const near = nearestName(unknown, keys);
  if (near === undefined || near.distance > 2 || near.distance * 2 >= near.name.length) return "";
  return `did you mean "${near.name}"? `;
}

/** The specific words for a value of the wrong form (roleArn and externalId get theirs later). */
function patternFinding(path: DataPath, key: string, quoted: string): Finding[] {
  const where = placeOf(path);
  const say = (rule: string, message: string): Finding[] => [{ path, rule, message }];
  if (path[0] === "trust" && key === "organizationId") {
    return say(
      "trust",
      `${where} ${quoted} is not an AWS Organizations id such as o-a1b2c3d4e5 (aws:PrincipalOrgID)`,
    );
  }
  if (path[0] === "trust") {
    return say(
      "account-id",
      `trust.accounts entries are 12-digit account ids in quotes, got ${quoted}`,
    );
  }
  if (key === "expires" || key === "until") {
    return say("date", `${where} ${quoted} is not a date; write YYYY-MM-DD, e.g. 2026-03-31`);
  }
  if (key === "id") {
    return say(
      "exception",
      `${where} ${quoted} is not an exception id: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit`,
    );
  }
  if (key === "rule") {
    return say("exception", `${where} ${quoted} is not a rule id; ${ruleHint()}`);
  }
  return [];
}

function ruleHint(): string {
  return `exceptions may excuse warnings of ${WARNING_RULES.join(", ")}`;
}

/**
 * The file's data without the parts the schema found problems in (a top-level key, or one entry
 * of `exceptions`, which keeps its index for messages); undefined when the file as a whole is not
 * a mapping.
 */
function schemaCleanParts(
  data: unknown,
  findings: readonly Finding[],
): { data: ConfigData; skipExceptions: ReadonlySet<number> } | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  if (findings.some((f) => f.path.length === 0)) return undefined;
  const view: Record<string, unknown> = Object.assign(Object.create(null), data);
  const skipExceptions = new Set<number>();
  for (const { path } of findings) {
    const [top, index] = path;
    if (top === "exceptions" && typeof index === "number") skipExceptions.add(index);
    else delete view[String(top)];
  }
  return { data: view as ConfigData, skipExceptions };
}

/** What the schema cannot say: real dates, one id per exception, globs and rules that work. */
function contentFindings(data: ConfigData, skipExceptions: ReadonlySet<number>): Finding[] {
  const findings = templateFindings(data);
  const ids = new Map<string, number>();
  for (const [index, entry] of (data.exceptions ?? []).entries()) {
    if (skipExceptions.has(index)) continue;
    const at = (key: string): DataPath => ["exceptions", index, key];
    const first = ids.get(entry.id);
    if (first !== undefined) {
      findings.push({
        path: at("id"),
        rule: "exception",
        message: `exception id "${entry.id}" is already used by exceptions[${first}]; give each exception its own id`,
      });
    } else ids.set(entry.id, index);
    try {
      compileOnly(entry.accessPoints, `exceptions[${index}].accessPoints`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      findings.push({ path: at("accessPoints"), rule: "exception", message: error.message });
    }
    if (entry.rule === "public") {
      findings.push({
        path: at("rule"),
        rule: "exception",
        message:
          "a public grant can never be excepted: it is an error, not a warning; limit the " +
          "statement with a Condition, or declare allowPublic: true in the policy file",
      });
    } else if (entry.rule !== undefined && !WARNING_RULES.includes(entry.rule)) {
      findings.push({
        path: at("rule"),
        rule: "exception",
        message: `rule "${entry.rule}" never warns, so no exception can excuse it; ${ruleHint()}`,
      });
    }
    const date = calendarProblem(entry.expires);
    if (date !== undefined) {
      findings.push({
        path: at("expires"),
        rule: "date",
        message: `${placeOf(at("expires"))} ${date}`,
      });
    }
  }
  if (data.paused !== undefined) {
    const date = calendarProblem(data.paused.until);
    if (date !== undefined) {
      findings.push({ path: ["paused", "until"], rule: "date", message: `paused.until ${date}` });
    }
  }
  return findings;
}

/** Why a YYYY-MM-DD text is not a day of the calendar (2026-02-30), or undefined. */
function calendarProblem(text: string): string | undefined {
  const day = new Date(`${text}T00:00:00Z`);
  if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(text)) return undefined;
  return `"${text}" is not a day of the calendar; write a real date YYYY-MM-DD`;
}

/** roleArn templates and ExternalIds, with the same messages as the flags get. */
function templateFindings(config: ConfigData): Finding[] {
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
function toConfig(data: ConfigData, source: YamlSource): RepositoryConfig {
  const settings = (from: RoleSettings): RoleSettings => ({
    ...(typeof from.roleArn === "string" ? { roleArn: from.roleArn } : {}),
    ...(typeof from.externalId === "string" ? { externalId: from.externalId } : {}),
  });
  const accounts: Record<string, RoleSettings> = Object.create(null);
  for (const [id, value] of Object.entries(data.accounts ?? {})) accounts[id] = settings(value);
  const config: RepositoryConfig = { ...settings(data), accounts };
  if (data.trust !== undefined) {
    config.trust = {
      ...(data.trust.organizationId !== undefined
        ? { organizationId: data.trust.organizationId }
        : {}),
      accounts: [...(data.trust.accounts ?? [])],
    };
  }
  if (data.exceptions !== undefined) {
    config.exceptions = data.exceptions.map((e, index) => toException(e, index, source));
  }
  if (data.remediate !== undefined) {
    config.remediate = {
      widening: data.remediate.widening ?? "report",
      narrowing: data.remediate.narrowing ?? "report",
    };
  }
  if (data.paused !== undefined) config.paused = toPause(data.paused, source);
  return config;
}

type ExceptionData = NonNullable<ConfigData["exceptions"]>[number];

function toException(e: ExceptionData, index: number, source: YamlSource): PolicyException {
  return {
    id: e.id,
    accessPoints: e.accessPoints,
    ...(e.sid !== undefined ? { sid: e.sid } : {}),
    ...(e.rule !== undefined ? { rule: e.rule } : {}),
    owner: e.owner,
    reason: e.reason,
    ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
    expires: e.expires,
    position: source.positionOf(["exceptions", index]),
    expiresPosition: source.positionOf(["exceptions", index, "expires"]),
  };
}

function toPause(paused: NonNullable<ConfigData["paused"]>, source: YamlSource): Pause {
  return {
    reason: paused.reason,
    until: paused.until,
    untilPosition: source.positionOf(["paused", "until"]),
  };
}
