import type { DataPath, Finding } from "./finding.js";

export interface AccessPointVariables {
  accessPointArn: string;
  accountId: string;
  region: string;
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

/**
 * Replaces s3ap's variables in every string value of `value` (mapping keys are left alone: IAM
 * keys are fixed names). Names with a colon are IAM policy variables (`${aws:username}`) and pass
 * through; any other name is reported at the string that holds it.
 */
export function substituteVariables(
  value: unknown,
  variables: AccessPointVariables,
  path: DataPath,
  findings: Finding[],
): unknown {
  if (typeof value === "string") return substituteString(value, variables, path, findings);
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      substituteVariables(item, variables, [...path, index], findings),
    );
  }
  if (value !== null && typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = substituteVariables(item, variables, [...path, key], findings);
    }
    return result;
  }
  return value;
}

function substituteString(
  text: string,
  variables: AccessPointVariables,
  path: DataPath,
  findings: Finding[],
): string {
  if (!text.includes("${")) return text;
  return text.replace(VARIABLE, (whole, name: string) => {
    if (name.includes(":") || IAM_ESCAPES.has(name)) return whole;
    if (Object.hasOwn(variables, name)) return variables[name as keyof AccessPointVariables];
    findings.push({
      path,
      rule: "variable",
      message:
        `unknown variable ${whole}; s3ap knows ${VARIABLE_NAMES.map((n) => `\${${n}}`).join(", ")} ` +
        `(IAM policy variables have a colon, e.g. \${aws:username})`,
    });
    return whole;
  });
}
