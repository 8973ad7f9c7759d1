// Types of the generated workflow templates (scripts/init-templates.mjs, from .github/workflows/).

export declare const workflowTemplates: {
  /** .github/workflows/plan.yml: the pull request plan and its sticky comment. */
  plan: string;
  /** .github/workflows/reconcile.yml: drift checks, apply on merge, manual runs. */
  reconcile: string;
};
