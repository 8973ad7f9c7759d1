// The direction of imports between src/ folders is biome.json's noRestrictedImports overrides, so
// `npm test` (biome check) fails on a wrong-way import. This proves the rule bites: probe files
// with one import each are linted with the repository's own config in a scratch copy of src/.
import { dirname } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { lintProbes } from "./support/biome-scratch.js";

/** [file the import is written in, the module it imports] */
type Probe = readonly [file: string, imports: string];

const WRONG_WAY: readonly Probe[] = [
  // The three the architecture review found (issue 14), now refused:
  ["src/report/progress.ts", "../reconcile/reconcile.js"],
  ["src/github/run-action.ts", "../commands/reconcile.js"],
  ["src/reconcile/ports.ts", "../aws/s3control-store.js"],
  // and the rest of the direction:
  ["src/reconcile/apply.ts", "../report/plan-text.js"],
  ["src/reconcile/reconcile.ts", "../run/options.js"],
  ["src/aws/s3control-store.ts", "../reconcile/reconcile.js"],
  ["src/aws/client.ts", "../run/options.js"],
  ["src/report/plan-text.ts", "../aws/store-events.js"],
  ["src/report/import-text.ts", "../import/run-import.js"],
  ["src/run/run-reconcile.ts", "../github/outputs.js"],
  ["src/run/options.ts", "../commands/flags.js"],
  ["src/commands/reconcile.ts", "../github/summary.js"],
  ["src/policy/diff.ts", "../validate/lint-policy.js"],
  ["src/validate/lint-policy.ts", "../reconcile/types.js"],
  ["src/source/git-source.ts", "../validate/load-desired-state.js"],
  ["src/import/run-import.ts", "../aws/s3control-store.js"],
  ["src/local-endpoint/server.ts", "../aws/retry.js"],
  ["src/model.ts", "./reconcile/types.js"],
  ["src/errors.ts", "./policy/diff.js"],
  ["src/untrusted/read-yaml.ts", "../validate/finding.js"],
  ["src/model.ts", "./untrusted/plain-data.js"],
  // One way in (issue 21): the entries reach the engines only through run/.
  ["src/commands/import.ts", "../aws/s3control-store.js"],
  ["src/commands/import.ts", "../aws/run-credentials.js"],
  ["src/commands/reconcile.ts", "../reconcile/reconcile.js"],
  ["src/commands/fan-out.ts", "../reconcile/merge-plans.js"],
  ["src/commands/fan-out.ts", "../import/run-import.js"],
  ["src/commands/validate.ts", "../validate/load-desired-state.js"],
  ["src/commands/validate.ts", "../source/git-source.js"],
  ["src/github/run-action.ts", "../reconcile/merge-plans.js"],
  ["src/github/steps/reconcile-step.ts", "../../aws/run-credentials.js"],
  ["src/github/steps/reconcile-step.ts", "../../reconcile/ports.js"],
  ["src/github/step-context.ts", "../source/git-source.js"],
  ["src/github/step-context.ts", "../untrusted/json-document.js"],
  ["src/commands/init.ts", "../init/init-files.js"],
  ["src/init/init-files.ts", "../run/options.js"],
  ["src/report/init-text.ts", "../init/action-pin.js"],
];

const RIGHT_WAY: readonly Probe[] = [
  ["src/run/init.ts", "../init/init-files.js"],
  ["src/report/init-text.ts", "../init/types.js"],
  ["src/aws/s3control-store.ts", "../reconcile/ports.js"],
  ["src/import/run-import.ts", "../reconcile/ports.js"],
  ["src/report/plan-text.ts", "../reconcile/types.js"],
  ["src/report/import-text.ts", "../import/types.js"],
  ["src/reconcile/reconcile.ts", "../validate/load-desired-state.js"],
  ["src/run/run-reconcile.ts", "../aws/s3control-store.js"],
  ["src/commands/reconcile.ts", "../run/run-reconcile.js"],
  ["src/github/run-action.ts", "../run/outcome-text.js"],
  ["src/validate/parse-policy-yaml.ts", "../untrusted/read-yaml.js"],
  ["src/aws/s3control-store.ts", "../untrusted/plain-data.js"],
  ["src/policy/structural.ts", "../untrusted/plain-data.js"],
  ["src/cli.ts", "./commands/validate.js"],
  ["src/action.ts", "./github/run-action.js"],
  ["src/github/drift-issues.ts", "../reconcile/types.js"],
  ["src/commands/fan-out.ts", "../run/merge-plans.js"],
  ["src/github/steps/accounts-step.ts", "../../run/accounts.js"],
  ["src/github/steps/accounts-step.ts", "../../report/shards.js"],
];

let flagged: Map<string, string>;

/** Probes sit next to the file they stand for; the entries are probed under their own name. */
function probePath(index: number, [file]: Probe): string {
  if (file === "src/cli.ts" || file === "src/action.ts") return file;
  return `${dirname(file)}/probe-${index}.ts`;
}

beforeAll(() => {
  const probes = new Map(
    [...WRONG_WAY, ...RIGHT_WAY].map((probe, index) => [
      probePath(index, probe),
      `import { x } from "${probe[1]}";\n\nexport const y = x;\n`,
    ]),
  );
  flagged = new Map(
    lintProbes(probes, ["--only=style/noRestrictedImports"])
      .filter((d) => d.category === "lint/style/noRestrictedImports")
      .map((d) => [d.path, d.message]),
  );
});

describe("biome refuses an import against the direction of the flow", () => {
  test.each(WRONG_WAY.map((probe, index) => [probe[0], probe[1], index] as const))(
    "%s may not import %s",
    (_file, _imports, index) => {
      const message = flagged.get(probePath(index, WRONG_WAY[index] as Probe));
      expect(message, "no diagnostic: the rule did not fire").toBeDefined();
      expect(message).toMatch(/^[a-z-]+(\/|\.ts)/);
    },
  );
});

describe("and lets the imports along it through", () => {
  test.each(RIGHT_WAY.map((probe, index) => [probe[0], probe[1], index] as const))(
    "%s may import %s",
    (_file, _imports, index) => {
      const probe = RIGHT_WAY[index] as Probe;
      expect(flagged.get(probePath(WRONG_WAY.length + index, probe))).toBeUndefined();
    },
  );
});
