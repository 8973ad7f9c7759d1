import { setEntry } from "../untrusted/plain-data.js";
import { sharedString } from "../untrusted/shared-strings.js";
import type { DataPath, Finding } from "./finding.js";

/** Each variable's value; undefined where the access point has none (a Multi-Region one's Region). */
export interface AccessPointVariables {
  accessPointArn: string;
  accountId: string;
  region: string | undefined;
  name: string;
  partition: string;
}

export const VARIABLE_NAMES: readonly (keyof AccessPointVariables)[] = [
  "accessPointArn",
  "accountId",
  "region",
  "name",
  "partition",
];

const VARIABLE = /\$\{([^}]*)\}/g;
// IAM's own escapes for literal characters: ${*}, ${?}, ${$}.
const IAM_ESCAPES = new Set(["*", "?", "$"]);
// s3ap's escape for a literal `${`, as in CloudFormation's Fn::Sub: `${!name}` is written to the
// policy as `${name}` (`${!accountId}` stays `${accountId}`, `${!!x}` becomes `${!x}`).
const LITERAL = "!";

/** Whether `${name}` reaches the policy exactly as written (an IAM variable or escape). */
function passesThrough(name: string): boolean {
  return !name.startsWith(LITERAL) && (name.includes(":") || IAM_ESCAPES.has(name));
}

/**
 * Replaces s3ap's variables in every string value of `value` (mapping keys are left alone: IAM
 * keys are fixed names). Names with a colon are IAM policy variables (`${aws:username}`) and pass
 * through, `${!...}` is a literal `${...}`, and any other name is reported at the string that
 * holds it. Arrays and objects are
 * changed in place: they are the fresh data read from the file (untrusted/read-yaml.ts), so no
 * second copy is built.
 */
export function substituteVariables(
  value: unknown,
  variables: AccessPointVariables,
  path: DataPath,
  findings: Finding[],
): unknown {
  return substituteAt(value, variables, [...path], findings);
}

// `path` is one array, pushed and popped on the way down; it is copied only into a finding.
function substituteAt(
  value: unknown,
  variables: AccessPointVariables,
  path: (string | number)[],
  findings: Finding[],
): unknown {
  if (typeof value === "string") return substituteString(value, variables, path, findings);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      value[index] = substituteAt(value[index], variables, path, findings);
      path.pop();
    }
    return value;
  }
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      path.push(key);
      setEntry(object, key, substituteAt(object[key], variables, path, findings));
      path.pop();
    }
    return value;
  }
  return value;
}

function substituteString(
  text: string,
  variables: AccessPointVariables,
  path: DataPath,
  findings: Finding[],
): string {
  if (!text.includes("${")) return sharedString(text);
  return text.replace(VARIABLE, (whole, name: string) => {
    if (name.startsWith(LITERAL)) return `\${${name.slice(LITERAL.length)}}`;
    if (passesThrough(name)) return whole;
    if (Object.hasOwn(variables, name)) {
      const value = variables[name as keyof AccessPointVariables];
      if (value !== undefined) return value;
      findings.push({
        path: [...path],
        rule: "variable",
        message: `${whole} has no value here: a Multi-Region Access Point has no Region`,
      });
      return whole;
    }
    findings.push({
      path: [...path],
      rule: "variable",
      message:
        `unknown variable ${whole}; s3ap knows ${VARIABLE_NAMES.map((n) => `\${${n}}`).join(", ")} ` +
        `(IAM policy variables have a colon, e.g. \${aws:username}; write \${!${name}} for a ` +
        `literal ${whole})`,
    });
    return whole;
  });
}

/**
 * The text a policy file must hold for substituteVariables to give back `text` exactly: every
 * `${...}` that would be replaced or refused is written with the literal escape (`${!...}`);
 * IAM variables and escapes stay as they are. Import writes live policies through it.
 */
export function escapeVariables(text: string): string {
  if (!text.includes("${")) return text;
  return text.replace(VARIABLE, (whole, name: string) =>
    passesThrough(name) ? whole : `\${${LITERAL}${name}}`,
  );
}
